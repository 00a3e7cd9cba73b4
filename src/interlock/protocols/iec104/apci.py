"""APCI framing of IEC 60870-5-104 (section 5): start byte 0x68, APDU length (the
octets after it: 4 control octets and the ASDU, at most 253), then the control field of
an I frame (send and receive sequence numbers, an ASDU follows), an S frame (receive
sequence number) or a U frame (STARTDT, STOPDT, TESTFR act or con).

Framing follows Wireshark 4.0 (packet-iec104.c with tcp_dissect_pdus): it waits for six
bytes, then a unit runs from where it is to the first start byte plus that APDU's length,
so bytes before a start byte are a junk prefix of the unit that follows; a unit shorter
than six bytes ends the segment. Pure: bytes in, typed values out, never an exception.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from interlock.protocols.iec104.asdu import HEADER_LEN, IOA_LEN, Asdu, parse_asdu
from interlock.protocols.iec104.type_ids import CAUSES, TYPES

START: Final = 0x68
APCI_LEN: Final = 6
MIN_APDU_LEN: Final = 4
MAX_APDU_LEN: Final = 253

I_FRAME: Final = 0
S_FRAME: Final = 1
U_FRAME: Final = 3

STARTDT_ACT: Final = 0x01
STARTDT_CON: Final = 0x02
STOPDT_ACT: Final = 0x04
STOPDT_CON: Final = 0x08
TESTFR_ACT: Final = 0x10
TESTFR_CON: Final = 0x20
U_FUNCTIONS: Final[dict[int, str]] = {
    STARTDT_ACT: "STARTDT act",
    STARTDT_CON: "STARTDT con",
    STOPDT_ACT: "STOPDT act",
    STOPDT_CON: "STOPDT con",
    TESTFR_ACT: "TESTFR act",
    TESTFR_CON: "TESTFR con",
}
U_ACTIVATIONS: Final = frozenset({STARTDT_ACT, STOPDT_ACT, TESTFR_ACT})


class Apdu(NamedTuple):
    """One APDU; -1 marks what the bytes did not hold (or the frame type does not carry)."""

    prefix: int
    """Bytes before the start byte (Wireshark shows them as data and skips them)."""
    length: int
    """The APDU length octet; -1 when the unit holds no start byte."""
    frame_type: int
    """0 I, 1 S, 3 U (Wireshark's iec60870_104.type); -1 when the length is below 4."""
    tx: int
    """Send sequence number N(S) of an I frame."""
    rx: int
    """Receive sequence number N(R) of an I or S frame."""
    u_function: int
    """The U frame's function bits (control octet >> 2): 0x01 STARTDT act ... 0x20 TESTFR con."""
    asdu: Asdu | None
    anomalies: tuple[str, ...]


def unit_length(buf: bytes, pos: int) -> int:
    """Wireshark's get_iec104apdu_len: 0 until six bytes are there; then up to the first
    start byte plus its APDU; all that is left when no start byte is found; -1 (the rest of
    the segment is dropped) when that makes less than six bytes."""
    avail = len(buf) - pos
    if avail < APCI_LEN:
        return 0
    found = buf.find(START, pos, len(buf) - 1)
    if found < 0:
        return avail
    length = found - pos + buf[found + 1] + 2
    return length if length >= APCI_LEN else -1


def starts_unit(buf: bytes, pos: int, end: int) -> bool:
    """Wireshark's IEC 104 dissector takes any segment (it skips to the next start byte)."""
    return end > pos


def probe(buf: bytes, pos: int, end: int) -> bool:
    """Strict content test for a port that is not 2404: the segment is exactly one or more
    well-formed APDUs, each with a valid control field and, for I frames, a known type id
    and cause."""
    if end - pos < APCI_LEN:
        return False
    while pos < end:
        if end - pos < APCI_LEN or buf[pos] != START:
            return False
        length = buf[pos + 1]
        if not MIN_APDU_LEN <= length <= MAX_APDU_LEN or pos + 2 + length > end:
            return False
        if not _plausible(buf, pos, length):
            return False
        pos += 2 + length
    return True


def _plausible(buf: bytes, pos: int, length: int) -> bool:
    c0, c1, c2, c3 = buf[pos + 2], buf[pos + 3], buf[pos + 4], buf[pos + 5]
    if c0 & 0x03 == U_FRAME:
        return length == MIN_APDU_LEN and (c0 >> 2) in U_FUNCTIONS and not (c1 or c2 or c3)
    if c0 & 0x03 == S_FRAME:
        return length == MIN_APDU_LEN and c0 == S_FRAME and not c1 and not c2 & 1
    if c2 & 1 or length < MIN_APDU_LEN + HEADER_LEN + IOA_LEN:
        return False
    asdu = pos + APCI_LEN
    return buf[asdu] in TYPES and buf[asdu + 1] & 0x7F > 0 and buf[asdu + 2] & 0x3F in CAUSES


def parse_exact(buf: bytes, start: int, end: int) -> Apdu | None:
    """The APDU when buf[start:end] is exactly one APDU with no junk before it, else None."""
    if end - start >= APCI_LEN and buf[start] == START and buf[start + 1] + 2 == end - start:
        return parse_apdu(buf, start, end)
    return None


def parse_apdu(buf: bytes, start: int, end: int) -> Apdu:
    """Decode the unit in buf[start:end]: any junk prefix, then one APDU."""
    found = buf.find(START, start, end - 1) if end - start >= 2 else -1
    if found < 0:
        return Apdu(max(end - start, 0), -1, -1, -1, -1, -1, None, ("iec104.no_start",))
    prefix = found - start
    anomalies = ["iec104.junk_before_start"] if prefix else []
    length = buf[found + 1]
    if length < MIN_APDU_LEN:
        anomalies.append("iec104.short_apdu")
        return Apdu(prefix, length, -1, -1, -1, -1, None, tuple(anomalies))
    if end - found < APCI_LEN:
        anomalies.append("iec104.truncated")
        return Apdu(prefix, length, -1, -1, -1, -1, None, tuple(anomalies))
    if length > MAX_APDU_LEN:
        anomalies.append("iec104.bad_length")
    stop = found + 2 + length
    if stop != end:
        anomalies.append("iec104.truncated" if stop > end else "iec104.trailing_bytes")
        stop = min(stop, end)
    control = (
        buf[found + 2] | (buf[found + 3] << 8) | (buf[found + 4] << 16) | (buf[found + 5] << 24)
    )
    if not control & 1:
        asdu = parse_asdu(buf, found + APCI_LEN, stop)
        anomalies += asdu.anomalies
        return Apdu(
            prefix, length, I_FRAME, (control & 0xFFFE) >> 1, control >> 17, -1, asdu,
            tuple(anomalies),
        )  # fmt: skip
    if length != MIN_APDU_LEN:
        anomalies.append("iec104.control_frame_length")
    if control & 3 == S_FRAME:
        return Apdu(prefix, length, S_FRAME, -1, control >> 17, -1, None, tuple(anomalies))
    function = (control & 0xFC) >> 2
    if function not in U_FUNCTIONS:
        anomalies.append("iec104.bad_u_function")
    return Apdu(prefix, length, U_FRAME, -1, -1, function, None, tuple(anomalies))


def encode_apdu(control: bytes, asdu: bytes = b"") -> bytes:
    """Frame a 4-octet control field and an ASDU (for tests and simulators)."""
    return bytes((START, len(control) + len(asdu))) + control + asdu

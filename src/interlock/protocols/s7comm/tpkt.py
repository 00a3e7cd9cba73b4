"""TPKT framing, RFC 1006 section 6: version 3, a reserved byte, a 16-bit length that counts
the four header bytes, then one COTP TPDU. The engine's unit on TCP 102.

As Wireshark's TPKT dissector does on its port, a segment starts a unit when its first
byte is the version 3; nothing else is checked there. Pure; no buffering.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from interlock.protocols.s7comm.cotp import CC, CR, DT, CotpTpdu, parse_tpdu

VERSION: Final = 3
HEADER_LEN: Final = 4
MAX_UNIT: Final = 0xFFFF

_new = tuple.__new__


class TpktUnit(NamedTuple):
    """One TPKT packet and the COTP TPDU inside it."""

    length: int
    """The TPKT length field (header included)."""
    tpdu: CotpTpdu
    anomalies: tuple[str, ...] = ()


def unit_length(buf: bytes, pos: int) -> int:
    """Total length of the TPKT packet at pos; 0 while its header is incomplete; -1 when
    no packet starts there (not version 3, or a length below the header's): Wireshark
    then drops the rest of the segment ("continuation") rather than waiting for more."""
    if len(buf) > pos and buf[pos] != VERSION:
        return -1
    if len(buf) - pos < HEADER_LEN:
        return 0
    length = (buf[pos + 2] << 8) | buf[pos + 3]
    return length if length >= HEADER_LEN else -1


def starts_unit(buf: bytes, pos: int, end: int) -> bool:
    """Wireshark's TPKT test for a segment's first byte: the version must be 3."""
    return end > pos and buf[pos] == VERSION


def probe(buf: bytes, pos: int, end: int) -> bool:
    """Stricter test for a port that is not 102: exactly one TPKT packet holding a class 0
    connection request with two-byte S7 TSAPs, or a DT whose payload is an S7 header or an
    S7comm-plus PDU."""
    if end - pos < 7 or buf[pos] != VERSION or buf[pos + 1]:
        return False
    if ((buf[pos + 2] << 8) | buf[pos + 3]) != end - pos:
        return False
    tpdu = parse_tpdu(buf, pos + HEADER_LEN, end)
    if tpdu.anomalies:
        return False
    if tpdu.code == CR:
        src, dst = tpdu.param(0xC1), tpdu.param(0xC2)
        return tpdu.class_option >> 4 == 0 and src is not None and dst is not None and len(dst) == 2
    if tpdu.code != DT or not tpdu.eot:
        return False
    return _looks_like_s7(tpdu.payload) or _looks_like_s7_plus(tpdu.payload)


def _looks_like_s7(p: bytes) -> bool:
    if len(p) < 10 or p[0] != 0x32 or p[1] not in (1, 2, 3, 7):
        return False
    header = 12 if p[1] in (2, 3) else 10
    param_len = (p[6] << 8) | p[7]
    data_len = (p[8] << 8) | p[9]
    return header + param_len + data_len == len(p)


def parse_exact(buf: bytes, start: int, end: int) -> TpktUnit | None:
    """The unit when buf[start:end] is exactly one TPKT packet holding a class 0 DT."""
    if (
        end - start >= 7
        and buf[start] == VERSION
        and not buf[start + 1]
        and ((buf[start + 2] << 8) | buf[start + 3]) == end - start
        and buf[start + 4] == 2
        and buf[start + 5] >> 4 == DT
    ):
        tpdu = _new(
            CotpTpdu, (DT, 2, bool(buf[start + 6] & 0x80), buf[start + 7 : end], 0, 0, 0, (), ())
        )
        return _new(TpktUnit, (end - start, tpdu, ()))
    return None


def parse(buf: bytes, start: int, end: int) -> TpktUnit:
    """Decode the TPKT packet occupying buf[start:end]."""
    exact = parse_exact(buf, start, end)
    if exact is not None:
        return exact
    anomalies: tuple[str, ...] = ()
    length = (buf[start + 2] << 8) | buf[start + 3] if end - start >= HEADER_LEN else 0
    if end - start < HEADER_LEN or length < HEADER_LEN:
        anomalies = ("s7comm.tpkt_length",)
    elif end - start != length:
        anomalies = ("s7comm.tpkt_truncated",)
    if end - start > 1 and buf[start + 1]:
        anomalies += ("s7comm.tpkt_reserved",)
    tpdu = parse_tpdu(buf, start + HEADER_LEN, end) if end - start > HEADER_LEN else _EMPTY
    return TpktUnit(length, tpdu, anomalies)


_EMPTY: Final = CotpTpdu(-1, -1, False, b"", anomalies=("s7comm.cotp_missing",))


def encode_tpkt(tpdu: bytes) -> bytes:
    """Frame a COTP TPDU for TCP."""
    length = len(tpdu) + HEADER_LEN
    return bytes((VERSION, 0, length >> 8, length & 0xFF)) + tpdu


def is_connection(unit: TpktUnit) -> bool:
    return unit.tpdu.code in (CR, CC)


def _looks_like_s7_plus(p: bytes) -> bool:
    """A whole S7comm-plus PDU: header, the data its length announces, then the trailer."""
    if len(p) < 8 or p[0] != 0x72 or p[1] not in (1, 2, 3):
        return False
    length = (p[2] << 8) | p[3]
    return len(p) == 4 + length + 4 and p[-4] == 0x72 and p[-2:] == b"\0\0"

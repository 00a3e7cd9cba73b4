"""BACnet/IP virtual link control (ASHRAE 135 Annex J.2): the BVLC header of every
datagram on UDP 47808, its functions (results, broadcast distribution and foreign device
tables, forwarded and original NPDUs), and the framing the engine asks for.

Pure: bytes in, a typed message out; malformed input becomes anomaly codes. One message per
BVLC unit; the NPDU and APDU it carries are decoded here too (the session only reassembles
segmented APDUs and pairs confirmed requests with their answers).
"""

from __future__ import annotations

from typing import Final, NamedTuple

from interlock.protocols.bacnet.apdu import Apdu, parse_apdu
from interlock.protocols.bacnet.npdu import Npdu, parse_npdu

BACNET_IP: Final = 0x81
BACNET_IPV6: Final = 0x82
HEADER_LEN: Final = 4
MAX_UNIT: Final = 0xFFFF

RESULT: Final = 0x00
WRITE_BDT: Final = 0x01
READ_BDT: Final = 0x02
READ_BDT_ACK: Final = 0x03
FORWARDED_NPDU: Final = 0x04
REGISTER_FOREIGN_DEVICE: Final = 0x05
READ_FDT: Final = 0x06
READ_FDT_ACK: Final = 0x07
DELETE_FDT_ENTRY: Final = 0x08
DISTRIBUTE_BROADCAST: Final = 0x09
ORIGINAL_UNICAST: Final = 0x0A
ORIGINAL_BROADCAST: Final = 0x0B
SECURE_BVLL: Final = 0x0C

FUNCTIONS: Final[dict[int, str]] = {
    RESULT: "BVLC-Result",
    WRITE_BDT: "Write-Broadcast-Distribution-Table",
    READ_BDT: "Read-Broadcast-Distribution-Table",
    READ_BDT_ACK: "Read-Broadcast-Distribution-Table-Ack",
    FORWARDED_NPDU: "Forwarded-NPDU",
    REGISTER_FOREIGN_DEVICE: "Register-Foreign-Device",
    READ_FDT: "Read-Foreign-Device-Table",
    READ_FDT_ACK: "Read-Foreign-Device-Table-Ack",
    DELETE_FDT_ENTRY: "Delete-Foreign-Device-Table-Entry",
    DISTRIBUTE_BROADCAST: "Distribute-Broadcast-To-Network",
    ORIGINAL_UNICAST: "Original-Unicast-NPDU",
    ORIGINAL_BROADCAST: "Original-Broadcast-NPDU",
    SECURE_BVLL: "Secure-BVLL",
}
RESULT_CODES: Final[dict[int, str]] = {
    0x0000: "successful-completion",
    0x0010: "write-broadcast-distribution-table-nak",
    0x0020: "read-broadcast-distribution-table-nak",
    0x0030: "register-foreign-device-nak",
    0x0040: "read-foreign-device-table-nak",
    0x0050: "delete-foreign-device-table-entry-nak",
    0x0060: "distribute-broadcast-to-network-nak",
}
_CARRIES_NPDU: Final = frozenset({DISTRIBUTE_BROADCAST, ORIGINAL_UNICAST, ORIGINAL_BROADCAST})
# (offset of the first entry, entry size) for the table-carrying functions.
_TABLES: Final[dict[int, int]] = {WRITE_BDT: 10, READ_BDT_ACK: 10, READ_FDT_ACK: 10}
# Exact BVLC length of the functions with fixed contents.
_FIXED: Final[dict[int, int]] = {
    RESULT: 6,
    READ_BDT: 4,
    REGISTER_FOREIGN_DEVICE: 6,
    READ_FDT: 4,
    DELETE_FDT_ENTRY: 10,
}
MAX_ENTRIES: Final = 1024


class TableEntry(NamedTuple):
    """A broadcast distribution table entry (address, port, mask) or a foreign device
    table entry (address, port, time-to-live, seconds remaining)."""

    address: str
    port: int
    mask: str
    ttl: int
    remaining: int


class BacnetMessage(NamedTuple):
    bvlc_type: int
    function: int
    """BVLC function, -1 when the header is cut short."""
    length: int
    """The BVLC length field (-1 when absent)."""
    forwarded_from: tuple[str, int] | None
    """Forwarded-NPDU: the B/IP address and port of the device that sent it."""
    result: int
    """BVLC-Result code, else -1."""
    ttl: int
    """Register-Foreign-Device time-to-live in seconds, else -1."""
    entries: tuple[TableEntry, ...]
    npdu: Npdu | None
    apdu: Apdu | None
    anomalies: tuple[str, ...]


def unit_length(buf: bytes, pos: int) -> int:
    """The BVLC length field: the unit's length (0 while the header is incomplete)."""
    if len(buf) - pos < HEADER_LEN:
        return 0
    return (buf[pos + 2] << 8) | buf[pos + 3]


def starts_unit(buf: bytes, pos: int, end: int) -> bool:
    """A BVLC header (BACnet/IP or BACnet/IPv6) can start here."""
    return end - pos >= HEADER_LEN and buf[pos] in (BACNET_IP, BACNET_IPV6)


def probe(buf: bytes, pos: int, end: int) -> bool:
    """Strict content test for a datagram on a port that is not 47808: a BACnet/IP BVLC
    header whose length is the datagram's, and a well-formed NPDU or fixed-size body."""
    if end - pos < HEADER_LEN or buf[pos] != BACNET_IP:
        return False
    function = buf[pos + 1]
    length = (buf[pos + 2] << 8) | buf[pos + 3]
    if length != end - pos or function > SECURE_BVLL:
        return False
    if function in _FIXED:
        return length == _FIXED[function]
    if function in _TABLES:
        return (length - HEADER_LEN) % _TABLES[function] == 0
    npdu = pos + HEADER_LEN + (6 if function == FORWARDED_NPDU else 0)
    if function == SECURE_BVLL or end - npdu < 2:
        return False
    message = parse(buf, pos, end)
    return not message.anomalies and buf[npdu] == 1


def _ip(raw: bytes) -> str:
    return ".".join(str(b) for b in raw)


def _entries(buf: bytes, at: int, end: int, function: int) -> tuple[TableEntry, ...]:
    entries: list[TableEntry] = []
    while at + 10 <= end and len(entries) < MAX_ENTRIES:
        address, port = _ip(buf[at : at + 4]), (buf[at + 4] << 8) | buf[at + 5]
        tail = buf[at + 6 : at + 10]
        if function == READ_FDT_ACK:
            ttl, left = (tail[0] << 8) | tail[1], (tail[2] << 8) | tail[3]
            entries.append(TableEntry(address, port, "", ttl, left))
        else:
            entries.append(TableEntry(address, port, _ip(tail), -1, -1))
        at += 10
    return tuple(entries)


def parse(buf: bytes, start: int, end: int) -> BacnetMessage:
    """The BVLC unit in buf[start:end] with the NPDU and APDU it carries."""
    size = end - start
    if size < HEADER_LEN or buf[start] not in (BACNET_IP, BACNET_IPV6):
        kind = buf[start] if size else -1
        code = "bacnet.not_bvlc" if size >= HEADER_LEN else "bacnet.truncated_bvlc"
        function = buf[start + 1] if size >= 2 else -1
        return BacnetMessage(kind, function, -1, None, -1, -1, (), None, None, (code,))
    bvlc_type, function = buf[start], buf[start + 1]
    length = (buf[start + 2] << 8) | buf[start + 3]
    anomalies: list[str] = []
    if length != size:
        anomalies.append("bacnet.length_mismatch")
    if bvlc_type == BACNET_IPV6:
        return BacnetMessage(bvlc_type, function, length, None, -1, -1, (), None, None, ())
    forwarded = None
    result = ttl = -1
    entries: tuple[TableEntry, ...] = ()
    npdu: Npdu | None = None
    apdu: Apdu | None = None
    at = start + HEADER_LEN
    if function not in FUNCTIONS:
        anomalies.append("bacnet.unknown_bvlc_function")
    elif function in _FIXED and size < _FIXED[function]:
        anomalies.append("bacnet.truncated_bvlc")
    if function == RESULT and at + 2 <= end:
        result = (buf[at] << 8) | buf[at + 1]
    elif function == REGISTER_FOREIGN_DEVICE and at + 2 <= end:
        ttl = (buf[at] << 8) | buf[at + 1]
    elif function in _TABLES:
        entries = _entries(buf, at, end, function)
        if (size - HEADER_LEN) % 10:
            anomalies.append("bacnet.bad_table_length")
    elif function == DELETE_FDT_ENTRY and at + 6 <= end:
        port = (buf[at + 4] << 8) | buf[at + 5]
        entries = (TableEntry(_ip(buf[at : at + 4]), port, "", -1, -1),)
    elif function == FORWARDED_NPDU:
        if at + 6 <= end:
            forwarded = (_ip(buf[at : at + 4]), (buf[at + 4] << 8) | buf[at + 5])
        else:
            anomalies.append("bacnet.truncated_bvlc")
        at += 6
    if (function == FORWARDED_NPDU or function in _CARRIES_NPDU) and at < end:
        npdu = parse_npdu(buf, at, end)
        anomalies += npdu.anomalies
        if not npdu.is_network_message and npdu.apdu_start < end:
            apdu = parse_apdu(buf, npdu.apdu_start, end)
            anomalies += apdu.anomalies
            if apdu.body is not None:
                anomalies += apdu.body.anomalies
        elif not npdu.is_network_message:
            anomalies.append("bacnet.missing_apdu")
    elif function in _CARRIES_NPDU or function == FORWARDED_NPDU:
        anomalies.append("bacnet.missing_npdu")
    return BacnetMessage(
        bvlc_type,
        function,
        length,
        forwarded,
        result,
        ttl,
        entries,
        npdu,
        apdu,
        tuple(dict.fromkeys(anomalies)),
    )


def parse_exact(buf: bytes, start: int, end: int) -> BacnetMessage | None:
    """The message when buf[start:end] is exactly one BVLC unit, else None."""
    if not starts_unit(buf, start, end) or unit_length(buf, start) != end - start:
        return None
    return parse(buf, start, end)

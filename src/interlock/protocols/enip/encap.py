"""EtherNet/IP encapsulation (CIP Volume 2, 2-3): a 24-byte header, then command data.

Header: command, length of the data, session handle, status, sender context (8 bytes),
options (all little-endian). SendRRData and SendUnitData carry an interface handle, a
timeout and Common Packet Format items; the CIP message is in the unconnected data item
(SendRRData) or, after a 16-bit sequence count, in the connected data item (SendUnitData).
ListIdentity, ListServices and ListInterfaces replies are Common Packet Format alone.
A class 0/1 I/O datagram (UDP 2222) has no encapsulation header: it is Common Packet
Format alone too (sequenced address item, connected data item).

Pure: bytes in, an EnipPacket out. Malformed input becomes anomaly codes:
enip.truncated (fewer bytes than the header and its length), enip.length_mismatch (bytes
after the announced data, in a datagram), enip.command_unknown, enip.command_data_truncated
(SendRRData/SendUnitData without interface handle and timeout), enip.cpf_truncated and
enip.cpf_item_truncated (item count or item cut short), enip.identity_truncated (a
ListIdentity item too short for its fixed fields); CIP's own are in cip.message.
"""

from __future__ import annotations

import struct
from typing import Final, NamedTuple

from interlock.protocols.cip.message import CipMessage, parse_message
from interlock.protocols.enip.commands import (
    COMMANDS,
    IO_DATAGRAM,
    ITEM_CONNECTED_ADDRESS,
    ITEM_CONNECTED_DATA,
    ITEM_LIST_IDENTITY,
    ITEM_SEQUENCED_ADDRESS,
    ITEM_UNCONNECTED_DATA,
    LIST_IDENTITY,
    LIST_INTERFACES,
    LIST_SERVICES,
    REGISTER_SESSION,
    SEND_RR_DATA,
    SEND_UNIT_DATA,
)
from interlock.protocols.enip.cpf import CpfItem, IdentityItem, parse_identity, parse_items

HEADER_LEN: Final = 24
MAX_UNIT: Final = HEADER_LEN + 0xFFFF
_HEADER = struct.Struct("<HHIIQI")
_CPF_COMMANDS: Final = frozenset({LIST_SERVICES, LIST_IDENTITY, LIST_INTERFACES})
_IO_FIRST_ITEMS: Final = frozenset({ITEM_SEQUENCED_ADDRESS, ITEM_CONNECTED_ADDRESS})
_PROBE_COMMANDS: Final = frozenset(c for c in COMMANDS if c > 0)


class EnipPacket(NamedTuple):
    command: int
    """Encapsulation command; IO_DATAGRAM (-1) for a class 0/1 I/O datagram."""
    length: int
    session: int
    status: int
    context: int
    """Sender context, the 8 bytes read as one little-endian number."""
    options: int
    interface: int
    """Interface handle of SendRRData / SendUnitData (0 is CIP); -1 for other commands."""
    items: tuple[CpfItem, ...]
    cip: CipMessage | None
    """The CIP message carried (unconnected or connected explicit messaging)."""
    connection_id: int
    """Connection id of a connected or sequenced address item; -1 when there is none."""
    sequence: int
    """Sequence count of connected data (or the I/O sequence number); -1 when none."""
    identities: tuple[IdentityItem, ...]
    anomalies: tuple[str, ...]

    @property
    def is_io(self) -> bool:
        return self.command == IO_DATAGRAM


def _le16(p: bytes, i: int) -> int:
    return p[i] | (p[i + 1] << 8)


def looks_like_io(p: bytes, pos: int) -> bool:
    """Common Packet Format of a class 0/1 I/O datagram rather than an encapsulation header:
    an item count (2 or 3, never a command) followed by an address item type."""
    return len(p) - pos >= 4 and _le16(p, pos) in (2, 3) and _le16(p, pos + 2) in _IO_FIRST_ITEMS


def unit_length(buf: bytes, pos: int) -> int:
    """Header plus data length; 0 while the length is not yet there (and for I/O datagrams,
    which are one unit each)."""
    if len(buf) - pos < 4 or looks_like_io(buf, pos):
        return 0
    return HEADER_LEN + _le16(buf, pos + 2)


def starts_unit(buf: bytes, pos: int, end: int) -> bool:
    """Wireshark takes any TCP payload on the EtherNet/IP port as a header, except a single
    byte (a keep-alive)."""
    return end - pos >= 2


def probe(buf: bytes, pos: int, end: int) -> bool:
    """Stricter content test for a port that is not EtherNet/IP's: a known command whose
    length matches the segment exactly, with no options."""
    if end - pos < HEADER_LEN:
        return False
    command: int
    length: int
    command, length, _session, _status, _context, options = _HEADER.unpack_from(buf, pos)
    if command not in _PROBE_COMMANDS or options or HEADER_LEN + length != end - pos:
        return False
    if command == REGISTER_SESSION:
        return length == 4
    return command not in (SEND_RR_DATA, SEND_UNIT_DATA) or length >= 8


def parse_exact(buf: bytes, start: int, end: int) -> EnipPacket | None:
    """The packet when buf[start:end] is exactly one encapsulation packet, else None."""
    if end - start >= HEADER_LEN and HEADER_LEN + _le16(buf, start + 2) == end - start:
        return parse(buf, start, end)
    return None


def parse(buf: bytes, start: int, end: int) -> EnipPacket:
    """Decode the unit in buf[start:end]: an encapsulation packet or an I/O datagram."""
    p = buf[start:end]
    if looks_like_io(p, 0):
        return _io(p)
    if len(p) < HEADER_LEN:
        padded = p + bytes(HEADER_LEN - len(p))
        command, length, session, status, context, options = _HEADER.unpack_from(padded)
        return EnipPacket(
            command, length, session, status, context, options, -1, (), None, -1, -1, (),
            ("enip.truncated",),
        )  # fmt: skip
    command, length, session, status, context, options = _HEADER.unpack_from(p)
    anomalies: list[str] = []
    if command not in COMMANDS:
        anomalies.append("enip.command_unknown")
    end_of_data = HEADER_LEN + length
    if end_of_data > len(p):
        anomalies.append("enip.truncated")
        end_of_data = len(p)
    elif end_of_data < len(p):
        anomalies.append("enip.length_mismatch")
    body = _Body(p, end_of_data, anomalies)
    if length and command in (SEND_RR_DATA, SEND_UNIT_DATA):
        body.command_data(command)
    elif length and command in _CPF_COMMANDS:
        body.cpf(HEADER_LEN)
    return EnipPacket(
        command, length, session, status, context, options, body.interface, body.items,
        body.cip, body.connection_id, body.sequence, body.identities, tuple(anomalies),
    )  # fmt: skip


class _Body:
    """What the command data holds, filled in as its items are read."""

    def __init__(self, p: bytes, end: int, anomalies: list[str]) -> None:
        self.p = p
        self.end = end
        self.anomalies = anomalies
        self.interface = -1
        self.items: tuple[CpfItem, ...] = ()
        self.cip: CipMessage | None = None
        self.connection_id = -1
        self.sequence = -1
        self.identities: tuple[IdentityItem, ...] = ()

    def cpf(self, pos: int) -> None:
        self.items, problems = parse_items(self.p, pos, self.end)
        self.anomalies.extend(problems)
        for item in self.items:
            if item.type_id == ITEM_LIST_IDENTITY:
                identity = parse_identity(item.data)
                if identity is None:
                    self.anomalies.append("enip.identity_truncated")
                else:
                    self.identities += (identity,)

    def command_data(self, command: int) -> None:
        if self.end < HEADER_LEN + 6:
            self.anomalies.append("enip.command_data_truncated")
            return
        self.interface = int.from_bytes(self.p[24:28], "little")
        self.cpf(HEADER_LEN + 6)
        for item in self.items:
            self._item(command, item)

    def _item(self, command: int, item: CpfItem) -> None:
        data = item.data
        if item.type_id in (ITEM_CONNECTED_ADDRESS, ITEM_SEQUENCED_ADDRESS) and len(data) >= 4:
            self.connection_id = int.from_bytes(data[:4], "little")
        elif (
            item.type_id == ITEM_UNCONNECTED_DATA
            and command == SEND_RR_DATA
            and self.interface == 0
            and self.cip is None
            and data
        ):
            self.cip = parse_message(data, 0, len(data))
        elif item.type_id == ITEM_CONNECTED_DATA and command == SEND_UNIT_DATA and self.cip is None:
            if len(data) >= 2:
                self.sequence = _le16(data, 0)
            if len(data) >= 4:
                self.cip = parse_message(data, 2, len(data))


def _io(p: bytes) -> EnipPacket:
    items, problems = parse_items(p, 0, len(p))
    connection_id = sequence = -1
    for item in items:
        if item.type_id == ITEM_SEQUENCED_ADDRESS and len(item.data) >= 8:
            connection_id = int.from_bytes(item.data[:4], "little")
            sequence = int.from_bytes(item.data[4:8], "little")
        elif item.type_id == ITEM_CONNECTED_ADDRESS and len(item.data) >= 4:
            connection_id = int.from_bytes(item.data[:4], "little")
    return EnipPacket(
        IO_DATAGRAM, len(p), 0, 0, 0, 0, -1, items, None, connection_id, sequence, (), problems
    )


def encode(
    command: int, data: bytes = b"", session: int = 0, status: int = 0, context: int = 0
) -> bytes:
    """An encapsulation packet: the 24-byte header, then the command data."""
    return _HEADER.pack(command, len(data), session, status, context, 0) + data


def encode_command_data(items: bytes, interface: int = 0, timeout: int = 0) -> bytes:
    """SendRRData / SendUnitData command data: interface handle, timeout, then the items."""
    return struct.pack("<IH", interface, timeout) + items

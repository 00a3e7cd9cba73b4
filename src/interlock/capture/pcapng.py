"""pcapng files: several sections (each with its own byte order) and interfaces; EPB, SPB
and the obsolete Packet Block.

Format: https://datatracker.ietf.org/doc/draft-ietf-opsawg-pcapng/ (section 4). Blocks we
do not need (name resolution, statistics, custom, decryption secrets) are skipped whole.
A block whose fixed part does not fit in its length, or whose trailing length differs from
its leading one, is damage (CaptureFormatError), as it is to Wireshark; an option that
overruns its block ends that block's options and is otherwise ignored.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from typing import NamedTuple

from interlock.capture.chunks import ChunkedInput
from interlock.capture.frames import MAX_RECORD, Frame
from interlock.errors import CaptureFormatError, CaptureTruncated

SECTION_HEADER = 0x0A0D0D0A
INTERFACE_DESCRIPTION = 1
PACKET_OBSOLETE = 2
SIMPLE_PACKET = 3
ENHANCED_PACKET = 6
BYTE_ORDER_MAGIC = 0x1A2B3C4D
# A block larger than this is damage, not data (Wireshark uses 16 MiB as well).
MAX_BLOCK = 16 * 1024 * 1024

OPT_END = 0
OPT_IF_TSRESOL = 9
OPT_IF_TSOFFSET = 14

# Smallest body (block minus its 12 bytes of type and both lengths) of each block we read.
_MIN_BODY = {
    SECTION_HEADER: 16,
    INTERFACE_DESCRIPTION: 8,
    PACKET_OBSOLETE: 20,
    SIMPLE_PACKET: 4,
    ENHANCED_PACKET: 20,
}


class Interface(NamedTuple):
    linktype: int
    snaplen: int
    units: int
    """Timestamp units per second (if_tsresol: 10**n or 2**n; 10**6 by default)."""
    offset: int
    """if_tsoffset: seconds added to every timestamp."""


def _ts_units(code: int) -> int:
    if code & 0x80:
        return 1 << (code & 0x7F)
    units: int = 10 ** (code & 0x7F)
    return units


def _interface(body: bytes, order: str) -> Interface:
    linktype, _reserved, snaplen = struct.unpack_from(order + "HHI", body, 0)
    units, offset = 1_000_000, 0
    pos = 8
    while pos + 4 <= len(body):
        code, length = struct.unpack_from(order + "HH", body, pos)
        if code == OPT_END or pos + 4 + length > len(body):
            break
        value = body[pos + 4 : pos + 4 + length]
        if code == OPT_IF_TSRESOL and length >= 1:
            units = _ts_units(value[0])
        elif code == OPT_IF_TSOFFSET and length >= 8:
            offset = struct.unpack(order + "q", value[:8])[0]
        pos += 4 + ((length + 3) & ~3)
    return Interface(linktype, snaplen, units, offset)


def _section_order(buf: bytes, pos: int, name: str, offset: int) -> str:
    magic = buf[pos + 8 : pos + 12]
    if magic == b"\x4d\x3c\x2b\x1a":
        return "<"
    if magic == b"\x1a\x2b\x3c\x4d":
        return ">"
    raise CaptureFormatError(
        f"{name}: section header at offset {offset} has no valid byte-order magic"
    )


def _block(source: ChunkedInput, order: str, name: str, count: int) -> tuple[int, bytes]:
    """(type, body) of the block at the cursor, which moves past it."""
    block_type, block_len = struct.unpack_from(order + "II", source.buf, source.pos)
    offset = source.file_offset()
    if block_len < 12 + _MIN_BODY.get(block_type, 0) or block_len % 4 or block_len > MAX_BLOCK:
        raise CaptureFormatError(
            f"{name}: block at offset {offset} has an invalid length {block_len}; "
            "the file is damaged"
        )
    if not source.ensure(block_len):
        raise CaptureTruncated(
            f"{name}: cut short inside a block at offset {offset} ({count} packets read)"
        )
    buf, pos = source.buf, source.pos
    if struct.unpack_from(order + "I", buf, pos + block_len - 4)[0] != block_len:
        raise CaptureFormatError(
            f"{name}: block at offset {offset} ends with a length that differs from its "
            f"leading length {block_len}; the file is damaged"
        )
    source.pos = pos + block_len
    return block_type, buf[pos + 8 : pos + block_len - 4]


def read_pcapng(source: ChunkedInput, name: str) -> Iterator[Frame]:
    """Yield every packet of every section; raise CaptureTruncated if the file is cut short."""
    order = "<"
    interfaces: list[Interface] = []
    count = 0
    while True:
        if not source.ensure(12):
            if source.at_end():
                return
            raise CaptureTruncated(
                f"{name}: cut short inside a block header at offset {source.file_offset()}"
                f" ({count} packets read)"
            )
        if source.buf[source.pos : source.pos + 4] == b"\x0a\x0d\x0d\x0a":
            order = _section_order(source.buf, source.pos, name, source.file_offset())
            interfaces = []
        block_type, body = _block(source, order, name, count)
        if block_type == ENHANCED_PACKET:
            iface_id, ts_hi, ts_lo, caplen, wire_len = struct.unpack_from(order + "IIIII", body)
            frame = _packet(name, interfaces, iface_id, ts_hi, ts_lo, body, caplen, wire_len)
        elif block_type == SIMPLE_PACKET:
            frame = _simple(name, interfaces, body, order)
        elif block_type == PACKET_OBSOLETE:
            iface_id, _drops, ts_hi, ts_lo, caplen, wire_len = struct.unpack_from(
                order + "HHIIII", body
            )
            frame = _packet(name, interfaces, iface_id, ts_hi, ts_lo, body, caplen, wire_len)
        else:
            if block_type == INTERFACE_DESCRIPTION:
                interfaces.append(_interface(body, order))
            continue
        count += 1
        yield frame


def _simple(name: str, interfaces: list[Interface], body: bytes, order: str) -> Frame:
    """A Simple Packet Block: interface 0, no timestamp, caplen from the block and snaplen."""
    if not interfaces:
        raise CaptureFormatError(f"{name}: simple packet block before any interface")
    wire_len = struct.unpack_from(order + "I", body)[0]
    iface = interfaces[0]
    caplen = min(wire_len, len(body) - 4)
    if iface.snaplen:
        caplen = min(caplen, iface.snaplen)
    return Frame(0.0, iface.linktype, body[4 : 4 + caplen], wire_len)


def _packet(
    name: str,
    interfaces: list[Interface],
    iface_id: int,
    ts_hi: int,
    ts_lo: int,
    body: bytes,
    caplen: int,
    wire_len: int,
) -> Frame:
    """An Enhanced (or obsolete) Packet Block: both keep the packet after 20 fixed bytes."""
    if iface_id >= len(interfaces):
        raise CaptureFormatError(f"{name}: packet names interface {iface_id}, which is undefined")
    if caplen > MAX_RECORD or 20 + caplen > len(body):
        raise CaptureFormatError(f"{name}: packet block claims {caplen} bytes; the file is damaged")
    linktype, _snaplen, units, offset = interfaces[iface_id]
    # Integer arithmetic, then one correctly rounded division: 1412345678123456 us becomes
    # 1412345678.123456 exactly, not the 1412345678.1234562 that ticks * 1e-6 can give.
    ts = (((ts_hi << 32) | ts_lo) + offset * units) / units
    return Frame(ts, linktype, body[20 : 20 + caplen], wire_len)

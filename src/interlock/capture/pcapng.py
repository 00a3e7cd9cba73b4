"""pcapng files: several sections (each with its own byte order) and interfaces; EPB, SPB
and the obsolete Packet Block.

Format: https://datatracker.ietf.org/doc/draft-ietf-opsawg-pcapng/ (section 4). Blocks we
do not need (name resolution, statistics, custom, decryption secrets) are skipped whole.
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


class Interface(NamedTuple):
    linktype: int
    snaplen: int
    scale: float
    offset: int


def _ts_scale(code: int) -> float:
    if code & 0x80:
        return 2.0 ** -(code & 0x7F)
    return 10.0**-code


def _interface(body: bytes, order: str) -> Interface:
    linktype, _reserved, snaplen = struct.unpack_from(order + "HHI", body, 0)
    scale, offset = 1e-6, 0
    pos = 8
    while pos + 4 <= len(body):
        code, length = struct.unpack_from(order + "HH", body, pos)
        value = body[pos + 4 : pos + 4 + length]
        if code == OPT_END:
            break
        if code == OPT_IF_TSRESOL and length >= 1:
            scale = _ts_scale(value[0])
        elif code == OPT_IF_TSOFFSET and length >= 8:
            offset = struct.unpack(order + "q", value[:8])[0]
        pos += 4 + ((length + 3) & ~3)
    return Interface(linktype, snaplen, scale, offset)


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
        buf, pos = source.buf, source.pos
        raw_type = buf[pos : pos + 4]
        if raw_type == b"\x0a\x0d\x0d\x0a":
            magic = buf[pos + 8 : pos + 12]
            if magic == b"\x4d\x3c\x2b\x1a":
                order = "<"
            elif magic == b"\x1a\x2b\x3c\x4d":
                order = ">"
            else:
                raise CaptureFormatError(
                    f"{name}: section header at offset {source.file_offset()} has no valid "
                    "byte-order magic"
                )
            interfaces = []
        block_type, block_len = struct.unpack_from(order + "II", buf, pos)
        if block_len < 12 or block_len % 4 or block_len > MAX_BLOCK:
            raise CaptureFormatError(
                f"{name}: block at offset {source.file_offset()} has an invalid length "
                f"{block_len}; the file is damaged"
            )
        if not source.ensure(block_len):
            raise CaptureTruncated(
                f"{name}: cut short inside a block at offset {source.file_offset()}"
                f" ({count} packets read)"
            )
        buf, pos = source.buf, source.pos
        body = buf[pos + 8 : pos + block_len - 4]
        source.pos = pos + block_len
        if block_type == ENHANCED_PACKET:
            iface_id, ts_hi, ts_lo, caplen, wire_len = struct.unpack_from(order + "IIIII", body)
            frame = _packet(name, interfaces, iface_id, ts_hi, ts_lo, body, 20, caplen, wire_len)
        elif block_type == SIMPLE_PACKET:
            if not interfaces:
                raise CaptureFormatError(f"{name}: simple packet block before any interface")
            wire_len = struct.unpack_from(order + "I", body)[0]
            iface = interfaces[0]
            caplen = min(wire_len, len(body) - 4)
            if iface.snaplen:
                caplen = min(caplen, iface.snaplen)
            frame = Frame(0.0, iface.linktype, body[4 : 4 + caplen], wire_len)
        elif block_type == PACKET_OBSOLETE:
            iface_id, _drops, ts_hi, ts_lo, caplen, wire_len = struct.unpack_from(
                order + "HHIIII", body
            )
            frame = _packet(name, interfaces, iface_id, ts_hi, ts_lo, body, 20, caplen, wire_len)
        else:
            if block_type == INTERFACE_DESCRIPTION:
                interfaces.append(_interface(body, order))
            continue
        count += 1
        yield frame


def _packet(
    name: str,
    interfaces: list[Interface],
    iface_id: int,
    ts_hi: int,
    ts_lo: int,
    body: bytes,
    start: int,
    caplen: int,
    wire_len: int,
) -> Frame:
    if iface_id >= len(interfaces):
        raise CaptureFormatError(f"{name}: packet names interface {iface_id}, which is undefined")
    if caplen > MAX_RECORD or start + caplen > len(body):
        raise CaptureFormatError(f"{name}: packet block claims {caplen} bytes; the file is damaged")
    iface = interfaces[iface_id]
    ts = ((ts_hi << 32) | ts_lo) * iface.scale + iface.offset
    return Frame(ts, iface.linktype, body[start : start + caplen], wire_len)

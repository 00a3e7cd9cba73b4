"""Capture files and frames built by hand with struct, for the capture and network tests.

Files: classic pcap (either byte order, micro- or nanosecond) and pcapng blocks (draft-ietf-
opsawg-pcapng section 4). Frames: IPv4 (RFC 791), IPv6 (RFC 8200) with extension and
fragment headers, TCP and UDP, inside every link layer the engine reads
(https://www.tcpdump.org/linktypes.html). Checksums are left zero: the engine does not
check them, as Wireshark does not by default.
"""

from __future__ import annotations

import ipaddress
import struct
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from interlock.capture import open_capture
from interlock.capture.frames import Frame
from interlock.engine import Engine
from interlock.protocols.modbus.mbap import encode_adu
from interlock.protocols.registry import PROTOCOLS

# -- classic pcap -------------------------------------------------------------------------

PCAP_MAGIC_US = 0xA1B2C3D4
PCAP_MAGIC_NS = 0xA1B23C4D


class Record(NamedTuple):
    sec: int
    frac: int
    """Microseconds, or nanoseconds in a nanosecond file."""
    data: bytes
    wire_len: int | None = None


def pcap_header(
    linktype: int = 1, order: str = "<", nano: bool = False, snaplen: int = 262_144
) -> bytes:
    magic = PCAP_MAGIC_NS if nano else PCAP_MAGIC_US
    return struct.pack(order + "IHHiIII", magic, 2, 4, 0, 0, snaplen, linktype)


def pcap_record(record: Record, order: str = "<") -> bytes:
    wire = len(record.data) if record.wire_len is None else record.wire_len
    return struct.pack(order + "IIII", record.sec, record.frac, len(record.data), wire) + (
        record.data
    )


def pcap_file(
    records: Iterable[Record], linktype: int = 1, order: str = "<", nano: bool = False
) -> bytes:
    return pcap_header(linktype, order, nano) + b"".join(pcap_record(r, order) for r in records)


def pcap_of_frames(frames: Iterable[bytes], linktype: int = 1, start: int = 1_700_000_000) -> bytes:
    """A microsecond little-endian pcap, one frame per millisecond from start."""
    return pcap_file(
        (Record(start + i // 1000, (i % 1000) * 1000, f) for i, f in enumerate(frames)), linktype
    )


# -- pcapng -------------------------------------------------------------------------------


def _pad4(data: bytes) -> bytes:
    return data + bytes(-len(data) % 4)


def option(code: int, value: bytes, order: str = "<") -> bytes:
    return struct.pack(order + "HH", code, len(value)) + _pad4(value)


def end_of_options(order: str = "<") -> bytes:
    return struct.pack(order + "HH", 0, 0)


def block(block_type: int, body: bytes, order: str = "<") -> bytes:
    body = _pad4(body)
    length = 12 + len(body)
    return struct.pack(order + "II", block_type, length) + body + struct.pack(order + "I", length)


def shb(order: str = "<", options: bytes = b"") -> bytes:
    return block(0x0A0D0D0A, struct.pack(order + "IHHq", 0x1A2B3C4D, 1, 0, -1) + options, order)


def idb(linktype: int = 1, snaplen: int = 0, order: str = "<", options: bytes = b"") -> bytes:
    return block(1, struct.pack(order + "HHI", linktype, 0, snaplen) + options, order)


def tsresol(code: int, order: str = "<") -> bytes:
    return option(9, bytes([code]), order)


def tsoffset(seconds: int, order: str = "<") -> bytes:
    return option(14, struct.pack(order + "q", seconds), order)


def epb(
    data: bytes, ticks: int = 0, iface: int = 0, order: str = "<", wire_len: int | None = None
) -> bytes:
    wire = len(data) if wire_len is None else wire_len
    fixed = struct.pack(order + "IIIII", iface, ticks >> 32, ticks & 0xFFFFFFFF, len(data), wire)
    return block(6, fixed + data, order)


def spb(data: bytes, wire_len: int | None = None, order: str = "<") -> bytes:
    wire = len(data) if wire_len is None else wire_len
    return block(3, struct.pack(order + "I", wire) + data, order)


def obsolete_pb(data: bytes, ticks: int = 0, iface: int = 0, order: str = "<") -> bytes:
    fixed = struct.pack(
        order + "HHIIII", iface, 0, ticks >> 32, ticks & 0xFFFFFFFF, len(data), len(data)
    )
    return block(2, fixed + data, order)


# -- reading ------------------------------------------------------------------------------


def read_bytes(data: bytes) -> Iterator[Frame]:
    """open_capture over data, written to a scratch file that lives while frames are read."""
    with tempfile.TemporaryDirectory(prefix="interlock-test-") as scratch:
        path = Path(scratch) / "capture"
        path.write_bytes(data)
        yield from open_capture(path)


# -- transport and network layers ---------------------------------------------------------

CLIENT4, SERVER4 = "10.0.0.9", "10.0.0.5"
CLIENT6, SERVER6 = "2001:db8::9", "2001:db8::5"
CLIENT_PORT, MODBUS_PORT = 47785, 502
TCP_PSH_ACK = 0x18


def tcp(sport: int, dport: int, payload: bytes, seq: int = 1000, flags: int = TCP_PSH_ACK) -> bytes:
    return struct.pack("!HHIIBBHHH", sport, dport, seq, 1, 5 << 4, flags, 65535, 0, 0) + payload


def udp(sport: int, dport: int, payload: bytes) -> bytes:
    return struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload


def ipv4(
    src: str,
    dst: str,
    proto: int,
    payload: bytes,
    ident: int = 1,
    flags_offset: int = 0x4000,
    options: bytes = b"",
    total: int | None = None,
) -> bytes:
    ihl = (20 + len(options)) // 4
    length = 20 + len(options) + len(payload) if total is None else total
    header = struct.pack(
        "!BBHHHBBH4s4s",
        0x40 | ihl,
        0,
        length,
        ident,
        flags_offset,
        64,
        proto,
        0,
        ipaddress.IPv4Address(src).packed,
        ipaddress.IPv4Address(dst).packed,
    )
    return header + options + payload


def ipv4_fragments(
    src: str, dst: str, proto: int, payload: bytes, size: int, ident: int = 7
) -> list[bytes]:
    """The payload cut into IPv4 fragments of size bytes (a multiple of 8), in order."""
    assert size % 8 == 0
    parts = []
    for start in range(0, len(payload), size):
        more = 0x2000 if start + size < len(payload) else 0
        piece = payload[start : start + size]
        parts.append(ipv4(src, dst, proto, piece, ident, more | (start // 8)))
    return parts


def ipv6(src: str, dst: str, nxt: int, payload: bytes, extensions: bytes = b"") -> bytes:
    """An IPv6 packet; extensions are already-encoded headers, nxt names the first of them."""
    body = extensions + payload
    return (
        struct.pack("!IHBB", 6 << 28, len(body), nxt, 64)
        + ipaddress.IPv6Address(src).packed
        + ipaddress.IPv6Address(dst).packed
        + body
    )


def hop_by_hop(nxt: int) -> bytes:
    """A hop-by-hop options header with one PadN option filling its 8 bytes."""
    return bytes([nxt, 0, 1, 4, 0, 0, 0, 0])


def ipv6_fragment_header(nxt: int, offset: int, more: bool, ident: int) -> bytes:
    return struct.pack("!BBHI", nxt, 0, (offset & 0xFFF8) | int(more), ident)


def ipv6_fragments(
    src: str, dst: str, nxt: int, payload: bytes, size: int, ident: int = 9
) -> list[bytes]:
    assert size % 8 == 0
    parts = []
    for start in range(0, len(payload), size):
        more = start + size < len(payload)
        header = ipv6_fragment_header(nxt, start, more, ident)
        parts.append(ipv6(src, dst, 44, payload[start : start + size], header))
    return parts


# -- link layers --------------------------------------------------------------------------

MAC_A, MAC_B = bytes.fromhex("020000000001"), bytes.fromhex("020000000002")
ETH_IPV4, ETH_IPV6 = 0x0800, 0x86DD


def ethernet(packet: bytes, ethertype: int, tags: Sequence[tuple[int, int]] = ()) -> bytes:
    """tags: (tag protocol identifier, VLAN id), outermost first."""
    tagged = b"".join(struct.pack("!HH", tpid, vid) for tpid, vid in tags)
    return MAC_B + MAC_A + tagged + struct.pack("!H", ethertype) + packet


def sll(packet: bytes, ethertype: int) -> bytes:
    return struct.pack("!HHH8sH", 0, 1, 6, MAC_A + b"\0\0", ethertype) + packet


def sll2(packet: bytes, ethertype: int) -> bytes:
    return struct.pack("!HHIHBB8s", ethertype, 0, 2, 1, 0, 6, MAC_A + b"\0\0") + packet


def bsd_null(packet: bytes, family: int, order: str = "<") -> bytes:
    return struct.pack(order + "I", family) + packet


def bsd_loop(packet: bytes, family: int) -> bytes:
    return struct.pack("!I", family) + packet


def cisco_hdlc(packet: bytes, ethertype: int) -> bytes:
    return struct.pack("!BBH", 0x0F, 0, ethertype) + packet


# -- Modbus/TCP conversations -------------------------------------------------------------


def modbus_request(trans_id: int = 1, unit_id: int = 4) -> bytes:
    """Read Holding Registers, 10 registers from 0."""
    return encode_adu(trans_id, unit_id, bytes.fromhex("030000000a"))


def modbus_response(trans_id: int = 1, unit_id: int = 4) -> bytes:
    return encode_adu(trans_id, unit_id, bytes.fromhex("0314") + bytes(20))


def modbus_exchange4(trans_id: int = 1) -> tuple[bytes, bytes]:
    """IPv4 packets of one Modbus request and its response."""
    request = tcp(CLIENT_PORT, MODBUS_PORT, modbus_request(trans_id), seq=1000)
    response = tcp(MODBUS_PORT, CLIENT_PORT, modbus_response(trans_id), seq=5000)
    return ipv4(CLIENT4, SERVER4, 6, request, 1), ipv4(SERVER4, CLIENT4, 6, response, 2)


def modbus_exchange6(trans_id: int = 1, extensions: bytes = b"", nxt: int = 6) -> tuple[bytes, ...]:
    request = tcp(CLIENT_PORT, MODBUS_PORT, modbus_request(trans_id), seq=1000)
    response = tcp(MODBUS_PORT, CLIENT_PORT, modbus_response(trans_id), seq=5000)
    return (
        ipv6(CLIENT6, SERVER6, nxt, request, extensions),
        ipv6(SERVER6, CLIENT6, nxt, response, extensions),
    )


# -- running the engine -------------------------------------------------------------------


class Unit(NamedTuple):
    frame: int
    ts: float
    src: str
    sport: int
    dst: str
    dport: int
    message: Any
    answered: Any


class RecordingSink:
    """Engine sink that keeps every unit."""

    def __init__(self) -> None:
        self.units: list[Unit] = []

    def unit(
        self, frame: int, ts: float, flow: Any, direction: int, message: Any, answered: Any
    ) -> None:
        src, sport, dst, dport = flow.text[direction]
        self.units.append(Unit(frame, ts, src, sport, dst, dport, message, answered))


def frames_of(
    packets: Iterable[bytes], linktype: int, start: float = 1_700_000_000.0
) -> list[Frame]:
    return [Frame(start + i, linktype, p, len(p)) for i, p in enumerate(packets)]


def run_engine(frames: Iterable[Frame]) -> tuple[list[Unit], Any]:
    """Units the engine reports for frames, and its capture-health summary."""
    sink = RecordingSink()
    engine = Engine(PROTOCOLS, sink)
    engine.run(frames)
    return sink.units, engine.finish()

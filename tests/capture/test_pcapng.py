"""pcapng reading: sections and byte orders, interfaces, timestamp options, packet blocks,
skipped blocks, and damage (draft-ietf-opsawg-pcapng section 4)."""

from __future__ import annotations

import contextlib
import struct
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interlock.capture import chunks, open_capture
from interlock.capture.frames import Frame
from interlock.capture.pcapng import MAX_BLOCK
from interlock.errors import CaptureError, CaptureFormatError, CaptureTruncated

from .builders import (
    block,
    end_of_options,
    epb,
    idb,
    obsolete_pb,
    option,
    read_bytes,
    shb,
    spb,
    tsoffset,
    tsresol,
)

TS_US = 1_412_345_678_123_456  # 2014-10-03T14:14:38.123456Z in microseconds


def frames_of(data: bytes) -> list[tuple[float, int, bytes, int]]:
    return [(f.ts, f.linktype, f.data, f.wire_len) for f in read_bytes(data)]


def test_one_section_one_interface(tmp_path: Path) -> None:
    data = shb() + idb(1) + epb(b"abc", TS_US) + epb(b"defg", TS_US + 1, wire_len=1500)
    path = tmp_path / "one.pcapng"
    path.write_bytes(data)
    frames = list(open_capture(path))
    assert [(f.data, f.wire_len, f.linktype) for f in frames] == [
        (b"abc", 3, 1),
        (b"defg", 1500, 1),
    ]
    assert frames[0].ts == 1_412_345_678.123456
    assert frames[1].ts == 1_412_345_678.123457


def test_several_interfaces_with_different_link_types() -> None:
    data = (
        shb()
        + idb(1)
        + idb(113)
        + idb(101)
        + epb(b"eth", iface=0)
        + epb(b"sll", iface=1)
        + epb(b"raw", iface=2)
        + epb(b"eth2", iface=0)
    )
    assert [(f[1], f[2]) for f in frames_of(data)] == [
        (1, b"eth"),
        (113, b"sll"),
        (101, b"raw"),
        (1, b"eth2"),
    ]


def test_a_big_endian_section_after_a_little_endian_one() -> None:
    little = shb("<") + idb(1, order="<") + idb(276, order="<") + epb(b"L0", TS_US, 1, "<")
    big = (
        shb(">")
        + idb(101, order=">", options=tsresol(9, ">") + end_of_options(">"))
        + epb(b"B0", 1_412_345_678_000_000_001, 0, ">")
        + spb(b"B1", order=">")
    )
    third = shb("<") + idb(0) + epb(b"L1", 5_000_000)
    frames = frames_of(little + big + third)
    assert [(f[1], f[2]) for f in frames] == [(276, b"L0"), (101, b"B0"), (101, b"B1"), (0, b"L1")]
    assert frames[0][0] == 1_412_345_678.123456
    assert frames[1][0] == pytest.approx(1_412_345_678.000000001, abs=1e-6)
    assert frames[3][0] == 5.0


def test_interfaces_belong_to_their_section() -> None:
    """A new section forgets the interfaces of the one before it."""
    data = shb() + idb(1) + idb(1) + epb(b"a", iface=1) + shb() + idb(1) + epb(b"b", iface=1)
    got: list[Frame] = []
    with pytest.raises(CaptureFormatError, match="interface 1"):
        got.extend(read_bytes(data))
    assert [f.data for f in got] == [b"a"]


@pytest.mark.parametrize(
    ("code", "ticks", "expected"),
    [
        (6, TS_US, 1_412_345_678.123456),
        (9, 1_412_345_678_123_456_789, 1_412_345_678.1234567),
        (3, 1_412_345_678_123, 1_412_345_678.123),
        (0, 1_412_345_678, 1_412_345_678.0),
        (0x80 | 10, 1_412_345_678 * 1024 + 512, 1_412_345_678.5),
        (0x80 | 20, 1_412_345_678 * 2**20 + 2**18, 1_412_345_678.25),
        (0x80 | 0, 1_412_345_678, 1_412_345_678.0),
    ],
)
@pytest.mark.parametrize("order", ["<", ">"])
def test_if_tsresol(code: int, ticks: int, expected: float, order: str) -> None:
    options = tsresol(code, order) + end_of_options(order)
    data = shb(order) + idb(1, order=order, options=options) + epb(b"x", ticks, order=order)
    assert frames_of(data)[0][0] == pytest.approx(expected, abs=1e-7)


@pytest.mark.parametrize("order", ["<", ">"])
def test_if_tsoffset_adds_seconds(order: str) -> None:
    options = tsoffset(1_400_000_000, order) + tsresol(3, order) + end_of_options(order)
    data = shb(order) + idb(1, order=order, options=options) + epb(b"x", 12_345_678, order=order)
    assert frames_of(data)[0][0] == 1_400_012_345.678


def test_negative_if_tsoffset() -> None:
    data = shb() + idb(1, options=tsoffset(-100)) + epb(b"x", 1_000_000_000)
    assert frames_of(data)[0][0] == 900.0


def test_timestamps_are_the_nearest_float_to_the_recorded_time() -> None:
    """ticks * 1e-6 would print 1412345678.1234562 for some of these; ticks / 10**6 does not."""
    ticks = [TS_US + i * 7919 for i in range(2000)]
    data = shb() + idb(1) + b"".join(epb(b"", t) for t in ticks)
    assert [f[0] for f in frames_of(data)] == [t / 10**6 for t in ticks]


def test_unknown_options_and_options_after_end_are_ignored() -> None:
    options = option(2, b"eth0\0") + option(0x8001, b"\1\2\3") + end_of_options() + tsresol(9)
    data = shb(options=option(4, b"test") + end_of_options()) + idb(1, options=options)
    assert frames_of(data + epb(b"x", 3_000_000))[0][0] == 3.0


def test_an_option_overrunning_its_block_is_ignored() -> None:
    body = struct.pack("<HHI", 1, 0, 0) + struct.pack("<HH", 9, 40) + b"\x09\0\0\0"
    data = shb() + block(1, body) + epb(b"x", 2_000_000)
    assert frames_of(data) == [(2.0, 1, b"x", 1)]


def test_enhanced_packet_options_do_not_leak_into_the_packet() -> None:
    packet = epb(b"hello")
    flags = option(2, struct.pack("<I", 1)) + end_of_options()
    # Insert an epb_flags option before the trailing length, fixing both lengths.
    length = len(packet) + len(flags)
    with_opts = struct.pack("<II", 6, length) + packet[8:-4] + flags + struct.pack("<I", length)
    assert frames_of(shb() + idb(1) + with_opts)[0][2] == b"hello"


def test_simple_packet_block_caplen_limits() -> None:
    data = (
        shb()
        + idb(1, snaplen=4)
        + spb(b"abcdefgh")  # snaplen cuts it to 4
        + spb(b"ab", wire_len=1500)  # the block holds 2, padded to 4 (Wireshark keeps 4 too)
        + spb(b"xyz", wire_len=2)  # the wire length is smaller than what is there
    )
    frames = frames_of(data)
    assert [(f[2], f[3]) for f in frames] == [(b"abcd", 8), (b"ab\0\0", 1500), (b"xy", 2)]
    assert {f[0] for f in frames} == {0.0}


def test_simple_packet_block_without_snaplen_uses_interface_0() -> None:
    data = shb() + idb(113) + idb(1) + spb(b"q" * 301)
    assert frames_of(data) == [(0.0, 113, b"q" * 301, 301)]


def test_simple_packet_block_before_any_interface() -> None:
    with pytest.raises(CaptureFormatError, match="before any interface"):
        frames_of(shb() + spb(b"x"))


def test_obsolete_packet_block() -> None:
    data = shb() + idb(1) + idb(101) + obsolete_pb(b"old", TS_US, iface=1)
    assert frames_of(data) == [(1_412_345_678.123456, 101, b"old", 3)]


@pytest.mark.parametrize(
    "skipped",
    [
        block(4, struct.pack("<HH", 0, 0)),  # name resolution
        block(5, struct.pack("<III", 0, 0, 0)),  # interface statistics
        block(0x0BAD, b"custom, copyable"),
        block(0x40000BAD, b"custom, not copyable"),
        block(10, bytes(12)),  # decryption secrets
        block(0x7777, b""),  # unknown, empty body
    ],
)
def test_unknown_and_unneeded_blocks_are_skipped(skipped: bytes) -> None:
    data = shb() + skipped + idb(1) + skipped + epb(b"a") + skipped + epb(b"b") + skipped
    assert [f[2] for f in frames_of(data)] == [b"a", b"b"]


def _sample() -> tuple[bytes, list[int], list[bytes]]:
    """A file, the offsets at which its blocks end, and its packets."""
    blocks = [shb(), idb(1), epb(b"one"), block(0x0BAD, b"zz"), spb(b"two")]
    blocks += [shb(">"), idb(101, order=">"), epb(b"three", order=">"), obsolete_pb(b"four")]
    blocks[-1] = obsolete_pb(b"four", order=">")
    ends, pos = [], 0
    for b in blocks:
        pos += len(b)
        ends.append(pos)
    return b"".join(blocks), ends, [b"one", b"two", b"three", b"four"]


def test_truncation_anywhere_yields_complete_packets_then_raises() -> None:
    data, ends, packets = _sample()
    packet_ends = [ends[2], ends[4], ends[7], ends[8]]
    for cut in range(4, len(data)):
        got: list[bytes] = []
        if cut in ends:
            got = [f.data for f in read_bytes(data[:cut])]
        else:
            with pytest.raises(CaptureTruncated):
                got.extend(f.data for f in read_bytes(data[:cut]))
        assert got == packets[: sum(1 for e in packet_ends if e <= cut)], cut


def test_truncation_message_counts_the_packets_read() -> None:
    data, _, _ = _sample()
    with pytest.raises(CaptureTruncated, match=r"\(3 packets read\)"):
        frames_of(data[:-3])


@pytest.mark.parametrize(
    "bad",
    [
        struct.pack("<II", 6, 8) + bytes(8),  # shorter than any block
        struct.pack("<II", 6, 30) + bytes(30),  # not a multiple of 4
        struct.pack("<II", 6, MAX_BLOCK + 4) + bytes(16),  # absurdly large
        struct.pack("<II", 6, 16) + bytes(4) + struct.pack("<I", 16),  # EPB without its header
        struct.pack("<II", 1, 12) + struct.pack("<I", 12),  # IDB without link type
        struct.pack("<II", 3, 12) + struct.pack("<I", 12),  # SPB without wire length
        struct.pack("<II", 2, 28) + bytes(16) + struct.pack("<I", 28),  # short obsolete PB
        epb(b"abcd")[:-4] + struct.pack("<I", 99),  # trailing length differs
    ],
)
def test_invalid_block_length_is_a_format_error(bad: bytes) -> None:
    got: list[Frame] = []
    with pytest.raises(CaptureFormatError):
        got.extend(read_bytes(shb() + idb(1) + epb(b"ok") + bad + epb(b"never")))
    assert [f.data for f in got] == [b"ok"]


def test_invalid_section_header_length() -> None:
    with pytest.raises(CaptureFormatError, match="invalid length"):
        frames_of(struct.pack("<II", 0x0A0D0D0A, 20) + struct.pack("<I", 0x1A2B3C4D) + bytes(8))


def test_section_header_without_byte_order_magic() -> None:
    data = struct.pack("<III", 0x0A0D0D0A, 28, 0x12345678) + bytes(12) + struct.pack("<I", 28)
    with pytest.raises(CaptureFormatError, match="byte-order magic"):
        frames_of(data)


def test_packet_naming_an_undefined_interface() -> None:
    got: list[Frame] = []
    with pytest.raises(CaptureFormatError, match="interface 2, which is undefined"):
        got.extend(read_bytes(shb() + idb(1) + idb(1) + epb(b"ok", iface=1) + epb(b"x", iface=2)))
    assert [f.data for f in got] == [b"ok"]


def test_packet_before_any_interface() -> None:
    with pytest.raises(CaptureFormatError, match="undefined"):
        frames_of(shb() + obsolete_pb(b"x"))


def test_caplen_larger_than_the_block() -> None:
    packet = bytearray(epb(b"abcdefgh"))
    struct.pack_into("<I", packet, 20, 200)  # caplen
    with pytest.raises(CaptureFormatError, match="claims 200 bytes"):
        frames_of(shb() + idb(1) + bytes(packet))


@given(
    sizes=st.lists(st.integers(0, 100), max_size=20),
    chunk=st.integers(1, 300),
    order=st.sampled_from("<>"),
)
@settings(max_examples=100, deadline=None)
def test_any_chunk_size_reads_the_same_packets(sizes: list[int], chunk: int, order: str) -> None:
    packets = [bytes([i]) * n for i, n in enumerate(sizes)]
    data = shb(order) + idb(1, order=order) + b"".join(epb(p, order=order) for p in packets)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(chunks, "READ_CHUNK", chunk)
        assert [f[2] for f in frames_of(data)] == packets


def test_a_damaged_file_never_raises_anything_but_capture_errors() -> None:
    data, _, _ = _sample()
    for i in range(len(data)):
        for value in (0x00, 0xFF, data[i] ^ 0x04):
            damaged = data[:i] + bytes([value]) + data[i + 1 :]
            with contextlib.suppress(CaptureError):
                frames_of(damaged)

"""Classic pcap reading: byte orders, timestamp resolutions, chunk boundaries, damage."""

from __future__ import annotations

import random
import struct
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interlock.capture import chunks, open_capture
from interlock.capture.frames import MAX_RECORD, READ_CHUNK, Frame
from interlock.errors import CaptureFormatError, CaptureTruncated

from .builders import Record, pcap_file, pcap_header, pcap_record, read_bytes

RECORDS = [
    Record(1_412_345_678, 123_456, b"\x01" * 60),
    Record(1_412_345_679, 0, b"", 0),
    Record(1_412_345_680, 999_999, bytes(range(256)) * 3, 1514),
]


def write(tmp_path: Path, data: bytes, name: str = "c.pcap") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("order", ["<", ">"])
def test_microsecond_file_in_either_byte_order(tmp_path: Path, order: str) -> None:
    path = write(tmp_path, pcap_file(RECORDS, linktype=1, order=order))
    frames = list(open_capture(path))
    assert [f.data for f in frames] == [r.data for r in RECORDS]
    assert [f.wire_len for f in frames] == [60, 0, 1514]
    assert {f.linktype for f in frames} == {1}
    assert frames[0].ts == 1_412_345_678.123456
    assert frames[1].ts == 1_412_345_679.0
    assert frames[2].ts == 1_412_345_680.999999


@pytest.mark.parametrize("order", ["<", ">"])
def test_nanosecond_file_in_either_byte_order(tmp_path: Path, order: str) -> None:
    records = [Record(1_412_345_678, 123_456_789, b"x" * 10), Record(5, 1, b"y")]
    path = write(tmp_path, pcap_file(records, linktype=113, order=order, nano=True))
    frames = list(open_capture(path))
    assert [f.data for f in frames] == [b"x" * 10, b"y"]
    assert frames[0].ts == pytest.approx(1_412_345_678.123456789, abs=1e-6)
    assert frames[1].ts == pytest.approx(5.000000001, abs=1e-12)
    assert {f.linktype for f in frames} == {113}


@given(sec=st.integers(0, 2**32 - 1), usec=st.integers(0, 999_999))
@settings(max_examples=200, deadline=None)
def test_microsecond_timestamps_are_the_nearest_float(sec: int, usec: int) -> None:
    """The printed ts is the decimal in the file (no 0.1234562-style rounding error)."""
    data = pcap_file([Record(sec, usec, b"")])
    frames = list(read_bytes(data))
    assert frames[0].ts == (sec * 1_000_000 + usec) / 1_000_000


def test_linktype_comes_from_the_header_and_fcs_bits_are_ignored(tmp_path: Path) -> None:
    header = bytearray(pcap_header(linktype=1))
    struct.pack_into("<I", header, 20, 0x1000_0000 | 0x0400_0000 | 228)  # FCS flag bits
    path = write(tmp_path, bytes(header) + pcap_record(Record(1, 0, b"\x45")))
    assert [f.linktype for f in open_capture(path)] == [228]


def _big_records(seed: int, total: int) -> list[Record]:
    rng = random.Random(seed)
    records, size = [], 24
    while size < total:
        n = rng.choice([0, 1, 15, 16, 17, 60, 1514, rng.randrange(9000), 200_000])
        data = rng.randbytes(n)
        records.append(Record(size, rng.randrange(1_000_000), data, n + 4))
        size += 16 + n
    return records


@pytest.mark.parametrize("order", ["<", ">"])
def test_records_straddling_the_read_chunk_boundary(tmp_path: Path, order: str) -> None:
    records = _big_records(7, 3 * READ_CHUNK + 12345)
    path = write(tmp_path, pcap_file(records, order=order))
    assert path.stat().st_size > 3 * READ_CHUNK
    frames = list(open_capture(path))
    assert len(frames) == len(records)
    for frame, record in zip(frames, records, strict=True):
        assert frame.data == record.data
        assert frame.wire_len == record.wire_len
        assert frame.ts == pytest.approx(record.sec + record.frac / 1e6)


@pytest.mark.parametrize("shift", range(-20, 21, 3))
def test_a_record_header_split_by_the_chunk_boundary(tmp_path: Path, shift: int) -> None:
    # Fill up to just before 1 MiB so that the next record header starts near the boundary.
    filler = [Record(i, 0, bytes([i]) * 200_000) for i in range(5)]
    used = 24 + 5 * 200_016 + 16
    records = [*filler, Record(9, 0, b"a" * (READ_CHUNK - used + shift)), Record(10, 0, b"b")]
    path = write(tmp_path, pcap_file(records))
    assert [f.data for f in open_capture(path)] == [r.data for r in records]


@given(
    sizes=st.lists(st.integers(0, 300), max_size=30),
    chunk=st.integers(1, 700),
    order=st.sampled_from("<>"),
)
@settings(max_examples=200, deadline=None)
def test_any_chunk_size_reads_the_same_records(sizes: list[int], chunk: int, order: str) -> None:
    records = [Record(i, i, bytes([i % 256]) * n, n) for i, n in enumerate(sizes)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(chunks, "READ_CHUNK", chunk)
        frames = list(read_bytes(pcap_file(records, order=order)))
    assert [(f.data, f.wire_len) for f in frames] == [(r.data, r.wire_len) for r in records]


def _cut_points(records: list[Record]) -> tuple[bytes, set[int]]:
    data = pcap_file(records)
    boundaries, pos = {24}, 24
    for r in records:
        pos += 16 + len(r.data)
        boundaries.add(pos)
    return data, boundaries


def test_truncation_anywhere_yields_every_complete_record_then_raises(tmp_path: Path) -> None:
    records = [Record(i, 0, bytes([i]) * (5 + 7 * i)) for i in range(6)]
    data, boundaries = _cut_points(records)
    path = tmp_path / "cut.pcap"
    for cut in range(4, len(data)):
        path.write_bytes(data[:cut])
        got: list[bytes] = []
        if cut in boundaries:
            got = [f.data for f in open_capture(path)]
        else:
            with pytest.raises(CaptureTruncated):
                got.extend(f.data for f in open_capture(path))
        complete = max(0, sum(1 for b in boundaries if b <= cut) - 1)
        assert got == [r.data for r in records[:complete]], cut


def test_truncated_inside_a_record_header_says_so(tmp_path: Path) -> None:
    data = pcap_file(RECORDS)
    path = write(tmp_path, data[: 24 + 16 + 60 + 9])
    got: list[Frame] = []
    with pytest.raises(CaptureTruncated, match="header of record 2") as info:
        got.extend(open_capture(path))
    assert [f.data for f in got] == [RECORDS[0].data]
    assert info.value.code == "capture.truncated"


def test_truncated_inside_record_data_says_so(tmp_path: Path) -> None:
    data = pcap_file(RECORDS)
    path = write(tmp_path, data[:-1])
    got: list[Frame] = []
    with pytest.raises(CaptureTruncated, match="inside record 3") as info:
        got.extend(open_capture(path))
    assert len(got) == 2
    assert "2 complete records" in str(info.value)


def test_truncated_file_header(tmp_path: Path) -> None:
    path = write(tmp_path, pcap_header()[:20])
    with pytest.raises(CaptureTruncated):
        list(open_capture(path))


@pytest.mark.parametrize("where", ["first", "after a good record", "past the chunk"])
def test_an_absurd_caplen_is_a_format_error(tmp_path: Path, where: str) -> None:
    good = [Record(1, 0, b"ok")] if where != "first" else []
    if where == "past the chunk":
        good.extend(Record(2, 0, b"z" * 200_000) for _ in range(6))  # past the first chunk
    bad = struct.pack("<IIII", 3, 0, MAX_RECORD + 1, 100) + bytes(MAX_RECORD + 1)
    path = write(tmp_path, pcap_file(good) + bad)
    got: list[Frame] = []
    with pytest.raises(CaptureFormatError, match="claims 262145 bytes"):
        got.extend(open_capture(path))
    assert [f.data for f in got] == [r.data for r in good]


def test_a_huge_caplen_in_a_short_file_is_a_format_error_not_truncation(tmp_path: Path) -> None:
    path = write(tmp_path, pcap_header() + struct.pack("<IIII", 1, 0, 0xFFFF_FFF0, 60) + b"abc")
    with pytest.raises(CaptureFormatError):
        list(open_capture(path))


def test_largest_allowed_record(tmp_path: Path) -> None:
    records = [Record(1, 0, b"m" * MAX_RECORD), Record(2, 0, b"n")]
    path = write(tmp_path, pcap_file(records))
    assert [len(f.data) for f in open_capture(path)] == [MAX_RECORD, 1]


def test_header_only_file_has_no_frames(tmp_path: Path) -> None:
    assert list(open_capture(write(tmp_path, pcap_header()))) == []

"""open_capture: the format from the magic number, errors for what is not a capture, fuzzing
with arbitrary bytes, and flat memory on a long capture."""

from __future__ import annotations

import errno
import io
import struct
import tracemalloc
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interlock.capture import open_capture, reader
from interlock.capture.pcap import MAGICS
from interlock.errors import CaptureError, CaptureFormatError

from .builders import Record, epb, idb, pcap_file, pcap_header, read_bytes, shb

PCAP = pcap_file([Record(1, 2, b"pcap frame")], linktype=101)
PCAPNG = shb() + idb(101) + epb(b"pcapng frame", 1_000_000)


@pytest.mark.parametrize("name", ["x.pcap", "x.pcapng", "x.cap", "x", "x.txt"])
@pytest.mark.parametrize(("data", "expected"), [(PCAP, b"pcap frame"), (PCAPNG, b"pcapng frame")])
def test_the_format_comes_from_the_magic_not_the_extension(
    tmp_path: Path, name: str, data: bytes, expected: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert [f.data for f in open_capture(path)] == [expected]
    assert [f.data for f in open_capture(str(path))] == [expected]


@pytest.mark.parametrize("data", [b"", b"\xd4", b"\xd4\xc3\xb2", b"\n\r\r"])
def test_an_empty_or_tiny_file_is_a_format_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "tiny.pcap"
    path.write_bytes(data)
    with pytest.raises(CaptureFormatError, match="empty or too short") as info:
        list(open_capture(path))
    assert info.value.code == "capture.format"
    assert info.value.exit_status == 2


@pytest.mark.parametrize(
    "data", [b"GET / HTTP/1.1\r\n\r\n", b"\x7fELF\x02\x01\x01", b"PK\x03\x04" + bytes(40)]
)
def test_a_file_that_is_not_a_capture_is_a_format_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "notes.pcap"
    path.write_bytes(data)
    with pytest.raises(CaptureFormatError, match=f"magic number {data[:4].hex()}"):
        list(open_capture(path))


def test_a_missing_file_fails_when_opened_not_when_read(tmp_path: Path) -> None:
    with pytest.raises(CaptureError, match="cannot open") as info:
        open_capture(tmp_path / "missing.pcap")
    assert type(info.value) is CaptureError
    assert "Traceback" not in str(info.value)


def test_a_directory_is_a_capture_error(tmp_path: Path) -> None:
    with pytest.raises(CaptureError):
        list(open_capture(tmp_path))


class _FailingStream(io.BytesIO):
    """A file whose reads fail with EIO after its first bytes (a dying disk or mount)."""

    def read(self, n: int | None = -1) -> bytes:
        if self.tell() >= 24:
            raise OSError(errno.EIO, "Input/output error")
        return super().read(min(n or 24, 24 - self.tell()))


def test_a_read_error_part_way_is_a_capture_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def fake_open(path: Any, mode: str) -> io.BytesIO:
        return _FailingStream(pcap_file([Record(1, 0, b"x")]))

    monkeypatch.setattr(reader, "open", fake_open, raising=False)
    with pytest.raises(CaptureError, match="cannot read: Input/output error"):
        list(open_capture("dying.pcap"))


def test_the_file_is_closed_when_reading_stops_early(tmp_path: Path) -> None:
    path = tmp_path / "two.pcap"
    path.write_bytes(pcap_file([Record(1, 0, b"a"), Record(2, 0, b"b")]))
    opened: list[Any] = []
    real_open = open

    def spy(file: Any, mode: str) -> Any:
        stream = real_open(file, mode)
        opened.append(stream)
        return stream

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(reader, "open", spy, raising=False)
        frames = open_capture(path)
        next(frames)
        assert isinstance(frames, Generator)
        frames.close()
    assert opened and opened[0].closed


# -- arbitrary bytes ----------------------------------------------------------------------

MAGIC_PREFIXES = [*MAGICS, b"\x0a\x0d\x0d\x0a"]


def _prefixes() -> st.SearchStrategy[bytes]:
    pcap_headers = st.builds(
        pcap_header,
        linktype=st.integers(0, 300),
        order=st.sampled_from("<>"),
        nano=st.booleans(),
    )
    pcapng_start = st.sampled_from(
        [shb("<"), shb(">"), shb("<") + idb(1), shb(">") + idb(1, order=">")]
    )
    return st.one_of(
        st.sampled_from(MAGIC_PREFIXES),
        pcap_headers,
        pcapng_start,
        st.binary(min_size=4, max_size=4),
        st.just(b""),
    )


def _check_reads_safely(data: bytes) -> None:
    frames = 0
    try:
        for _frame in read_bytes(data):
            frames += 1
            assert frames <= len(data) // 12, "more frames than the bytes can hold: a loop?"
    except CaptureError:
        pass


@given(prefix=_prefixes(), rest=st.binary(max_size=600))
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@pytest.mark.timeout(120)
def test_arbitrary_bytes_raise_only_capture_errors(prefix: bytes, rest: bytes) -> None:
    _check_reads_safely(prefix + rest)


def _record_like(order: str) -> st.SearchStrategy[bytes]:
    """A pcap record header with small or hostile lengths, then some bytes."""
    lengths = st.one_of(st.integers(0, 64), st.integers(0, 2**32 - 1))
    return st.builds(
        lambda sec, caplen, wire, body: struct.pack(order + "IIII", sec, 0, caplen, wire) + body,
        st.integers(0, 2**32 - 1),
        lengths,
        lengths,
        st.binary(max_size=64),
    )


@given(order=st.sampled_from("<>"), data=st.data())
@settings(max_examples=200, deadline=None)
@pytest.mark.timeout(120)
def test_pcap_records_with_hostile_lengths_raise_only_capture_errors(
    order: str, data: st.DataObject
) -> None:
    records = data.draw(st.lists(_record_like(order), max_size=6))
    _check_reads_safely(pcap_header(order=order) + b"".join(records))


def _block_like(order: str) -> st.SearchStrategy[bytes]:
    """A pcapng block with any type we read and a length that may lie."""
    return st.builds(
        lambda kind, length, body, trailer: (
            struct.pack(order + "II", kind, length)
            + body
            + struct.pack(order + "I", length if trailer else length ^ 4)
        ),
        st.sampled_from([1, 2, 3, 4, 5, 6, 0x0A0D0D0A, 0xBAD]),
        st.one_of(st.integers(0, 80).map(lambda n: n * 4), st.integers(0, 2**32 - 1)),
        st.binary(max_size=64),
        st.booleans(),
    )


@given(order=st.sampled_from("<>"), data=st.data())
@settings(max_examples=200, deadline=None)
@pytest.mark.timeout(120)
def test_pcapng_blocks_with_hostile_lengths_raise_only_capture_errors(
    order: str, data: st.DataObject
) -> None:
    blocks = data.draw(st.lists(_block_like(order), max_size=6))
    _check_reads_safely(shb(order) + idb(1, order=order) + b"".join(blocks))


# -- memory -------------------------------------------------------------------------------

FRAMES = 200_000


def _long_capture(path: Path) -> None:
    frame = bytes(range(60))
    records = (
        struct.pack("<IIII", 1_700_000_000 + i // 1000, i % 1000, 60, 60) + frame
        for i in range(FRAMES)
    )
    with path.open("wb") as out:
        out.write(pcap_header())
        out.writelines(records)


def test_streaming_a_long_capture_keeps_memory_flat(tmp_path: Path) -> None:
    path = tmp_path / "long.pcap"
    _long_capture(path)
    assert path.stat().st_size > 15_000_000
    tracemalloc.start()
    try:
        count = 0
        total = 0
        for frame in open_capture(path):
            count += 1
            total += len(frame.data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == FRAMES
    assert total == 60 * FRAMES
    # A 1 MiB chunk and, briefly, its join with the previous chunk's remainder: about 2 MiB.
    assert peak < 3 * 1024 * 1024, f"peak {peak:,} bytes"


def test_streaming_a_long_pcapng_keeps_memory_flat(tmp_path: Path) -> None:
    path = tmp_path / "long.pcapng"
    packet = epb(bytes(60), 1_700_000_000_000_000)
    with path.open("wb") as out:
        out.write(shb() + idb(1))
        out.writelines(packet for _ in range(FRAMES // 4))
    tracemalloc.start()
    try:
        count = sum(1 for _ in open_capture(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == FRAMES // 4
    assert peak < 3 * 1024 * 1024, f"peak {peak:,} bytes"

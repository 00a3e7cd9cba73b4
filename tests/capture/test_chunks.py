"""ChunkedInput: the read cursor under both capture readers."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interlock.capture import chunks
from interlock.capture.chunks import ChunkedInput


def test_ensure_reads_ahead_and_reports_the_end() -> None:
    source = ChunkedInput(io.BytesIO(b"456789"), b"0123")
    assert source.ensure(4) and source.buf[:4] == b"0123"
    source.pos = 3
    assert source.ensure(7)
    assert source.buf[source.pos : source.pos + 7] == b"3456789"
    assert source.file_offset() == 3
    assert not source.ensure(8)
    assert source.buf[source.pos :] == b"3456789"  # nothing lost by a failed ensure
    source.pos += 7
    assert source.at_end()
    assert source.file_offset() == 10


def test_an_empty_stream_is_at_its_end() -> None:
    assert ChunkedInput(io.BytesIO(b"")).at_end()


@given(
    data=st.binary(max_size=400),
    steps=st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50)), max_size=40),
    chunk=st.integers(1, 64),
)
@settings(max_examples=200, deadline=None)
def test_the_cursor_always_sees_the_file_as_it_is(
    data: bytes, steps: list[tuple[int, int]], chunk: int
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(chunks, "READ_CHUNK", chunk)
        source = ChunkedInput(io.BytesIO(data[4:]), data[:4])
        biggest = 0
        for want, advance in steps:
            biggest = max(biggest, want)
            here = source.file_offset()
            ok = source.ensure(want)
            assert ok == (here + want <= len(data))
            assert source.file_offset() == here
            seen = source.buf[source.pos : source.pos + want]
            assert seen == data[here : here + want]
            source.pos += min(advance, len(source.buf) - source.pos)
            # The buffer never holds much more than a chunk beyond the most asked for.
            assert len(source.buf) <= biggest + chunk + 4

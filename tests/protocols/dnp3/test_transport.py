"""Transport segmentation and reassembly (IEEE 1815-2012, section 8)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from interlock.protocols.dnp3.transport import MAX_SEGMENT, Reassembler, segment


def feed(reassembler: Reassembler, segments: list[bytes]) -> list[tuple[object, str]]:
    return [reassembler.add(s[0], s[1:]) for s in segments]


def test_segment_sets_fir_fin_and_sequence() -> None:
    segments = segment(bytes(600), first_seq=62)
    assert [s[0] for s in segments] == [0x40 | 62, 63, 0x80 | 0]
    assert [len(s) - 1 for s in segments] == [MAX_SEGMENT, MAX_SEGMENT, 600 - 2 * MAX_SEGMENT]
    assert segment(b"\xc0\x01", 5) == [bytes((0xC5, 0xC0, 0x01))]


def test_reassembly_joins_and_says_when_the_sequence_wrapped() -> None:
    apdu = bytes(range(256)) * 2
    results = feed(Reassembler(), segment(apdu, 10))
    assert [done for done, _ in results[:-1]] == [None, None]
    done, problem = results[-1]
    assert problem == "" and done is not None
    assert done.apdu == apdu and done.segments == 3 and not done.seq_wrapped  # type: ignore[attr-defined]
    done, _ = feed(Reassembler(), segment(apdu, 63))[-1]
    assert done is not None and done.apdu == apdu and done.seq_wrapped  # type: ignore[attr-defined]


def test_sequence_problems_discard_the_partial_fragment() -> None:
    first, second, third = segment(bytes(700), 0)
    r = Reassembler()
    assert r.add(second[0], second[1:]) == (None, "dnp3.transport_orphan")
    assert r.add(first[0], first[1:]) == (None, "")
    assert r.add(first[0] & 0x3F, first[1:]) == (None, "dnp3.transport_duplicate")
    assert r.add(third[0], third[1:]) == (None, "dnp3.transport_sequence")
    assert r.add(second[0], second[1:]) == (None, "dnp3.transport_orphan")
    r.add(first[0], first[1:])
    done, problem = r.add(first[0], first[1:])  # a new FIR restarts
    assert problem == "dnp3.transport_restart" and done is None


@given(st.lists(st.binary(min_size=1, max_size=250), max_size=80))
def test_reassembly_never_raises(segments: list[bytes]) -> None:
    r = Reassembler()
    for s in segments:
        done, _ = r.add(s[0], s[1:])
        assert done is None or len(done.apdu) <= sum(len(x) for x in segments)


@given(st.binary(max_size=3000), st.integers(0, 63))
def test_segments_reassemble_to_the_fragment(apdu: bytes, seq: int) -> None:
    done, problem = feed(Reassembler(), segment(apdu, seq))[-1]
    assert problem == "" and done is not None and done.apdu == apdu  # type: ignore[attr-defined]

"""Per-connection DNP3 state: reassembly per link, pairing per master/outstation pair."""

from __future__ import annotations

from interlock.protocols.dnp3.application import encode_apdu
from interlock.protocols.dnp3.link import LinkFrame, encode_frame, parse_frame
from interlock.protocols.dnp3.session import Dnp3Session, Observation
from protocols.dnp3.demo_capture import FROM_MASTER, FROM_OUTSTATION, frames, obj


def link(wire: bytes) -> LinkFrame:
    return parse_frame(wire, 0, len(wire))


def feed(
    session: Dnp3Session, wires: list[bytes], from_master: bool, frame: int = 1
) -> list[Observation | None]:
    return [
        session.observe(link(w), from_master, frame + n, float(frame + n))
        for n, w in enumerate(wires)
    ]


def request(outstation: int, seq: int, function: int = 0x01, tseq: int = 0) -> list[bytes]:
    return frames(
        FROM_MASTER, outstation, 1, encode_apdu(0xC0 | seq, function, obj(60, 1, 0x06)), tseq
    )


def response(
    outstation: int, seq: int, body: bytes = b"", tseq: int = 0, control: int = 0xC0
) -> list[bytes]:
    return frames(
        FROM_OUTSTATION, 1, outstation, encode_apdu(control | seq, 0x81, body, iin=0), tseq
    )


def test_link_only_frames_and_bad_crcs_complete_nothing() -> None:
    session = Dnp3Session()
    assert feed(session, [encode_frame(0xC9, 10, 1), encode_frame(0x0B, 1, 10)], True) == [
        None,
        None,
    ]
    bad = bytearray(request(10, 0)[0])
    bad[-1] ^= 1
    assert feed(session, [bytes(bad)], True) == [None]


def test_several_outstations_behind_one_connection() -> None:
    session = Dnp3Session()
    feed(session, request(10, 3) + request(11, 3), True, frame=1)
    big = obj(30, 1, 0x00, bytes((0, 99)), bytes(500))
    from_10, from_11 = response(10, 3, big, tseq=40), response(11, 3, big, tseq=7)
    # Segments of the two responses interleave on the wire; each link reassembles alone.
    results = feed(
        session, [from_10[0], from_11[0], from_10[1], from_11[1], from_10[2], from_11[2]], False, 10
    )
    done = [r for r in results if r is not None and r.fragment is not None]
    assert [(r.fragment.src, r.request.frame if r.request else None) for r in done] == [
        (10, 1),
        (11, 2),
    ]  # type: ignore[union-attr]
    assert all(r.anomaly == "" for r in results if r is not None)


def test_multi_fragment_responses_and_unsolicited() -> None:
    session = Dnp3Session()
    feed(session, request(10, 4), True, frame=1)
    first = feed(session, response(10, 4, control=0x80, tseq=1), False, frame=2)[0]  # FIR only
    second = feed(session, response(10, 5, control=0x40, tseq=2), False, frame=3)[0]  # FIN only
    assert first is not None and first.request is not None and first.request.frame == 1
    assert second is not None and second.request is not None and second.request.frame == 1
    unsolicited = frames(FROM_OUTSTATION, 1, 10, encode_apdu(0xF0, 0x82, b"", iin=0), 3)
    seen = feed(session, unsolicited, False, frame=4)[0]
    assert seen is not None and seen.fragment is not None and seen.request is None


def test_a_fragment_over_the_sequence_wrap_is_flagged() -> None:
    session = Dnp3Session()
    body = obj(30, 1, 0x00, bytes((0, 59)), bytes(300))
    results = feed(session, response(10, 0, body, tseq=63), False)
    assert results[0] is None
    last = results[1]
    assert last is not None and last.fragment is not None and last.seq_wrapped


def test_transport_anomalies_are_reported_on_the_frame() -> None:
    session = Dnp3Session()
    segments = response(10, 0, obj(30, 1, 0x00, bytes((0, 59)), bytes(300)), tseq=0)
    seen = feed(session, [segments[1]], False)[0]
    assert seen == Observation(None, None, False, "dnp3.transport_orphan")

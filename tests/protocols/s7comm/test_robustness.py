"""Whatever arrives on TCP 102, the session, the renderer and the transaction builder
never raise, and the engine reports only what the bytes hold."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from interlock.model import Endpoint
from interlock.protocols.s7comm.clock import decode_clock
from interlock.protocols.s7comm.cotp import encode_dt
from interlock.protocols.s7comm.session import S7Session
from interlock.protocols.s7comm.tpkt import encode_tpkt, parse
from interlock.protocols.s7comm.transactions import build, view
from interlock.render.s7comm_record import s7comm_record
from protocols.s7comm.conversation import records, transactions  # tests/ is on sys.path

CLIENT, SERVER = Endpoint("10.0.0.1", 40001), Endpoint("10.0.0.2", 102)

payloads = st.one_of(
    st.binary(max_size=60).map(lambda b: b"\x32" + b),
    st.tuples(st.sampled_from([1, 2, 3, 7]), st.binary(max_size=60)).map(
        lambda t: (
            bytes((0x32, t[0], 0, 0, 0, 1, 0, len(t[1]) // 2, 0, len(t[1]) - len(t[1]) // 2)) + t[1]
        )
    ),
    st.binary(max_size=60).map(lambda b: b"\x72" + b),
    st.binary(max_size=30),
)
tpdus = st.one_of(
    st.tuples(payloads, st.booleans()).map(lambda t: encode_dt(t[0], t[1])),
    st.binary(max_size=40),
)


@settings(max_examples=300)
@given(st.lists(st.tuples(st.booleans(), tpdus), max_size=12))
def test_session_renderer_and_builder_never_raise(units: list[tuple[bool, bytes]]) -> None:
    session = S7Session()
    for n, (from_client, tpdu) in enumerate(units):
        frame = encode_tpkt(tpdu)
        unit = parse(frame, 0, len(frame))
        seen = session.observe(unit, from_client, n, float(n))
        s7comm_record(unit, 1 if from_client else 0, seen)
        viewed = view(unit, seen)
        if viewed is not None:
            message, request = viewed
            earlier = request.adu if request is not None else None
            build(CLIENT, SERVER, earlier, 1, 0.0, message, n, float(n))
            build(CLIENT, SERVER, message, n, float(n), None, None, None)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 1), st.binary(max_size=50)), max_size=8), tpdus)
def test_the_engine_reports_only_what_the_bytes_hold(
    garbage: list[tuple[int, bytes]], tpdu: bytes
) -> None:
    segments = [*garbage, (0, encode_tpkt(tpdu))]
    for record in records(segments):
        assert record["proto"] in ("s7comm", "s7comm-plus")
        assert all(isinstance(v, int) for v in record["fields"].values())
    transactions(segments)


@given(st.binary(min_size=10, max_size=12))
def test_the_clock_decoder_never_raises(payload: bytes) -> None:
    clock = decode_clock(payload)
    assert clock is None or len(clock) == 23


def test_the_clock_reads_as_wireshark_shows_it() -> None:
    assert decode_clock(bytes.fromhex("00191408201159439125")) == "2014-08-20T11:59:43.912"
    assert decode_clock(bytes.fromhex("001914082011594391")) is None

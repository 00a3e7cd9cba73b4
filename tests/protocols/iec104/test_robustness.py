"""Whatever arrives on TCP 2404, the parser, session, renderer and transaction builder
never raise, records are JSON, and anomalies are strings."""

from __future__ import annotations

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from interlock.model import Endpoint
from interlock.protocols.iec104.apci import parse_apdu, unit_length
from interlock.protocols.iec104.session import Iec104Session
from interlock.protocols.iec104.transactions import build, view
from interlock.render.iec104_record import iec104_record
from protocols.iec104.conversation import asdu, i_frame, records  # tests/ is on sys.path

CLIENT, SERVER = Endpoint("10.0.0.1", 40001), Endpoint("10.0.0.2", 2404)
REAL = [
    bytes.fromhex("680407000000"),
    bytes.fromhex("680401000a00"),
    i_frame(0, 0, asdu(100, 6, 0, b"\x14")),
    i_frame(3, 1, asdu(45, 7, 10010, b"\x81")),
    i_frame(4, 1, bytes((1, 0x84, 20, 0, 10, 0, 1, 0, 0, 1, 0, 1, 0x80))),
    i_frame(5, 2, asdu(103, 6, 0, bytes((0, 0, 30, 12, 0x21, 1, 26)))),
    i_frame(6, 2, asdu(36, 3, 7, bytes(12))),
]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    unit = bytearray(draw(st.sampled_from(REAL)))
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(unit) - 1))
        unit[at] = draw(st.integers(0, 255))
    cut = draw(st.integers(0, len(unit)))
    return bytes(unit[:cut]) + draw(st.binary(max_size=8))


units = st.one_of(mutated(), st.binary(max_size=80))


@settings(max_examples=400)
@given(st.lists(st.tuples(st.booleans(), units), max_size=12))
def test_parser_session_renderer_and_builder_never_raise(found: list[tuple[bool, bytes]]) -> None:
    session = Iec104Session()
    for n, (from_client, data) in enumerate(found):
        unit_length(data, 0)
        apdu = parse_apdu(data, 0, len(data))
        seen = session.observe(apdu, from_client, n, float(n))
        _, fields, anomalies = iec104_record(apdu, 1 if from_client else 0, seen)
        orjson.dumps(fields)
        assert all(isinstance(a, str) and a.startswith("iec104.") for a in anomalies)
        viewed = view(apdu, seen)
        if viewed is not None:
            message, request = viewed
            earlier = request.adu if request is not None else None
            for t in (
                build(CLIENT, SERVER, earlier, 1, 0.0, message, n, float(n)),
                build(CLIENT, SERVER, message, n, float(n), None, None, None),
            ):
                orjson.dumps(t.details)
                assert all(isinstance(v, int) for v in t.values)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 1), units), max_size=8))
def test_the_engine_never_raises_on_a_stream(segments: list[tuple[int, bytes]]) -> None:
    for record in records([(d, s) for d, s in segments if s]):
        assert record["proto"] == "iec104"
        orjson.dumps(record)

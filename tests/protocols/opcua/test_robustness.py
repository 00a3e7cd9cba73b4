"""Whatever arrives on TCP 4840, the parser, session, renderer and transaction builder
never raise, and rendered records are JSON."""

from __future__ import annotations

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from interlock.model import Endpoint
from interlock.protocols.opcua.service import decode_service
from interlock.protocols.opcua.session import OpcUaSession
from interlock.protocols.opcua.transactions import build, view
from interlock.protocols.opcua.transport import encode_chunk, parse_chunk, probe, unit_length
from interlock.render.opcua_record import opcua_record
from protocols.opcua.helpers import BASIC256, hello, open_request, opn, read_request, secure

CLIENT, SERVER = Endpoint("10.0.0.1", 40001), Endpoint("10.0.0.2", 4840)
REAL = [
    hello(),
    opn(open_request()),
    opn(b"\x00" * 30, policy=BASIC256),
    secure("MSG", read_request()),
]


def _mutate(data: bytes, edits: list[tuple[int, int]]) -> bytes:
    out = bytearray(data)
    for index, value in edits:
        out[index % len(out)] = value
    return bytes(out)


units = st.one_of(
    st.tuples(
        st.sampled_from(["HEL", "ACK", "ERR", "RHE", "OPN", "MSG", "CLO"]),
        st.sampled_from("FCAX"),
        st.binary(max_size=80),
    ).map(lambda t: encode_chunk(t[0], t[2], t[1])),
    st.tuples(
        st.sampled_from(REAL),
        st.lists(st.tuples(st.integers(0, 500), st.integers(0, 255)), max_size=6),
    ).map(lambda t: _mutate(*t)),
    st.tuples(st.sampled_from(REAL), st.integers(0, 120)).map(lambda t: t[0][: t[1]]),
    st.binary(max_size=60),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.booleans(), units), max_size=10))
def test_session_renderer_and_builder_never_raise(sequence: list[tuple[bool, bytes]]) -> None:
    session = OpcUaSession()
    for n, (from_client, data) in enumerate(sequence):
        unit_length(data, 0)
        probe(data, 0, len(data))
        chunk = parse_chunk(data, 0, len(data))
        assert all(isinstance(code, str) for code in chunk.anomalies)
        seen = session.observe(chunk, from_client, n, float(n))
        _proto, fields, anomalies = opcua_record(chunk, 1, seen)
        orjson.dumps({"fields": fields, "anomalies": anomalies})
        viewed = view(chunk, seen)
        if viewed is not None:
            message, request = viewed
            earlier = request.adu if request is not None else None
            build(CLIENT, SERVER, earlier, 1, 0.0, message, n, float(n))
            tx = build(CLIENT, SERVER, message, n, float(n), None, None, None)
            orjson.dumps(tx.details)


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=200))
def test_any_body_decodes_without_raising(data: bytes) -> None:
    message = decode_service(data)
    assert all(isinstance(code, str) for code in message.anomalies)
    mutated = decode_service(read_request()[:4] + data)
    assert all(isinstance(code, str) for code in mutated.anomalies)

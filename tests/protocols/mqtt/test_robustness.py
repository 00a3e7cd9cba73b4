"""Whatever arrives on TCP 1883, the parser, session, renderer and transaction builder
never raise, records are JSON, anomalies are strings, and no password ever comes out."""

from __future__ import annotations

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from interlock.model import Endpoint
from interlock.protocols.mqtt.framing import parse_exact, starts_unit, unit_length
from interlock.protocols.mqtt.packets import parse_packet
from interlock.protocols.mqtt.probe import probe
from interlock.protocols.mqtt.session import MqttSession
from interlock.protocols.mqtt.transactions import build, view
from interlock.render.mqtt_record import mqtt_record
from interlock.render.transactions import transaction_record
from protocols.mqtt.builders import connect, packet, publish, subscribe
from protocols.mqtt.conversation import records, transactions

CLIENT, SERVER = Endpoint("10.0.0.1", 40001), Endpoint("10.0.0.2", 1883)

REAL_UNITS = [
    connect(4, "c", "u", b"pw"),
    connect(5, "c", "u", b"pw", will=("w", b"x"), properties=b"\x11\x00\x00\x00\x0a"),
    connect(3, "c"),
    b"\x20\x02\x00\x00",
    packet(0x20, b"\x00\x00\x03\x22\x00\x0a"),
    publish("a/b", b"payload", qos=1, packet_id=3),
    publish("a/b", b"payload", qos=2, v5=b"\x23\x00\x01\x26\x00\x01k\x00\x01v"),
    subscribe(1, ("a/#", 1), ("b", 2)),
    subscribe(1, ("a/#", 0x2D), v5=b"\x0b\x07"),
    packet(0x90, b"\x00\x01\x00\x01\x80"),
    packet(0xA2, b"\x00\x02\x00\x01a"),
    packet(0xB0, b"\x00\x02\x00\x00\x11"),
    b"\x40\x02\x00\x03",
    packet(0x50, b"\x00\x03\x80\x00"),
    b"\x62\x02\x00\x03",
    b"\x70\x02\x00\x03",
    b"\xc0\x00",
    b"\xd0\x00",
    packet(0xE0, b"\x04\x00"),
    packet(0xF0, b"\x18\x00"),
]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    raw = bytearray(draw(st.sampled_from(REAL_UNITS)))
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(raw) - 1))
        raw[at] = draw(st.integers(0, 255))
    cut = draw(st.integers(1, len(raw)))
    return bytes(raw[:cut]) + draw(st.binary(max_size=6))


units = st.one_of(mutated(), st.binary(min_size=1, max_size=60))


@settings(max_examples=500)
@given(st.lists(st.tuples(st.booleans(), units), max_size=12))
def test_parser_session_renderer_and_builder_never_raise(seq: list[tuple[bool, bytes]]) -> None:
    session = MqttSession()
    for n, (from_client, raw) in enumerate(seq):
        assert unit_length(raw, 0) >= 0
        starts_unit(raw, 0, len(raw))
        probe(raw, 0, len(raw))
        parse_exact(raw, 0, len(raw))
        message = parse_packet(raw, 0, len(raw))
        assert all(isinstance(code, str) for code in message.anomalies)
        unit = session.observe(message, from_client, n, float(n))
        for answered in (unit, None):
            _, fields, anomalies = mqtt_record(message, 1, answered)
            orjson.dumps({"fields": fields, "anomalies": anomalies})
            assert all(isinstance(code, str) for code in anomalies)
        viewed = view(message, unit)
        assert viewed is not None
        current, request = viewed
        earlier = request.adu if request is not None else None
        for tx in (
            build(CLIENT, SERVER, earlier, 1, 0.0, current, n, float(n)),
            build(CLIENT, SERVER, current, n, float(n), None, None, None),
            build(CLIENT, SERVER, None, None, None, current, n, float(n)),
        ):
            orjson.dumps(transaction_record(tx))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 1), units), max_size=8))
def test_the_engine_reports_only_mqtt_and_json(segments: list[tuple[int, bytes]]) -> None:
    for record in records(segments):
        assert record["proto"] == "mqtt"
        orjson.dumps(record)
    for tx in transactions(segments):
        orjson.dumps(transaction_record(tx))


passwords = st.binary(min_size=6, max_size=40).filter(lambda p: b"\x00" not in p)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from([3, 4, 5]),
    passwords,
    st.booleans(),
    st.integers(0, 3),
)
def test_the_password_never_appears_in_any_output(
    level: int, password: bytes, will: bool, cut: int
) -> None:
    password = b"PW<" + password + b">"
    raw = connect(level, "client", "user", password, will=("w/t", b"bye") if will else None)
    raw = raw[: len(raw) - cut] if cut else raw  # also cut inside the password
    raw = bytes((raw[0], len(raw) - 2)) + raw[2:] if len(raw) - 2 < 128 else raw
    segments = [(0, raw), (1, b"\x20\x02\x00\x00"), (0, publish("t", b"x", qos=1))]
    message = parse_packet(raw, 0, len(raw))
    outputs = [repr(message), repr(records(segments)), repr(transactions(segments))]
    outputs += [repr(transaction_record(tx)) for tx in transactions(segments)]
    for text in outputs:
        assert repr(password)[2:-1] not in text
        assert password.decode("utf-8", "replace") not in text
        assert password.hex() not in text

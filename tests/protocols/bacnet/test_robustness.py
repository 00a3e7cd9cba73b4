"""Whatever arrives on UDP 47808, the parser, session, renderer and transaction builder
never raise, records are JSON, and anomalies are strings."""

from __future__ import annotations

import struct

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from interlock.model import Endpoint
from interlock.protocols.bacnet.bvlc import parse
from interlock.protocols.bacnet.session import BacnetSession
from interlock.protocols.bacnet.transactions import build, view
from interlock.render.bacnet_record import bacnet_record
from protocols.bacnet.services_capture import DATAGRAMS  # tests/ is on sys.path

CLIENT, SERVER = Endpoint("10.0.0.1", 47808), Endpoint("10.0.0.2", 47808)
REAL = [data for _, _, data in DATAGRAMS]


def _framed(body: bytes) -> bytes:
    return b"\x81\x0a" + struct.pack(">H", 4 + len(body)) + body


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(REAL)))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data) - 1))
        data[at] = draw(st.integers(0, 255))
    cut = draw(st.integers(1, len(data)))
    return bytes(data[:cut])


datagrams = st.one_of(
    st.binary(max_size=80),
    st.binary(max_size=80).map(lambda b: _framed(b"\x01" + b)),
    st.binary(max_size=60).map(lambda b: _framed(b"\x01\x04" + b)),
    mutated(),
)


def _check(message: object, from_a: bool, n: int, session: BacnetSession) -> None:
    seen = session.observe(message, from_a, n, float(n))  # type: ignore[arg-type]
    _proto, fields, anomalies = bacnet_record(message, -1, seen)  # type: ignore[arg-type]
    orjson.dumps({"fields": fields, "anomalies": anomalies})
    assert all(isinstance(a, str) for a in anomalies)
    viewed = view(message, seen)
    if viewed is not None:
        unit, request = viewed
        earlier = request.adu if request is not None else None
        for tx in (
            build(CLIENT, SERVER, earlier, 1, 0.0, unit, n, float(n)),
            build(CLIENT, SERVER, unit, n, float(n), None, None, None),
        ):
            orjson.dumps(tx.details)


@settings(max_examples=400)
@given(st.lists(st.tuples(st.booleans(), datagrams), max_size=10))
def test_nothing_raises(units: list[tuple[bool, bytes]]) -> None:
    session = BacnetSession()
    for n, (from_a, data) in enumerate(units):
        _check(parse(data, 0, len(data)), from_a, n, session)


def test_every_real_datagram_goes_through() -> None:
    session = BacnetSession()
    for n, data in enumerate(REAL):
        _check(parse(data, 0, len(data)), n % 2 == 0, n, session)


def test_short_delete_fdt_entry_regression() -> None:
    """Hypothesis found it: a Delete-FDT-Entry cut inside its address read past the end."""
    data = bytes.fromhex("81080006bac0")
    assert parse(data, 0, len(data)).entries == ()

"""Hypothesis: no bytes make the HTTP framing, parser or renderer raise; records are JSON;
framing never claims more than it can see without waiting (0) or a whole unit."""

from __future__ import annotations

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from interlock.protocols.http.framing import probe, starts_unit, unit_length
from interlock.protocols.http.message import parse_message
from interlock.protocols.http.session import HttpSession
from interlock.render.http_record import http_record
from protocols.http.test_message import CHUNKED, GET, NOT_FOUND, POST

REAL = [GET, POST, CHUNKED, NOT_FOUND, GET + POST]


def _check(data: bytes) -> None:
    starts_unit(data, 0, len(data))
    probe(data, 0, len(data))
    length = unit_length(data, 0)
    end = min(len(data), length) if length > 0 else len(data)
    message = parse_message(data, 0, end)
    assert all(isinstance(a, str) for a in message.anomalies)
    observed = HttpSession().observe(message, True, 1, 0.0)
    _, fields, anomalies = http_record(message, -1, observed)
    orjson.dumps({"fields": fields, "anomalies": anomalies})


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_never_raise(data: bytes) -> None:
    _check(data)


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(REAL),
    st.lists(st.tuples(st.integers(0, 200), st.integers(0, 255)), max_size=8),
    st.integers(0, 250),
)
def test_mutated_messages_never_raise(base: bytes, edits: list[tuple[int, int]], cut: int) -> None:
    data = bytearray(base)
    for pos, value in edits:
        if pos < len(data):
            data[pos] = value
    _check(bytes(data[:cut]))

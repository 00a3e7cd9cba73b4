"""Hypothesis: no bytes make the DNS parser, framing or renderer raise; records are JSON."""

from __future__ import annotations

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from interlock.protocols.dns.framing import parse_prefixed, prefixed_starts, probe_prefixed
from interlock.protocols.dns.message import parse_message
from interlock.render.dns_record import dns_record, mdns_record
from protocols.dns.test_message import query, response

REAL = [query(), response(), response(rcode=3)]


def _check(data: bytes) -> None:
    for message in (parse_message(data), parse_prefixed(data, 0, len(data))):
        assert all(isinstance(a, str) for a in message.anomalies)
        for render in (dns_record, mdns_record):
            _, fields, anomalies = render(message, -1, None)
            orjson.dumps({"fields": fields, "anomalies": anomalies})
    probe_prefixed(data, 0, len(data))
    prefixed_starts(data, 0, len(data))


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_never_raise(data: bytes) -> None:
    _check(data)


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(REAL),
    st.lists(st.tuples(st.integers(0, 200), st.integers(0, 255)), max_size=8),
    st.integers(0, 200),
)
def test_mutated_messages_never_raise(base: bytes, edits: list[tuple[int, int]], cut: int) -> None:
    data = bytearray(base)
    for pos, value in edits:
        if pos < len(data):
            data[pos] = value
    _check(bytes(data[: max(cut, 0)] if cut < len(data) else data))

"""Hypothesis: the identity protocols' parsers never raise, on random bytes and on every
truncation and mutation of the units of the crafted captures; rendered records are
JSON-serializable and anomalies are strings; transactions build from whatever parses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interlock.model import Endpoint
from interlock.protocols.registry import PROTOCOLS
from interlock.render.dissect import RENDERERS
from interlock.transactions import PAIRINGS
from protocols.identity.captures import CAPTURES

LINK = {"arp": 0x0806, "lldp": 0x88CC, "pn_dcp": 0x8892}
CLIENT, SERVER = Endpoint("00:00:00:00:00:01", 0), Endpoint("00:00:00:00:00:02", 0)


def payloads(proto: str) -> list[bytes]:
    """Each crafted frame's unit: what follows the ethertype (or the LLC/SNAP header)."""
    out = []
    for frame in CAPTURES[proto]():
        at = 14
        if frame[12:14] == b"\x81\x00":
            at = 18
        if proto == "cdp":
            at = 22
        out.append(frame[at:])
    return out


def check(proto: str, data: bytes) -> None:
    spec = PROTOCOLS[proto]
    message = spec.parse(data, 0, len(data))
    for role in (-1, 0, 1):
        record = RENDERERS[proto](message, role, None)
        if record is None:
            continue
        _, fields, anomalies = record
        orjson.dumps(fields)
        assert all(isinstance(a, str) for a in anomalies)
    pairing = PAIRINGS[proto]
    viewed: Any = (message, None)
    if pairing.view is not None:
        viewed = pairing.view(message, None)
    if viewed is not None:
        transaction = pairing.build(CLIENT, SERVER, None, None, None, viewed[0], 1, 1.0)
        orjson.dumps(transaction.details)


PROTOS = sorted(CAPTURES)


@pytest.mark.parametrize("proto", PROTOS)
@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=300))
def test_random_bytes_never_raise(proto: str, data: bytes) -> None:
    check(proto, data)


@pytest.mark.parametrize("proto", PROTOS)
def test_every_truncation_of_every_unit_is_handled(proto: str) -> None:
    for unit in payloads(proto):
        for cut in range(len(unit) + 1):
            check(proto, unit[:cut])


def _mutations(proto: str) -> Callable[[Any], None]:
    units = payloads(proto)

    @settings(max_examples=300, deadline=None)
    @given(
        index=st.integers(0, len(units) - 1),
        edits=st.lists(st.tuples(st.integers(0, 400), st.integers(0, 255)), max_size=6),
    )
    def run(index: int, edits: list[tuple[int, int]]) -> None:
        unit = bytearray(units[index])
        for at, value in edits:
            if unit:
                unit[at % len(unit)] = value
        check(proto, bytes(unit))

    return run


@pytest.mark.parametrize("proto", PROTOS)
def test_mutated_units_never_raise(proto: str) -> None:
    _mutations(proto)()

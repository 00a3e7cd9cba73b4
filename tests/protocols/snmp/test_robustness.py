"""Hypothesis: the SNMP and NBNS parsers never raise, on random bytes and on every
truncation and mutation of the crafted captures' messages; rendered records are
JSON-serializable, anomalies are strings; transactions build from whatever parses; and
no mutation ever lets the community reach the output."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interlock.model import Endpoint
from interlock.protocols.registry import PROTOCOLS
from interlock.render.dissect import RENDERERS
from interlock.transactions import PAIRINGS
from protocols.nbns.frames import nbns_payloads
from protocols.snmp.frames import COMMUNITY, snmp_payloads

CLIENT, SERVER = Endpoint("10.0.0.10", 40001), Endpoint("10.0.0.20", 161)
UNITS = {
    "snmp": [message for *_, message in snmp_payloads()],
    "nbns": [message for *_, message in nbns_payloads()],
}
PROTOS = sorted(UNITS)


def check(proto: str, data: bytes) -> None:
    message = PROTOCOLS[proto].parse(data, 0, len(data))
    outputs: list[bytes] = []
    for role in (-1, 0, 1):
        record = RENDERERS[proto](message, role, None)
        if record is None:
            continue
        _, fields, anomalies = record
        outputs.append(orjson.dumps(fields))
        assert all(isinstance(a, str) for a in anomalies)
    pairing = PAIRINGS[proto]
    transaction = pairing.build(CLIENT, SERVER, None, None, None, message, 1, 1.0)
    outputs.append(orjson.dumps(transaction.details))
    session: Any = PROTOCOLS[proto].new_session()
    session.observe(message, True, 1, 1.0)
    answered = session.observe(message, False, 2, 2.0)
    if answered is not None:
        paired = pairing.build(CLIENT, SERVER, answered.adu, 1, 1.0, message, 2, 2.0)
        outputs.append(orjson.dumps(paired.details))
    if proto == "snmp":
        assert all(COMMUNITY not in out for out in outputs)
        assert COMMUNITY not in repr(message).encode()


@pytest.mark.parametrize("proto", PROTOS)
@settings(max_examples=400, deadline=None)
@given(data=st.binary(max_size=400))
def test_random_bytes_never_raise(proto: str, data: bytes) -> None:
    check(proto, data)


@pytest.mark.parametrize("proto", PROTOS)
def test_every_truncation_of_every_unit_is_handled(proto: str) -> None:
    for unit in UNITS[proto]:
        for cut in range(len(unit) + 1):
            check(proto, unit[:cut])


@pytest.mark.parametrize("proto", PROTOS)
@settings(max_examples=400, deadline=None)
@given(
    index=st.integers(0, 100),
    edits=st.lists(st.tuples(st.integers(0, 400), st.integers(0, 255)), max_size=6),
)
def test_mutated_units_never_raise(proto: str, index: int, edits: list[tuple[int, int]]) -> None:
    units = UNITS[proto]
    unit = bytearray(units[index % len(units)])
    for at, value in edits:
        unit[at % len(unit)] = value
    check(proto, bytes(unit))


def test_deep_or_huge_lengths_stay_bounded() -> None:
    """Nested SEQUENCEs, 4-octet lengths and 10,000 varbinds: decoded with caps."""
    check("snmp", b"\x30\x84\xff\xff\xff\xff" + b"\x30\x80" * 1000)
    bind = b"\x30\x05\x06\x01\x2b\x05\x00"
    binds = bind * 10_000
    body = b"\x02\x01\x01\x04\x00" + b"\xa0" + _length(15 + len(binds))
    body += b"\x02\x01\x01\x02\x01\x00\x02\x01\x00\x30" + _length(len(binds)) + binds
    message = PROTOCOLS["snmp"].parse(b"\x30" + _length(len(body)) + body, 0, 10**6)
    assert message.pdu is not None and len(message.pdu.varbinds) == 256
    assert "snmp.too_many_varbinds" in message.anomalies


def _length(n: int) -> bytes:
    return b"\x84" + n.to_bytes(4, "big")

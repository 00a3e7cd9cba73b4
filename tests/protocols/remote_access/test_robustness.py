"""Hypothesis: no remote-access parser, session or renderer raises on any bytes, records
are JSON-serializable and anomalies are strings; mutations of real units included."""

from __future__ import annotations

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interlock.protocols.registry import PROTOCOLS
from interlock.protocols.spec import ProtocolSpec
from interlock.render.dissect import RENDERERS
from protocols.ftp.ftplib_capture import GREETING
from protocols.remote_access import crafted_capture as crafted

NAMES = ("ssh", "ftp", "rdp", "smb", "vnc", "telnet", "teamviewer", "anydesk")
REAL_UNITS = [
    b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u6\r\n",
    bytes.fromhex("0000001c0a14") + bytes(16) + bytes(12),
    GREETING,
    b"PORT 10,0,0,1,4,1\r\n",
    b"227 Entering Passive Mode (10,10,0,21,174,43).\r\n",
    *(data for _, data in crafted.rdp_chunks(False)),
    *(data for _, data in crafted.smb_chunks()),
    *(data for _, data in crafted.vnc_chunks()),
    *(data for _, data in crafted.teamviewer_chunks()),
    b"\xff\xfd\x18\xff\xfa\x18\x01\xff\xf0login: ",
]


def _run(spec: ProtocolSpec, units: list[bytes]) -> None:
    session = spec.new_session()
    render = RENDERERS[spec.name]
    for n, data in enumerate(units):
        if not data:
            continue
        assert isinstance(spec.unit_length(data, 0), int)
        assert isinstance(spec.starts_unit(data, 0, len(data)), bool)
        assert isinstance(spec.probe(data, 0, len(data)), bool)
        spec.parse_exact(data, 0, len(data))
        message = spec.parse(data, 0, len(data))
        answered = session.observe(message, n % 2 == 0, n + 1, float(n))
        for role in (1, 0, -1):
            record = render(message, role, answered)
            if record is not None:
                _, fields, anomalies = record
                orjson.dumps(fields)
                assert all(isinstance(code, str) for code in anomalies)


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=150, deadline=None)
@given(units=st.lists(st.binary(min_size=1, max_size=200), max_size=8))
def test_random_units_never_raise(name: str, units: list[bytes]) -> None:
    _run(PROTOCOLS[name], units)


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=150, deadline=None)
@given(
    index=st.integers(0, len(REAL_UNITS) - 1),
    cut=st.integers(0, 400),
    flips=st.lists(st.tuples(st.integers(0, 400), st.integers(0, 255)), max_size=6),
)
def test_mutated_real_units_never_raise(
    name: str, index: int, cut: int, flips: list[tuple[int, int]]
) -> None:
    data = bytearray(REAL_UNITS[index][: max(1, cut)])
    for at, value in flips:
        data[at % len(data)] = value
    _run(PROTOCOLS[name], [bytes(data)] * 3 + list(REAL_UNITS[:6]))

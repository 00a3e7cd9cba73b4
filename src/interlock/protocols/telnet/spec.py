"""Telnet as the engine sees it: TCP 23, one unit per segment."""

from __future__ import annotations

from interlock.protocols.spec import ProtocolSpec
from interlock.protocols.telnet.session import TelnetSession
from interlock.protocols.telnet.stream import parse, parse_exact, probe, starts_unit, unit_length

SPEC = ProtocolSpec(
    name="telnet",
    tcp_ports=frozenset({23}),
    udp_ports=frozenset(),
    unit_length=unit_length,
    starts_unit=starts_unit,
    probe=probe,
    parse=parse,
    parse_exact=parse_exact,
    new_session=TelnetSession,
    max_unit=65535,
)

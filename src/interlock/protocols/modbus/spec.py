"""Modbus/TCP as the engine sees it: TCP port 502, MBAP framing."""

from __future__ import annotations

from interlock.protocols.modbus.mbap import (
    parse_adu,
    parse_exact,
    probe,
    starts_unit,
    unit_length,
)
from interlock.protocols.modbus.session import ModbusSession
from interlock.protocols.spec import ProtocolSpec

SPEC = ProtocolSpec(
    name="modbus",
    tcp_ports=frozenset({502}),
    udp_ports=frozenset(),
    unit_length=unit_length,
    starts_unit=starts_unit,
    probe=probe,
    parse=parse_adu,
    parse_exact=parse_exact,
    new_session=ModbusSession,
    max_unit=0xFFFF + 6,
)

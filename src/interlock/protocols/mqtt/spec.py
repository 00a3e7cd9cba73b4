"""MQTT as the engine sees it: TCP port 1883, one unit per control packet."""

from __future__ import annotations

from interlock.protocols.mqtt.framing import (
    MAX_REASSEMBLED,
    parse_exact,
    starts_unit,
    unit_length,
)
from interlock.protocols.mqtt.packets import parse_packet
from interlock.protocols.mqtt.probe import probe
from interlock.protocols.mqtt.session import MqttSession
from interlock.protocols.spec import ProtocolSpec

SPEC = ProtocolSpec(
    name="mqtt",
    tcp_ports=frozenset({1883}),
    udp_ports=frozenset(),
    unit_length=unit_length,
    starts_unit=starts_unit,
    probe=probe,
    parse=parse_packet,
    parse_exact=parse_exact,
    new_session=MqttSession,
    max_unit=MAX_REASSEMBLED + 5,
)

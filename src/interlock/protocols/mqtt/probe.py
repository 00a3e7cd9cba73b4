"""Recognizing MQTT by content, on a port that is not 1883 (8883 without TLS, a broker on
a custom port): strict, because a wrong claim hides another protocol's traffic.

A segment is MQTT when it is one or more whole control packets, end to end, none of them
malformed, and the first is one that says a lot about itself: a CONNECT naming "MQTT" or
"MQIsdp" with a level that goes with the name, a PUBLISH to a printable topic, a
SUBSCRIBE or UNSUBSCRIBE of printable filters, a 5.0 CONNACK with properties. Packets of
two to five bytes (PINGREQ, PUBACK, a 3.x CONNACK, SUBACK, DISCONNECT...) never decide
alone.
"""

from __future__ import annotations

from typing import Final

from interlock.protocols.mqtt.framing import unit_length, valid_first_byte
from interlock.protocols.mqtt.packets import MqttPacket, parse_packet
from interlock.protocols.mqtt.vocabulary import (
    CONNACK,
    CONNECT,
    PUBLISH,
    SUBSCRIBE,
    UNSUBSCRIBE,
)

TELLING: Final = frozenset({CONNECT, CONNACK, PUBLISH, SUBSCRIBE, UNSUBSCRIBE})
TOLERATED: Final = frozenset({"mqtt.cleartext_credentials"})
"""Anomalies of well-formed traffic."""
MAX_PROBED_UNITS: Final = 64


def probe(buf: bytes, pos: int, end: int) -> bool:
    """Whether buf[pos:end] is whole, well-formed MQTT control packets."""
    if end - pos < 2 or not valid_first_byte(buf[pos]) or buf[pos] >> 4 not in TELLING:
        return False
    first = True
    for _ in range(MAX_PROBED_UNITS):
        length = unit_length(buf, pos)
        if length <= 1 or pos + length > end or not valid_first_byte(buf[pos]):
            return False
        packet = parse_packet(buf, pos, pos + length)
        if not _well_formed(packet) or (first and not _telling(packet)):
            return False
        first = False
        pos += length
        if pos == end:
            return True
    return False


def _well_formed(packet: MqttPacket) -> bool:
    """No anomaly under the 3.x or under the 5.0 rules."""
    if packet.remaining_length < 0:
        return False
    readings = [packet] if packet.v5 is None else [packet, packet.v5]
    return any(set(p.anomalies) <= TOLERATED for p in readings)


def _telling(packet: MqttPacket) -> bool:
    if packet.packet_type == CONNECT:
        return packet.connect is not None and packet.connect.client_id is not None
    if packet.packet_type == PUBLISH:
        return bool(packet.topic) and packet.topic is not None and packet.topic.isprintable()
    if packet.packet_type in (SUBSCRIBE, UNSUBSCRIBE):
        return all(s.topic_filter.isprintable() for s in packet.subscriptions)
    return packet.packet_type == CONNACK and packet.remaining_length > 2

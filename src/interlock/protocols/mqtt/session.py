"""MQTT state for one connection: the protocol version its CONNECT announced (later
packets are read with that version's rules), v5 topic aliases, and the pairing of
acknowledgements with what they acknowledge, bounded in memory.

Pairs (3.1.1 section 4.3 and 3.12, 5.0 section 4.3): CONNECT/CONNACK,
PINGREQ/PINGRESP, PUBLISH (QoS 1 and 2)/PUBACK or PUBREC, PUBREL/PUBCOMP,
SUBSCRIBE/SUBACK and UNSUBSCRIBE/UNSUBACK by packet identifier. Packet identifiers are
chosen by each side independently (a broker forwards publishes to a subscriber with its own
ids), so a request is remembered with the side that sent it and an acknowledgement looks
it up on the other side. QoS 0 PUBLISH, DISCONNECT and AUTH expect no answer.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from interlock.protocols.mqtt.packets import MqttPacket
from interlock.protocols.mqtt.properties import property_value
from interlock.protocols.mqtt.vocabulary import (
    CONNACK,
    CONNECT,
    PINGREQ,
    PINGRESP,
    PUBACK,
    PUBCOMP,
    PUBLISH,
    PUBREC,
    PUBREL,
    SUBACK,
    SUBSCRIBE,
    TOPIC_ALIAS,
    UNSUBACK,
    UNSUBSCRIBE,
)

MAX_PENDING: Final = 1024
"""Requests remembered per connection (the oldest go first)."""
MAX_ALIASES: Final = 1024
"""Topic aliases remembered per direction (5.0 allows 65,535)."""

REQUESTS: Final = frozenset({CONNECT, PINGREQ, PUBREL, SUBSCRIBE, UNSUBSCRIBE})
"""Packets that expect an answer (and PUBLISH of QoS 1 or 2)."""
ANSWERS: Final[dict[int, int]] = {
    CONNACK: CONNECT,
    PINGRESP: PINGREQ,
    PUBACK: PUBLISH,
    PUBREC: PUBLISH,
    PUBCOMP: PUBREL,
    SUBACK: SUBSCRIBE,
    UNSUBACK: UNSUBSCRIBE,
}
"""Acknowledgement type -> the type of packet it acknowledges."""

PairKey = tuple[bool, int, int]
"""(sent by the client, request packet type, packet identifier or -1)."""


class SeenRequest(NamedTuple):
    frame: int
    ts: float
    adu: Unit


class Unit(NamedTuple):
    """One control packet as its connection understands it."""

    packet: MqttPacket
    """Decoded with the connection's rules (a best guess while its version is unknown)."""
    version: int
    """Protocol level the connection's CONNECT announced, bridge bit cleared (3, 4, 5);
    else what its CONNACK suggests; 0 when unknown."""
    wire_level: int
    """The level byte of the connection's CONNECT as sent (0 when no CONNECT was seen):
    what Wireshark reads the connection's packets by."""
    from_client: bool
    topic: str | None
    """PUBLISH: the topic name, resolved through a v5 topic alias when it is empty."""
    request: SeenRequest | None
    """For an acknowledgement: the packet it acknowledges, when seen."""
    anomalies: tuple[str, ...]
    """What the connection's state says is wrong with the packet (beyond its own bytes)."""

    @property
    def is_request(self) -> bool:
        packet = self.packet
        return packet.packet_type in REQUESTS or (
            packet.packet_type == PUBLISH and 0 < packet.qos < 3
        )

    @property
    def is_answer(self) -> bool:
        return self.packet.packet_type in ANSWERS


def pairing_key(unit: Unit) -> PairKey:
    """What a request shares with its answer: who sent the request, its type, its id."""
    packet = unit.packet
    answered = ANSWERS.get(packet.packet_type)
    if answered is not None:
        return (not unit.from_client, answered, _pair_id(answered, packet))
    return (unit.from_client, packet.packet_type, _pair_id(packet.packet_type, packet))


def _pair_id(request_type: int, packet: MqttPacket) -> int:
    return -1 if request_type in (CONNECT, PINGREQ) else packet.packet_id


class MqttSession:
    __slots__ = ("aliases", "connects", "inferred", "requests", "version", "wire_level")

    def __init__(self) -> None:
        self.wire_level = 0
        self.version = 0
        self.inferred = 0
        self.connects = 0
        self.requests: dict[PairKey, SeenRequest] = {}
        self.aliases: tuple[dict[int, str], dict[int, str]] = ({}, {})

    def observe(self, message: MqttPacket, is_request: bool, frame: int, ts: float) -> Unit:
        """Feed one packet; is_request says it came from the TCP client."""
        anomalies: list[str] = []
        if message.packet_type == CONNECT:
            self._connect(message, is_request, anomalies)
        elif not self.wire_level:
            anomalies.append("mqtt.unknown_version")
            if message.packet_type == CONNACK and message.remaining_length >= 2:
                self.inferred = 5 if message.remaining_length > 2 else 4
        version = self.version or self.inferred
        packet = message.under(version) if version else _best_guess(message)
        topic = (
            self._topic(packet, is_request, anomalies) if packet.packet_type == PUBLISH else None
        )
        unit = Unit(packet, version, self.wire_level, is_request, topic, None, tuple(anomalies))
        if unit.is_request:
            self._remember(pairing_key(unit), SeenRequest(frame, ts, unit))
        elif unit.is_answer:
            return unit._replace(request=self.requests.get(pairing_key(unit)))
        return unit

    def _connect(self, message: MqttPacket, from_client: bool, anomalies: list[str]) -> None:
        self.connects += 1
        if self.connects > 1:
            anomalies.append("mqtt.double_connect")
        if not from_client:
            anomalies.append("mqtt.connect_from_server")
        connect = message.connect
        if connect is not None and connect.level >= 0:
            self.wire_level = connect.level
            self.version = connect.version

    def _topic(self, packet: MqttPacket, from_client: bool, anomalies: list[str]) -> str | None:
        alias = property_value(packet.properties, TOPIC_ALIAS)
        if not isinstance(alias, int) or not alias:
            return packet.topic
        aliases = self.aliases[0 if from_client else 1]
        if packet.topic:
            if alias not in aliases and len(aliases) >= MAX_ALIASES:
                del aliases[next(iter(aliases))]
            aliases[alias] = packet.topic
            return packet.topic
        found = aliases.get(alias)
        if found is None:
            anomalies.append("mqtt.unknown_topic_alias")
        return found

    def _remember(self, key: PairKey, seen: SeenRequest) -> None:
        requests = self.requests
        if key in requests:
            del requests[key]  # re-inserted last: insertion order stays age order
        elif len(requests) >= MAX_PENDING:
            del requests[next(iter(requests))]
        requests[key] = seen


def _best_guess(message: MqttPacket) -> MqttPacket:
    """Without a version: the 5.0 reading when it finds fewer anomalies than the 3.x one."""
    v5 = message.v5
    if v5 is not None and len(v5.anomalies) < len(message.anomalies):
        return v5
    return message

"""MQTT control packets as Wireshark 4.0 shows them (packet-mqtt.c), for `interlock dissect`.

One record per control packet. Wireshark's quirks live here only:

- the protocol level of the connection's CONNECT, as sent, decides how later packets are
  read; without a CONNECT (capture started late) the version is unknown, and Wireshark
  then reads 5.0 packets without their properties, shows SUBACK codes and the CONNACK
  code as 5.0 reason codes (``mqtt.suback.reason_code``, ``mqtt.connack.reason_code``),
  and no reason codes on PUBACK, DISCONNECT...;
- a bridge's level (0x80 | level) is not 5: its packets are read with the 3.x rules;
- ``mqtt.qos`` (with ``mqtt.dupflag``) comes from the fixed header: on every PUBLISH, and
  on PUBREL, SUBSCRIBE and UNSUBSCRIBE of 3.1 connections only; requested QoS of a 3.x
  subscription is ``mqtt.sub.qos``, of a 5.0 one ``mqtt.subscription_options_qos``;
- empty topics are not shown; a 5.0 PUBLISH with an empty topic and a topic alias shows
  the aliased topic (generated), or an empty one when the alias is unknown;
- fields stop where the packet ends (a property block longer than the packet hides the
  client id and everything after it).

Never shown: the password (Wireshark's ``mqtt.passwd``), only ``mqtt.conflag.passwd`` and
``mqtt.passwd_len``; payloads (Wireshark's ``mqtt.msg``), only the project's
``mqtt.payload_len``. Not reproduced: Wireshark keeps one topic alias table per
connection, Interlock one per direction (as 5.0 defines them).
"""

from __future__ import annotations

from typing import Any, Final

from interlock.protocols.mqtt.connect import Connect
from interlock.protocols.mqtt.packets import MqttPacket
from interlock.protocols.mqtt.properties import Property, property_value
from interlock.protocols.mqtt.session import Unit
from interlock.protocols.mqtt.vocabulary import (
    AUTH,
    CONNACK,
    CONNECT,
    DISCONNECT,
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

_REASON_FIELDS: Final[dict[int, str]] = {
    PUBACK: "mqtt.puback.reason_code",
    PUBREC: "mqtt.pubrec.reason_code",
    PUBREL: "mqtt.pubrel.reason_code",
    PUBCOMP: "mqtt.pubcomp.reason_code",
    DISCONNECT: "mqtt.disconnect.reason_code",
    AUTH: "mqtt.auth.reason_code",
}
_V31_QOS_TYPES: Final = frozenset({PUBREL, SUBSCRIBE, UNSUBSCRIBE})
_CONNECT_FLAGS: Final = (
    ("mqtt.conflag.uname", 0x80),
    ("mqtt.conflag.passwd", 0x40),
    ("mqtt.conflag.retain", 0x20),
    ("mqtt.conflag.willflag", 0x04),
    ("mqtt.conflag.cleansess", 0x02),
    ("mqtt.conflag.reserved", 0x01),
)


def mqtt_record(
    message: MqttPacket, role: int, answered: Unit | None
) -> tuple[None, dict[str, Any], tuple[str, ...]]:
    """Fields and anomalies of one control packet; role is not used (the packet type says
    who sent it)."""
    level = answered.wire_level if answered is not None else 0
    packet = message.under(level)
    if answered is not None:
        anomalies = tuple(dict.fromkeys((*answered.packet.anomalies, *answered.anomalies)))
    else:
        anomalies = message.anomalies
    f: dict[str, Any] = {}
    _fixed_header(packet, level, f)
    if packet.remaining_length < 0:
        return None, f, anomalies
    f["mqtt.len"] = packet.remaining_length
    kind = packet.packet_type
    if kind == CONNECT and packet.connect is not None:
        _connect(packet.connect, f)
    elif kind == CONNACK:
        _connack(packet, level, f)
    elif kind == PUBLISH:
        _publish(packet, level, answered, f)
    elif kind in (SUBSCRIBE, UNSUBSCRIBE):
        _subscriptions(packet, level, f)
    elif kind in (SUBACK, UNSUBACK):
        _acknowledged_filters(packet, level, f)
    elif kind in _REASON_FIELDS:
        _reason(packet, level, f)
    return None, f, anomalies


def _fixed_header(packet: MqttPacket, level: int, f: dict[str, Any]) -> None:
    f["mqtt.hdrflags"] = (packet.packet_type << 4) | packet.flags
    f["mqtt.msgtype"] = packet.packet_type
    if packet.packet_type == PUBLISH or (level == 3 and packet.packet_type in _V31_QOS_TYPES):
        f["mqtt.dupflag"] = int(packet.dup)
        f["mqtt.qos"] = packet.qos
        f["mqtt.retain" if packet.packet_type == PUBLISH else "mqtt.retain_reserved"] = int(
            packet.retain
        )
    else:
        f["mqtt.hdr_reserved"] = packet.flags


def _properties(properties: tuple[Property, ...] | None, f: dict[str, Any]) -> None:
    if not properties:
        return
    f.setdefault("mqtt.property_id", []).extend(p.ident for p in properties)
    for prop in properties:
        if prop.ident == TOPIC_ALIAS:
            f.setdefault("mqtt.property.topic_alias", []).append(prop.value)
        elif prop.ident == 0x03:
            f.setdefault("mqtt.property.content_type", []).append(prop.value)
        elif prop.ident == 0x24:
            f.setdefault("mqtt.property.max_qos", []).append(prop.value)


def _connect(c: Connect, f: dict[str, Any]) -> None:
    if c.protocol_name is not None:
        f["mqtt.protoname"] = c.protocol_name
    if c.level >= 0:
        f["mqtt.ver"] = c.level
    if c.flags >= 0:
        f["mqtt.conflags"] = c.flags
        for name, mask in _CONNECT_FLAGS:
            f[name] = int(bool(c.flags & mask))
        f["mqtt.conflag.qos"] = c.will_qos
    if c.keep_alive >= 0:
        f["mqtt.kalive"] = c.keep_alive
    _properties(c.properties, f)
    if c.client_id is not None:
        f["mqtt.clientid"] = c.client_id
    _properties(c.will_properties, f)
    if c.will_topic:
        f["mqtt.willtopic"] = c.will_topic
    if c.will_payload_len >= 0:
        f["mqtt.willmsg_len"] = c.will_payload_len
    if c.username is not None:
        f["mqtt.username"] = c.username
    if c.password_len >= 0:
        f["mqtt.passwd_len"] = c.password_len  # the length only, never the password


def _connack(packet: MqttPacket, level: int, f: dict[str, Any]) -> None:
    if packet.ack_flags >= 0:
        if level == 3:
            f["mqtt.conack.flags.reserved"] = int(packet.ack_flags != 0)
        else:
            f["mqtt.conack.flags"] = packet.ack_flags
            f["mqtt.conack.flags.reserved"] = int(bool(packet.ack_flags & 0xFE))
            f["mqtt.conack.flags.sp"] = packet.ack_flags & 1
    if packet.reason_code >= 0:
        name = "mqtt.conack.val" if level in (3, 4) else "mqtt.connack.reason_code"
        f[name] = packet.reason_code
    _properties(packet.properties, f)


def _publish(packet: MqttPacket, level: int, unit: Unit | None, f: dict[str, Any]) -> None:
    if packet.topic:
        f["mqtt.topic"] = packet.topic
    if packet.packet_id >= 0:
        f["mqtt.msgid"] = packet.packet_id
    _properties(packet.properties, f)
    alias = property_value(packet.properties, TOPIC_ALIAS)
    if level == 5 and alias and packet.topic == "":
        f["mqtt.topic"] = (unit.topic if unit is not None else None) or ""
    if packet.payload_len >= 0:
        f["mqtt.payload_len"] = packet.payload_len


def _subscriptions(packet: MqttPacket, level: int, f: dict[str, Any]) -> None:
    if packet.packet_id >= 0:
        f["mqtt.msgid"] = packet.packet_id
    _properties(packet.properties, f)
    topics = [s.topic_filter for s in packet.subscriptions if s.topic_filter]
    if topics:
        f["mqtt.topic"] = topics
    options = [s.options for s in packet.subscriptions if s.options >= 0]
    if not options or packet.packet_type != SUBSCRIBE:
        return
    if level != 5:
        f["mqtt.sub.qos"] = options
        return
    f["mqtt.subscription_options"] = options
    f["mqtt.subscription_options_qos"] = [o & 3 for o in options]
    f["mqtt.subscription_options_nl"] = [(o >> 2) & 1 for o in options]
    f["mqtt.subscription_options_rap"] = [(o >> 3) & 1 for o in options]
    f["mqtt.subscription_options_retain"] = [(o >> 4) & 3 for o in options]


def _acknowledged_filters(packet: MqttPacket, level: int, f: dict[str, Any]) -> None:
    if packet.packet_id >= 0:
        f["mqtt.msgid"] = packet.packet_id
    _properties(packet.properties, f)
    if not packet.codes:
        return
    if packet.packet_type == UNSUBACK:
        f["mqtt.unsuback.reason_code"] = list(packet.codes)
    elif level in (3, 4):
        f["mqtt.suback.qos"] = list(packet.codes)
    else:
        f["mqtt.suback.reason_code"] = list(packet.codes)


def _reason(packet: MqttPacket, level: int, f: dict[str, Any]) -> None:
    if packet.packet_id >= 0:
        f["mqtt.msgid"] = packet.packet_id
    if level == 5 and packet.reason_code >= 0:
        f[_REASON_FIELDS[packet.packet_type]] = packet.reason_code
        _properties(packet.properties, f)

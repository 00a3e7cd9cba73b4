"""MQTT control packets (3.1.1 section 2 and 3, 5.0 section 2 and 3): the fixed header,
then each packet type's variable header and payload.

Pure: bytes in, one immutable MqttPacket out, never an exception. What a packet means can
depend on the connection's version (5.0 adds properties to PUBLISH, SUBSCRIBE, SUBACK,
UNSUBSCRIBE and reason codes to the acknowledgements), which only the session knows: the
packet is decoded with the 3.x rules and, where 5.0 reads the bytes differently, also with
the 5.0 rules (``v5``); ``under(version)`` picks. No payload bytes are kept (only sizes),
and no password (see connect.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Final, NamedTuple

from interlock.protocols.mqtt.connect import Connect, ConnectDraft, read_connect
from interlock.protocols.mqtt.properties import Property, read_properties
from interlock.protocols.mqtt.vocabulary import (
    AUTH,
    CONNACK,
    CONNECT,
    CONNECT_RETURN_CODES,
    DISCONNECT,
    PINGREQ,
    PINGRESP,
    PUBACK,
    PUBCOMP,
    PUBLISH,
    PUBREC,
    PUBREL,
    REASONS_BY_PACKET,
    REQUIRED_FLAGS,
    SUBACK,
    SUBSCRIBE,
    TOPIC_ALIAS,
    UNSUBACK,
    UNSUBSCRIBE,
    V3_SUBACK_CODES,
)
from interlock.protocols.mqtt.wire import BAD_VARINT, OutOfBounds, Reader, read_varint

V3_SIZES: Final[dict[int, int]] = {
    CONNACK: 2,
    PUBACK: 2,
    PUBREC: 2,
    PUBREL: 2,
    PUBCOMP: 2,
    UNSUBACK: 2,
    PINGREQ: 0,
    PINGRESP: 0,
    DISCONNECT: 0,
}
"""Remaining length of the 3.x packets of fixed size."""
ALWAYS_DIFFERENT: Final = frozenset({CONNACK, PUBLISH, SUBSCRIBE, SUBACK, UNSUBSCRIBE, AUTH})
"""Packet types that 5.0 reads differently whatever their length."""


class Subscription(NamedTuple):
    topic_filter: str
    options: int
    """Requested QoS byte (3.x) or subscription options (5.0); -1 where the packet ends
    first, and for UNSUBSCRIBE filters."""


@dataclass(frozen=True, slots=True)
class MqttPacket:
    packet_type: int
    flags: int
    remaining_length: int
    """-1 when the Variable Byte Integer is malformed (or cut off)."""
    size: int
    """Bytes of the unit (fixed header included)."""
    packet_id: int = -1
    topic: str | None = None
    """PUBLISH topic name (as sent: empty when a v5 topic alias stands for it)."""
    reason_code: int = -1
    """CONNACK return code (3.x) or reason code; v5 reason code of PUBACK, PUBREC,
    PUBREL, PUBCOMP, DISCONNECT, AUTH (-1 when absent)."""
    ack_flags: int = -1
    codes: tuple[int, ...] = ()
    """SUBACK return or reason codes, UNSUBACK reason codes (5.0)."""
    subscriptions: tuple[Subscription, ...] = ()
    properties: tuple[Property, ...] | None = None
    payload_len: int = -1
    connect: Connect | None = None
    v5: MqttPacket | None = None
    """The same bytes read with the 5.0 rules, when those read them differently."""
    anomalies: tuple[str, ...] = ()

    @property
    def qos(self) -> int:
        return (self.flags >> 1) & 3

    @property
    def retain(self) -> bool:
        return bool(self.flags & 1)

    @property
    def dup(self) -> bool:
        return bool(self.flags & 8)

    def under(self, version: int) -> MqttPacket:
        """The packet as a connection of this protocol level reads it."""
        if version == 5 and self.v5 is not None:
            return self.v5
        return self


class Draft:
    """What a decoder has read so far (it may stop anywhere)."""

    __slots__ = (
        "ack_flags",
        "codes",
        "connect",
        "packet_id",
        "payload_len",
        "properties",
        "reason_code",
        "subscriptions",
        "topic",
    )

    def __init__(self) -> None:
        self.packet_id = -1
        self.topic: str | None = None
        self.reason_code = -1
        self.ack_flags = -1
        self.codes: list[int] = []
        self.subscriptions: list[Subscription] = []
        self.properties: list[Property] | None = None
        self.payload_len = -1
        self.connect: ConnectDraft | None = None

    def read_properties(self, r: Reader) -> None:
        self.properties = []
        read_properties(r, self.properties)


def parse_packet(buf: bytes, start: int, end: int) -> MqttPacket:
    """Decode the control packet occupying buf[start:end]."""
    if start >= end:
        return MqttPacket(0, 0, -1, 0, anomalies=("mqtt.truncated",))
    first = buf[start]
    packet_type, flags = first >> 4, first & 0x0F
    length, used = read_varint(buf, start + 1, end)
    if not used:
        return MqttPacket(packet_type, flags, -1, end - start, anomalies=("mqtt.truncated",))
    if length == BAD_VARINT:
        anomalies = ("mqtt.bad_remaining_length",)
        return MqttPacket(packet_type, flags, -1, end - start, anomalies=anomalies)
    body = start + 1 + used
    stop = min(end, body + length)
    header: list[str] = _header_anomalies(packet_type, flags)
    if body + length > end:
        header.append("mqtt.truncated")
    elif body + length < end:
        header.append("mqtt.trailing_bytes")
    size = end - start
    packet = _decode(buf, body, stop, packet_type, flags, length, size, False, header)
    if packet_type in ALWAYS_DIFFERENT or length > V3_SIZES.get(packet_type, length):
        v5 = _decode(buf, body, stop, packet_type, flags, length, size, True, header)
        return replace(packet, v5=v5)
    return packet


def _header_anomalies(packet_type: int, flags: int) -> list[str]:
    if packet_type == 0:
        return ["mqtt.reserved_type"]
    if packet_type == PUBLISH:
        return ["mqtt.bad_qos"] if flags & 0x06 == 0x06 else []
    return [] if REQUIRED_FLAGS[packet_type] == flags else ["mqtt.bad_flags"]


def _decode(
    buf: bytes,
    body: int,
    stop: int,
    packet_type: int,
    flags: int,
    length: int,
    size: int,
    v5: bool,
    header: list[str],
) -> MqttPacket:
    r = Reader(buf, body, stop)
    d = Draft()
    try:
        if packet_type == AUTH and not v5:
            r.flag("mqtt.reserved_type")  # 3.x reserves type 15
        else:
            DECODERS[packet_type](r, d, flags, v5)
            if r.pos < stop:
                r.flag("mqtt.trailing_bytes")
    except OutOfBounds:
        if "mqtt.bad_property_length" not in r.anomalies:
            r.flag("mqtt.truncated")
    connect = d.connect.freeze() if d.connect is not None else None
    return MqttPacket(
        packet_type,
        flags,
        length,
        size,
        d.packet_id,
        d.topic,
        d.reason_code,
        d.ack_flags,
        tuple(d.codes),
        tuple(d.subscriptions),
        tuple(d.properties) if d.properties is not None else None,
        d.payload_len,
        connect,
        None,
        tuple(dict.fromkeys([*header, *r.anomalies])),
    )


Decoder = Callable[[Reader, Draft, int, bool], None]


def _nothing(r: Reader, d: Draft, flags: int, v5: bool) -> None:
    """Reserved type 0, PINGREQ, PINGRESP: no variable header."""


def _connect(r: Reader, d: Draft, flags: int, v5: bool) -> None:
    d.connect = ConnectDraft()
    read_connect(r, d.connect)


def _connack(r: Reader, d: Draft, flags: int, v5: bool) -> None:
    d.ack_flags = r.u8()
    if d.ack_flags & 0xFE:
        r.flag("mqtt.bad_flags")
    d.reason_code = r.u8()
    known = REASONS_BY_PACKET[CONNACK] if v5 else CONNECT_RETURN_CODES
    if d.reason_code not in known:
        r.flag("mqtt.unknown_reason_code")
    if v5:
        d.read_properties(r)


def _publish(r: Reader, d: Draft, flags: int, v5: bool) -> None:
    d.topic = r.text()
    if flags & 0x06:
        d.packet_id = r.u16()
        if not d.packet_id:
            r.flag("mqtt.zero_packet_id")
    if v5:
        d.read_properties(r)
    d.payload_len = r.left()
    r.pos = r.end
    aliases = [p.value for p in d.properties or () if p.ident == TOPIC_ALIAS]
    if 0 in aliases:
        r.flag("mqtt.bad_topic_alias")
    if not d.topic and not aliases:
        r.flag("mqtt.empty_topic")
    if "+" in d.topic or "#" in d.topic:
        r.flag("mqtt.wildcard_in_topic")


def _ack(r: Reader, d: Draft, v5: bool, packet_type: int) -> None:
    """PUBACK, PUBREC, PUBREL, PUBCOMP: packet id; in 5.0 an optional reason code and
    optional properties."""
    d.packet_id = r.u16()
    _reason_and_properties(r, d, v5, packet_type)


def _puback(r: Reader, d: Draft, flags: int, v5: bool) -> None:
    _ack(r, d, v5, PUBACK)


def _pubrec(r: Reader, d: Draft, flags: int, v5: bool) -> None:
    _ack(r, d, v5, PUBREC)


def _pubrel(r: Reader, d: Draft, flags: int, v5: bool) -> None:
    _ack(r, d, v5, PUBREL)


def _pubcomp(r: Reader, d: Draft, flags: int, v5: bool) -> None:
    _ack(r, d, v5, PUBCOMP)


def _reason_and_properties(r: Reader, d: Draft, v5: bool, packet_type: int) -> None:
    if v5 and r.left() > 0:
        d.reason_code = r.u8()
        if d.reason_code not in REASONS_BY_PACKET[packet_type]:
            r.flag("mqtt.unknown_reason_code")
        if r.left() > 0:
            d.read_properties(r)


def _subscribe(r: Reader, d: Draft, flags: int, v5: bool) -> None:
    d.packet_id = r.u16()
    if v5:
        d.read_properties(r)
    while r.left() > 0:
        topic = r.text()
        if r.left() <= 0:
            d.subscriptions.append(Subscription(topic, -1))
            raise OutOfBounds
        options = r.u8()
        d.subscriptions.append(Subscription(topic, options))
        _check_options(r, topic, options, v5)
    if not d.subscriptions:
        r.flag("mqtt.no_topic_filters")


def _check_options(r: Reader, topic: str, options: int, v5: bool) -> None:
    if not topic:
        r.flag("mqtt.empty_topic")
    if options & 0x03 == 0x03:
        r.flag("mqtt.bad_qos")
    reserved = 0xC0 if v5 else 0xFC
    if options & reserved or (v5 and options & 0x30 == 0x30):
        r.flag("mqtt.bad_subscription_options")


def _suback(r: Reader, d: Draft, flags: int, v5: bool) -> None:
    d.packet_id = r.u16()
    if v5:
        d.read_properties(r)
    while r.left() > 0:
        d.codes.append(r.u8())
    known = REASONS_BY_PACKET[SUBACK] if v5 else V3_SUBACK_CODES
    if any(code not in known for code in d.codes):
        r.flag("mqtt.unknown_reason_code")
    if not d.codes:
        r.flag("mqtt.no_topic_filters")


def _unsubscribe(r: Reader, d: Draft, flags: int, v5: bool) -> None:
    d.packet_id = r.u16()
    if v5:
        d.read_properties(r)
    while r.left() > 0:
        topic = r.text()
        d.subscriptions.append(Subscription(topic, -1))
        if not topic:
            r.flag("mqtt.empty_topic")
    if not d.subscriptions:
        r.flag("mqtt.no_topic_filters")


def _unsuback(r: Reader, d: Draft, flags: int, v5: bool) -> None:
    d.packet_id = r.u16()
    if v5:
        d.read_properties(r)
        while r.left() > 0:
            d.codes.append(r.u8())
        if any(code not in REASONS_BY_PACKET[UNSUBACK] for code in d.codes):
            r.flag("mqtt.unknown_reason_code")


def _disconnect(r: Reader, d: Draft, flags: int, v5: bool) -> None:
    """DISCONNECT: in 5.0 an optional reason code and optional properties."""
    _reason_and_properties(r, d, v5, DISCONNECT)


def _auth(r: Reader, d: Draft, flags: int, v5: bool) -> None:
    _reason_and_properties(r, d, v5, AUTH)


DECODERS: Final[dict[int, Decoder]] = {
    0: _nothing,
    CONNECT: _connect,
    CONNACK: _connack,
    PUBLISH: _publish,
    PUBACK: _puback,
    PUBREC: _pubrec,
    PUBREL: _pubrel,
    PUBCOMP: _pubcomp,
    SUBSCRIBE: _subscribe,
    SUBACK: _suback,
    UNSUBSCRIBE: _unsubscribe,
    UNSUBACK: _unsuback,
    PINGREQ: _nothing,
    PINGRESP: _nothing,
    DISCONNECT: _disconnect,
    AUTH: _auth,
}

"""Per-connection state: the version a CONNECT announces, topic aliases, pairing."""

from __future__ import annotations

from interlock.protocols.mqtt.packets import parse_packet
from interlock.protocols.mqtt.session import MqttSession, Unit
from protocols.mqtt.builders import connect, packet, publish, subscribe


def feed(session: MqttSession, raw: bytes, from_client: bool, frame: int = 1) -> Unit:
    return session.observe(parse_packet(raw, 0, len(raw)), from_client, frame, float(frame))


def test_the_connect_version_decides_how_later_packets_are_read() -> None:
    raw = publish("t", b"\x00payload")
    v4, v5 = MqttSession(), MqttSession()
    feed(v4, connect(4), True)
    feed(v5, connect(5), True)
    assert feed(v4, raw, True).packet.payload_len == 8
    unit = feed(v5, raw, True)
    assert unit.packet.payload_len == 7 and unit.packet.properties == ()
    assert (unit.version, unit.wire_level) == (5, 5)


def test_without_connect_the_version_is_unknown_and_guessed() -> None:
    session = MqttSession()
    unit = feed(session, subscribe(1, ("a/b", 1)), True)
    assert unit.anomalies == ("mqtt.unknown_version",)
    assert unit.version == 0 and unit.packet.subscriptions[0].topic_filter == "a/b"
    feed(session, packet(0x20, b"\x00\x00\x03\x22\x00\x0a"), False)
    later = feed(session, publish("t", b"\x00x"), True)
    assert later.version == 5 and later.wire_level == 0  # suggested by the 5.0 CONNACK


def test_a_bridge_level_is_5_for_the_model_not_for_wireshark() -> None:
    session = MqttSession()
    feed(session, connect(0x85), True)
    unit = feed(session, publish("t", b"\x00x"), True)
    assert (unit.version, unit.wire_level) == (5, 0x85)


def test_double_connect_and_connect_from_the_server() -> None:
    session = MqttSession()
    feed(session, connect(4), True)
    assert "mqtt.double_connect" in feed(session, connect(4), True).anomalies
    assert "mqtt.connect_from_server" in feed(MqttSession(), connect(4), False).anomalies


def test_topic_aliases_per_direction() -> None:
    session = MqttSession()
    feed(session, connect(5), True)
    assert feed(session, publish("a/b", v5=b"\x23\x00\x01"), True).topic == "a/b"
    assert feed(session, publish("", v5=b"\x23\x00\x01"), True).topic == "a/b"
    other_side = feed(session, publish("", v5=b"\x23\x00\x01"), False)
    assert other_side.topic is None and "mqtt.unknown_topic_alias" in other_side.anomalies


def test_acknowledgements_pair_with_the_other_sides_request() -> None:
    session = MqttSession()
    feed(session, connect(4), True, 1)
    assert feed(session, b"\x20\x02\x00\x00", False, 2).request is not None
    feed(session, publish("t", qos=1, packet_id=7), True, 3)
    feed(session, publish("t", qos=1, packet_id=7), False, 4)  # the broker's own id 7
    ack = feed(session, b"\x40\x02\x00\x07", True, 5)  # the client acknowledges the broker's
    assert ack.request is not None and ack.request.frame == 4
    ack = feed(session, b"\x40\x02\x00\x07", False, 6)
    assert ack.request is not None and ack.request.frame == 3
    assert feed(session, b"\x40\x02\x00\x08", False, 7).request is None
    feed(session, b"\xc0\x00", True, 8)
    pong = feed(session, b"\xd0\x00", False, 9)
    assert pong.request is not None and pong.request.frame == 8


def test_the_request_table_is_bounded() -> None:
    session = MqttSession()
    for n in range(1, 5000):
        feed(session, publish("t", qos=1, packet_id=n), True, n)
    assert len(session.requests) == 1024

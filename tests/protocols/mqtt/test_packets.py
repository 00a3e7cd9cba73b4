"""The control packet decoder on hand-written bytes: every packet type, both rule sets,
every anomaly code it can raise."""

from __future__ import annotations

import struct

import pytest

from interlock.protocols.mqtt.packets import MqttPacket, Subscription, parse_packet
from interlock.protocols.mqtt.properties import Property
from protocols.mqtt.builders import connect, packet, props, publish, subscribe, text


def parse(raw: bytes) -> MqttPacket:
    return parse_packet(raw, 0, len(raw))


def test_connect_3_1_1_with_credentials_keeps_only_the_password_length() -> None:
    p = parse(connect(4, "sensor", "user", b"Secret-Pa55"))
    c = p.connect
    assert c is not None
    assert (c.protocol_name, c.level, c.version, c.keep_alive) == ("MQTT", 4, 4, 60)
    assert (c.client_id, c.username, c.password_len) == ("sensor", "user", 11)
    assert "Secret-Pa55" not in repr(p)
    assert p.anomalies == ("mqtt.cleartext_credentials",)


def test_connect_3_1_and_5_0_with_will_and_properties() -> None:
    c31 = parse(connect(3, "old", will=("a/b", b"bye"))).connect
    assert c31 is not None and c31.protocol_name == "MQIsdp"
    assert (c31.will_topic, c31.will_payload_len) == ("a/b", 3)
    c5 = parse(connect(5, "new", properties=b"\x11\x00\x00\x01\x2c", will=("w", b"x"))).connect
    assert c5 is not None
    assert c5.properties == (Property(0x11, 300),)
    assert c5.will_properties == ()
    assert c5.will_topic == "w"


def test_connect_anomalies() -> None:
    assert "mqtt.bad_protocol_name" in parse(connect(4, name="MQTX")).anomalies
    assert "mqtt.bad_protocol_level" in parse(connect(3, name="MQTT")).anomalies
    assert "mqtt.bad_protocol_level" not in parse(connect(0x84)).anomalies  # a bridge
    reserved = bytearray(connect(4))
    reserved[9] |= 0x01
    assert "mqtt.bad_connect_flags" in parse(bytes(reserved)).anomalies
    password_only = connect(4, password=b"pw")
    assert "mqtt.bad_connect_flags" in parse(password_only).anomalies
    assert "mqtt.empty_topic" in parse(connect(4, will=("", b""))).anomalies
    will_qos3 = bytearray(connect(4, will=("t", b"")))
    will_qos3[9] |= 0x18
    assert "mqtt.bad_qos" in parse(bytes(will_qos3)).anomalies


def test_connect_with_a_property_block_longer_than_the_packet_stops_there() -> None:
    # The corpus's "excessive property length" CONNECT: client id and user are not read.
    raw = bytes.fromhex(
        "102f00044d51545405c2003cff21001400136d79766f69636569736d7970617373706f7274"
        "000475736572000470617373"
    )
    p = parse(raw)
    assert p.connect is not None and p.connect.level == 5
    assert p.connect.client_id is None and p.connect.username is None
    assert p.connect.password_len == -1
    assert "mqtt.bad_property_length" in p.anomalies
    assert "mqtt.truncated" not in p.anomalies


def test_connect_cut_inside_the_password_reports_its_length_only() -> None:
    full = connect(4, "c", "u", b"abcdef")
    cut = packet(0x10, full[2:-3])
    p = parse(cut)
    assert p.connect is not None and p.connect.password_len == 6
    assert "mqtt.truncated" in p.anomalies


def test_connack_under_both_rules() -> None:
    v3 = parse(bytes.fromhex("20020105"))
    assert (v3.ack_flags, v3.reason_code, v3.v5) == (1, 5, v3.v5)
    assert v3.v5 is not None and "mqtt.truncated" in v3.v5.anomalies
    v5 = parse(bytes.fromhex("200600000322000a"))
    assert "mqtt.trailing_bytes" in v5.anomalies
    assert v5.under(5).properties == (Property(0x22, 10),)
    assert v5.under(4) is v5
    assert "mqtt.unknown_reason_code" in parse(bytes.fromhex("20020009")).anomalies
    assert "mqtt.bad_flags" in parse(bytes.fromhex("20020200")).anomalies


def test_publish_qos_0_1_2_and_v5_properties() -> None:
    p0 = parse(publish("a/b", b"hello"))
    assert (p0.topic, p0.qos, p0.packet_id, p0.payload_len) == ("a/b", 0, -1, 5)
    p2 = parse(publish("a/b", b"hello", qos=2, packet_id=9))
    assert (p2.qos, p2.packet_id, p2.payload_len) == (2, 9, 5)
    raw = publish("t", b"data", qos=1, v5=b"\x23\x00\x05\x03" + text("json"))
    p5 = parse(raw).under(5)
    assert p5.properties == (Property(0x23, 5), Property(0x03, "json"))
    assert p5.payload_len == 4
    assert parse(raw).payload_len == 4 + 11  # 3.x reads the properties as payload


def test_publish_anomalies() -> None:
    assert "mqtt.bad_qos" in parse(packet(0x36, text("t") + b"\x00\x01")).anomalies
    assert "mqtt.zero_packet_id" in parse(publish("t", qos=1, packet_id=0)).anomalies
    assert "mqtt.empty_topic" in parse(publish("")).anomalies
    assert "mqtt.empty_topic" not in parse(publish("", v5=b"\x23\x00\x01")).under(5).anomalies
    assert "mqtt.bad_topic_alias" in parse(publish("t", v5=b"\x23\x00\x00")).under(5).anomalies
    assert "mqtt.wildcard_in_topic" in parse(publish("a/#")).anomalies
    assert "mqtt.bad_utf8" in parse(packet(0x30, text(b"\xff\xfe"))).anomalies
    assert "mqtt.truncated" in parse(packet(0x30, b"\x00\x09abc")).anomalies


def test_the_payload_is_not_kept() -> None:
    p = parse(publish("t", b"TOP-SECRET-PAYLOAD" * 10))
    assert b"TOP-SECRET" not in repr(p).encode()
    assert p.payload_len == 180


@pytest.mark.parametrize("kind", [0x40, 0x50, 0x62, 0x70])
def test_acknowledgements_with_and_without_v5_reason(kind: int) -> None:
    short = parse(bytes((kind, 2, 0, 7)))
    assert short.packet_id == 7 and short.v5 is None and not short.anomalies
    long = parse(packet(kind, b"\x00\x07\x80" + props(b"\x1f" + text("no"))))
    assert "mqtt.trailing_bytes" in long.anomalies
    v5 = long.under(5)
    assert (v5.packet_id, v5.reason_code) == (7, 0x80)
    assert v5.properties == (Property(0x1F, "no"),)
    bogus = parse(bytes((kind, 3, 0, 7, 0x42))).under(5)
    assert "mqtt.unknown_reason_code" in bogus.anomalies


def test_subscribe_3_and_5() -> None:
    raw = subscribe(3, ("a/+", 1), ("b/#", 2))
    p = parse(raw)
    assert p.packet_id == 3
    assert p.subscriptions == (Subscription("a/+", 1), Subscription("b/#", 2))
    v5 = parse(subscribe(4, ("x", 0x2D), v5=b"\x0b\x07")).under(5)
    assert v5.properties == (Property(0x0B, 7),)
    assert v5.subscriptions == (Subscription("x", 0x2D),)
    assert (
        "mqtt.bad_subscription_options"
        in parse(subscribe(1, ("x", 0x30), v5=b"")).under(5).anomalies
    )
    assert "mqtt.bad_subscription_options" in parse(subscribe(1, ("x", 0x04))).anomalies
    assert "mqtt.bad_qos" in parse(subscribe(1, ("x", 3))).anomalies
    assert "mqtt.no_topic_filters" in parse(subscribe(1)).anomalies
    assert "mqtt.bad_flags" in parse(packet(0x80, b"\x00\x01" + text("x") + b"\x00")).anomalies
    cut = parse(packet(0x82, b"\x00\x01" + text("abc")))
    assert cut.subscriptions == (Subscription("abc", -1),)
    assert "mqtt.truncated" in cut.anomalies


def test_suback_unsubscribe_unsuback() -> None:
    suback = parse(packet(0x90, b"\x00\x05\x00\x01\x80"))
    assert suback.codes == (0, 1, 0x80)
    assert suback.under(5).codes == (1, 0x80)  # 5.0: the first byte is the property length
    assert "mqtt.unknown_reason_code" in parse(packet(0x90, b"\x00\x05\x07")).anomalies
    unsub = parse(packet(0xA2, b"\x00\x02" + text("a") + text("b")))
    assert [s.topic_filter for s in unsub.subscriptions] == ["a", "b"]
    unsub5 = parse(packet(0xA2, b"\x00\x02\x00" + text("a"))).under(5)
    assert [s.topic_filter for s in unsub5.subscriptions] == ["a"]
    unsuback = parse(packet(0xB0, b"\x00\x02\x00\x00\x11"))
    assert unsuback.under(5).codes == (0, 0x11)
    assert "mqtt.trailing_bytes" in unsuback.anomalies
    assert "mqtt.no_topic_filters" in parse(packet(0xA2, b"\x00\x02")).anomalies


def test_ping_disconnect_auth() -> None:
    assert not parse(b"\xc0\x00").anomalies
    assert not parse(b"\xd0\x00").anomalies
    assert "mqtt.trailing_bytes" in parse(b"\xc0\x01\x00").anomalies
    disconnect = parse(packet(0xE0, b"\x04" + props(b"\x11" + struct.pack(">I", 0))))
    assert disconnect.under(5).reason_code == 4
    assert disconnect.under(5).properties == (Property(0x11, 0),)
    auth = parse(packet(0xF0, b"\x18" + props(b"\x15" + text("SCRAM") + b"\x16" + text("pw!"))))
    assert "mqtt.reserved_type" in auth.anomalies
    assert auth.under(5).reason_code == 0x18
    # Authentication Data may be a credential: only its length is kept.
    assert auth.under(5).properties == (Property(0x15, "SCRAM"), Property(0x16, 3))


def test_fixed_header_anomalies() -> None:
    assert parse(b"\x00\x00").anomalies == ("mqtt.reserved_type",)
    bad = parse(b"\x30\xff\xff\xff\xff\x01")
    assert bad.remaining_length == -1 and bad.anomalies == ("mqtt.bad_remaining_length",)
    assert parse(b"\x30").anomalies == ("mqtt.truncated",)
    assert "mqtt.truncated" in parse(b"\xe0\x05\x00").anomalies


def test_properties_anomalies() -> None:
    unknown = parse(packet(0x30, text("t") + props(b"\x7f\x01\x02") + b"pay")).under(5)
    assert "mqtt.unknown_property" in unknown.anomalies
    assert unknown.payload_len == 3
    overrun = parse(packet(0x30, text("t") + b"\x02\x03\x00\x05hello")).under(5)
    assert "mqtt.bad_property" in overrun.anomalies
    varint = parse(packet(0x30, text("t") + b"\x06\x0b\xff\xff\xff\xff\x01")).under(5)
    assert "mqtt.bad_varint" in varint.anomalies
    pair = parse(packet(0xE0, b"\x00" + props(b"\x26" + text("k") + text("v")))).under(5)
    assert pair.properties == (Property(0x26, ("k", "v")),)
    binary = parse(packet(0x30, text("t") + props(b"\x09" + text("ab")))).under(5)
    assert binary.properties == (Property(0x09, b"ab"),)

"""The MQTT renderer reproduces Wireshark 4.0's view (packet-mqtt.c) and never shows a
password or a payload."""

from __future__ import annotations

from typing import Any

from interlock.protocols.mqtt.packets import parse_packet
from interlock.protocols.mqtt.session import MqttSession
from interlock.render.mqtt_record import mqtt_record
from protocols.mqtt.builders import connect, packet, publish, subscribe


def fields_of(session: MqttSession, raw: bytes, from_client: bool = True) -> dict[str, Any]:
    message = parse_packet(raw, 0, len(raw))
    unit = session.observe(message, from_client, 1, 0.0)
    _, fields, _ = mqtt_record(message, 1, unit)
    return fields


def test_connect_shows_the_password_length_only() -> None:
    f = fields_of(MqttSession(), connect(4, "c1", "bob", b"Pa55word"))
    assert (f["mqtt.msgtype"], f["mqtt.ver"], f["mqtt.clientid"]) == (1, 4, "c1")
    assert (f["mqtt.username"], f["mqtt.passwd_len"], f["mqtt.conflag.passwd"]) == ("bob", 8, 1)
    assert "mqtt.passwd" not in f
    assert "Pa55word" not in repr(f)


def test_qos_comes_from_the_fixed_header_on_3_1_subscribes_only() -> None:
    v31 = MqttSession()
    fields_of(v31, connect(3))
    f = fields_of(v31, subscribe(1, ("a", 1), ("b", 2)))
    assert (f["mqtt.qos"], f["mqtt.topic"], f["mqtt.sub.qos"]) == (1, ["a", "b"], [1, 2])
    v311 = MqttSession()
    fields_of(v311, connect(4))
    f = fields_of(v311, subscribe(1, ("a", 1)))
    assert "mqtt.qos" not in f and f["mqtt.hdr_reserved"] == 2


def test_5_0_subscription_options_and_reason_codes() -> None:
    session = MqttSession()
    fields_of(session, connect(5))
    f = fields_of(session, subscribe(1, ("a", 0x2E), v5=b""))
    assert f["mqtt.subscription_options"] == [0x2E]
    assert f["mqtt.subscription_options_qos"] == [2]
    assert f["mqtt.subscription_options_nl"] == [1]
    assert f["mqtt.subscription_options_rap"] == [1]
    assert f["mqtt.subscription_options_retain"] == [2]
    f = fields_of(session, packet(0x90, b"\x00\x01\x00\x02"), False)
    assert f["mqtt.suback.reason_code"] == [2]
    f = fields_of(session, packet(0x40, b"\x00\x01\x10"), False)
    assert f["mqtt.puback.reason_code"] == 0x10
    f = fields_of(session, packet(0x20, b"\x01\x00\x00"), False)
    assert f["mqtt.connack.reason_code"] == 0 and f["mqtt.conack.flags.sp"] == 1


def test_without_connect_wireshark_reads_5_0_packets_as_3_x() -> None:
    session = MqttSession()
    f = fields_of(session, packet(0x20, b"\x00\x00\x03\x22\x00\x0a"), False)
    assert f["mqtt.connack.reason_code"] == 0 and "mqtt.property_id" not in f
    f = fields_of(session, packet(0x90, b"\x00\x01\x00\x02"), False)
    assert f["mqtt.suback.reason_code"] == [0, 2]  # the property length shown as a code
    f = fields_of(session, packet(0x40, b"\x00\x01\x10"), False)
    assert "mqtt.puback.reason_code" not in f


def test_3_1_connack_and_3_1_1_connack() -> None:
    v31 = MqttSession()
    fields_of(v31, connect(3))
    f = fields_of(v31, b"\x20\x02\x00\x02", False)
    assert f["mqtt.conack.val"] == 2 and "mqtt.conack.flags" not in f
    v311 = MqttSession()
    fields_of(v311, connect(4))
    f = fields_of(v311, b"\x20\x02\x01\x00", False)
    assert (f["mqtt.conack.flags"], f["mqtt.conack.flags.sp"], f["mqtt.conack.val"]) == (1, 1, 0)


def test_a_topic_alias_shows_the_topic_it_stands_for() -> None:
    session = MqttSession()
    fields_of(session, connect(5))
    fields_of(session, publish("a/b", v5=b"\x23\x00\x02"))
    f = fields_of(session, publish("", b"secret-payload", v5=b"\x23\x00\x02"))
    assert f["mqtt.topic"] == "a/b" and f["mqtt.property.topic_alias"] == [2]
    assert f["mqtt.payload_len"] == 14 and "secret-payload" not in repr(f)
    f = fields_of(session, publish("", v5=b"\x23\x00\x09"))
    assert f["mqtt.topic"] == ""


def test_fields_stop_where_the_packet_ends() -> None:
    f = fields_of(MqttSession(), packet(0x30, b"\x00\x09abc"))
    assert "mqtt.topic" not in f and f["mqtt.len"] == 5
    message = parse_packet(b"\x30\xff\xff\xff\xff", 0, 5)
    _, f, anomalies = mqtt_record(message, 1, None)
    assert "mqtt.len" not in f and anomalies == ("mqtt.bad_remaining_length",)

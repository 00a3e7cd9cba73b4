"""Framing in a TCP stream, the start test, and the strict content probe."""

from __future__ import annotations

import random

import pytest

from interlock.protocols.mqtt.framing import (
    MAX_REASSEMBLED,
    parse_exact,
    starts_unit,
    unit_length,
)
from interlock.protocols.mqtt.probe import probe
from protocols.mqtt.builders import connect, packet, publish, subscribe
from protocols.mqtt.conversation import run


def test_unit_length_reads_one_to_four_bytes() -> None:
    assert unit_length(b"\xc0\x00", 0) == 2
    assert unit_length(b"\x30\x7f", 0) == 129
    assert unit_length(b"\x30\x80\x01", 0) == 131
    assert unit_length(b"\x30\xff\xff\xff\x7f", 0) == 5 + 268_435_455
    assert unit_length(b"\x30\xff\xff", 0) == 0  # incomplete
    assert unit_length(b"\x30", 0) == 0
    assert unit_length(b"\x30\xff\xff\xff\xff\x01", 0) == 5  # malformed: a 5-byte unit


def test_start_test_wants_a_type_with_its_flags() -> None:
    assert starts_unit(b"\x82\x05", 0, 2)
    assert starts_unit(b"\x3d", 0, 1)  # PUBLISH dup, QoS 2, retain
    assert not starts_unit(b"\x80\x05", 0, 2)  # SUBSCRIBE must carry flags 0010
    assert not starts_unit(b"\x36\x05", 0, 2)  # QoS 3
    assert not starts_unit(b"\x00\x00", 0, 2)
    assert not starts_unit(b"", 0, 0)


def test_parse_exact_takes_exactly_one_packet() -> None:
    raw = publish("a", b"b")
    assert parse_exact(raw, 0, len(raw)) is not None
    assert parse_exact(raw + b"\xc0\x00", 0, len(raw) + 2) is None
    assert parse_exact(raw[:-1], 0, len(raw) - 1) is None
    assert parse_exact(b"\x80\x00", 0, 2) is None


@pytest.mark.parametrize(
    "raw",
    [
        connect(4, "c"),
        connect(3, "c", "u", b"p"),
        connect(5, "c"),
        publish("plant/temperature", b"21.5"),
        subscribe(1, ("a/#", 1)),
        connect(4, "c") + subscribe(1, ("a", 0)),
        packet(0x20, b"\x00\x00\x03\x22\x00\x0a"),  # 5.0 CONNACK with a property
    ],
)
def test_probe_claims_mqtt(raw: bytes) -> None:
    assert probe(raw, 0, len(raw))


@pytest.mark.parametrize(
    "raw",
    [
        b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
        b"HTTP/1.1 200 OK\r\n\r\n",
        bytes.fromhex("160301020001000200"),  # TLS ClientHello
        bytes.fromhex("1703030020") + bytes(32),  # TLS application data
        bytes.fromhex("000100000006010300000001"),  # Modbus/TCP read holding registers
        bytes.fromhex("0300001611e00000000100c1020100c2020102c0010a"),  # TPKT/COTP CR
        bytes.fromhex("056405c9030004000000"),  # DNP3
        bytes.fromhex("6f0000000000000000000000000000000000000000000000"),  # ENIP
        b"\x30",  # a lone byte
        b"\xc0\x00",  # PINGREQ: too little to decide
        b"\x40\x02\x00\x01",  # PUBACK: too little to decide
        b"\x20\x02\x00\x00",  # a 3.x CONNACK: too little to decide
        connect(4, name="MQTX"),
        connect(6, "c"),
        publish("", b"x"),
        publish("a\x01b", b"x"),
        publish("a", b"x")[:-1],  # incomplete
        publish("a", b"x") + b"\x00",  # trailing garbage
    ],
)
def test_probe_rejects_everything_else(raw: bytes) -> None:
    assert not probe(raw, 0, len(raw))


def test_probe_rejects_random_bytes() -> None:
    rng = random.Random(1883)
    claimed = sum(
        probe(data, 0, len(data))
        for data in (rng.randbytes(rng.randint(1, 64)) for _ in range(20_000))
    )
    assert claimed == 0


def test_a_non_standard_port_is_claimed_by_content() -> None:
    segments = [(0, connect(4, "c")), (1, b"\x20\x02\x00\x00"), (0, publish("t", b"x"))]
    records, _ = run(segments, port=8883)
    assert [r["fields"]["mqtt.msgtype"] for r in records] == [1, 2, 3]


def test_other_protocols_on_other_ports_are_not_claimed() -> None:
    segments = [(0, b"GET / HTTP/1.1\r\n\r\n"), (1, b"HTTP/1.1 200 OK\r\n\r\n")]
    assert [r for r in run(segments, port=8080)[0] if r["proto"] == "mqtt"] == []
    tls = [(0, bytes.fromhex("1603010005") + bytes(5)), (1, b"\x30")]
    assert [r for r in run(tls, port=8883)[0] if r["proto"] == "mqtt"] == []


def test_several_packets_in_one_segment_and_one_packet_over_several() -> None:
    big = publish("camera/jpeg", bytes(range(256)) * 200, qos=1)
    segments = [(0, connect(4, "c") + subscribe(1, ("a", 0)) + big[:10])]
    segments += [(0, big[n : n + 1400]) for n in range(10, len(big), 1400)]
    segments += [(0, b"\xc0\x00")]
    records, _ = run(segments)
    kinds = [(r["frame"], r["fields"]["mqtt.msgtype"]) for r in records]
    assert kinds == [(4, 1), (4, 8), (4 + len(segments) - 2, 3), (4 + len(segments) - 1, 12)]
    assert records[2]["fields"]["mqtt.payload_len"] == 51200


def test_a_remaining_length_split_over_segments() -> None:
    raw = publish("t", bytes(300))
    records, _ = run([(0, raw[:2]), (0, raw[2:])])
    assert [r["frame"] for r in records] == [5]


def test_a_packet_above_the_reassembly_cap_is_dropped_and_dissection_resumes() -> None:
    huge = publish("t", bytes(2 * MAX_REASSEMBLED))
    segments = [(0, huge[n : n + 60_000]) for n in range(0, len(huge), 60_000)]
    segments += [(0, b"\xc0\x00")]
    records, health = run(segments)
    assert [r["fields"]["mqtt.msgtype"] for r in records] == [12]
    assert health.reassembly_buffer_overflows == 1


def test_a_malformed_remaining_length_is_reported() -> None:
    records, _ = run([(0, b"\x30\xff\xff\xff\xff")])
    assert "mqtt.bad_remaining_length" in records[0]["anomalies"]
    assert "mqtt.len" not in records[0]["fields"]

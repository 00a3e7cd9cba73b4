"""Record framing, the start test and the strict probe (RFC 5246 6.2, RFC 8446 5.1)."""

from __future__ import annotations

import os
import random

from interlock.protocols.tls.record import (
    MAX_FRAGMENT,
    parse_exact,
    parse_record,
    probe,
    starts_unit,
    unit_length,
)
from protocols.tls.builders import client_hello, record, server_hello


def test_a_record_is_framed_by_its_length_field() -> None:
    unit = record(23, b"x" * 40)
    assert unit_length(unit, 0) == 45
    assert unit_length(unit[:4], 0) == 0  # header incomplete
    assert unit_length(b"GET / HTTP/1.1\r\n", 0) == -1


def test_parse_keeps_type_version_length_and_fragment() -> None:
    unit = record(22, client_hello(), version=0x0301)
    parsed = parse_record(unit, 0, len(unit))
    assert (parsed.content_type, parsed.version, parsed.length) == (22, 0x0301, len(unit) - 5)
    assert parsed.fragment == unit[5:]
    assert parsed.anomalies == ()
    assert parse_exact(unit, 0, len(unit)) == parsed


def test_parse_exact_refuses_what_is_not_exactly_one_record() -> None:
    unit = record(23, b"abc")
    assert parse_exact(unit + unit, 0, 2 * len(unit)) is None
    assert parse_exact(unit[:-1], 0, len(unit) - 1) is None


def test_an_oversized_record_is_an_anomaly() -> None:
    unit = record(23, bytes(MAX_FRAGMENT + 1))
    assert parse_record(unit, 0, len(unit)).anomalies == ("tls.bad_record_length",)


def test_truncated_and_strange_records_are_reported_not_raised() -> None:
    unit = record(23, b"abcdef")
    assert parse_record(unit, 0, len(unit) - 2).anomalies == ("tls.truncated_record",)
    assert parse_record(b"\x17\x03", 0, 2).anomalies == ("tls.truncated_record",)
    odd = b"\x30\x05\x09\x00\x01\x00"
    assert parse_record(odd, 0, len(odd)).anomalies == (
        "tls.unknown_content_type",
        "tls.bad_record_version",
    )
    assert "tls.trailing_bytes" in parse_record(unit + b"zz", 0, len(unit) + 2).anomalies


def test_the_start_test_checks_what_of_the_header_is_there() -> None:
    assert starts_unit(b"\x16\x03\x01\x00\x10", 0, 5)
    assert starts_unit(b"\x17", 0, 1)
    assert not starts_unit(b"\x16\x04\x01", 0, 3)
    assert not starts_unit(b"GET / HTTP/1.1", 0, 14)


def test_the_probe_claims_hellos_and_other_records() -> None:
    hello = record(22, client_hello(), version=0x0301)
    assert probe(hello, 0, len(hello))
    assert probe(hello, 0, 60)  # the first segment of a ClientHello split by TCP
    sh = record(22, server_hello())
    assert probe(sh, 0, len(sh))
    assert probe(record(20, b"\x01"), 0, 6)
    assert probe(record(21, b"\x02\x28"), 0, 7)
    assert probe(record(23, b"\x00" * 30), 0, 35)


def test_the_probe_rejects_other_protocols_and_noise() -> None:
    samples = [
        b"GET / HTTP/1.1\r\nHost: plc\r\n\r\n",
        b"\x00\x01\x00\x00\x00\x06\x01\x03\x00\x00\x00\x0a",  # Modbus/TCP MBAP
        b"\x03\x00\x00\x16\x11\xe0\x00\x00\x00\x01\x00\xc1\x02\x01\x00",  # TPKT/COTP (S7)
        b"\x05\x64\x05\xc9\x01\x00\x00\x04\xe9\x21",  # DNP3
        b"\x65\x00\x04\x00" + bytes(24),  # EtherNet/IP RegisterSession
        b"HEL\x46\x38\x00\x00\x00",  # OPC UA Hello
        b"\x10\x1a\x00\x04MQTT\x04\x02\x00\x3c",  # MQTT CONNECT
        b"\x16\x03\x01\x00\x05\x01\x00\x00\x01\x00",  # a "ClientHello" too short to be one
        b"\x16\x03\x01\x00\x30\x63" + bytes(47),  # an unknown handshake type
        b"\x15\x03\x03\x00\x02\x07\x00",  # an alert of level 7
        b"\x14\x03\x03\x00\x01\x02",  # a ChangeCipherSpec that is not 1
        b"\x17\x03\x03\xff\xff" + bytes(10),  # longer than any record
        b"\x16\x03\x01",
    ]
    for sample in samples:
        assert not probe(sample, 0, len(sample)), sample
    rng = random.Random(7)
    for _ in range(2000):
        noise = bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 64)))
        if probe(noise, 0, len(noise)):
            assert noise[0] in (20, 21, 22, 23) and noise[1] == 3
    assert not probe(os.urandom(0), 0, 0)

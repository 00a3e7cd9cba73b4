"""BVLC framing, functions, the strict probe, and the anomaly codes of the link layer."""

from __future__ import annotations

import struct

import pytest

from interlock.protocols.bacnet.bvlc import parse, parse_exact, probe, starts_unit, unit_length


def bvlc(function: int, body: bytes, length: int | None = None) -> bytes:
    size = 4 + len(body) if length is None else length
    return bytes((0x81, function)) + struct.pack(">H", size) + body


WHO_IS = bvlc(0x0B, bytes.fromhex("01001008"))


def test_framing_reads_the_bvlc_length() -> None:
    assert unit_length(WHO_IS, 0) == 8
    assert unit_length(b"\x81\x0b", 0) == 0
    assert starts_unit(WHO_IS, 0, len(WHO_IS))
    assert not starts_unit(b"\x01\x0b\x00\x08", 0, 4)
    assert parse_exact(WHO_IS, 0, len(WHO_IS)) == parse(WHO_IS, 0, len(WHO_IS))
    assert parse_exact(WHO_IS + b"\x00", 0, len(WHO_IS) + 1) is None


def test_result_register_and_tables() -> None:
    assert parse(*_whole(bvlc(0x00, b"\x00\x30"))).result == 0x30
    assert parse(*_whole(bvlc(0x05, b"\x00\x3c"))).ttl == 60
    bdt = parse(*_whole(bvlc(0x03, bytes.fromhex("0a000001bac0ffffff00"))))
    assert [(e.address, e.port, e.mask) for e in bdt.entries] == [
        ("10.0.0.1", 47808, "255.255.255.0")
    ]
    fdt = parse(*_whole(bvlc(0x07, bytes.fromhex("0a000003bac0003c0032"))))
    assert [(e.address, e.ttl, e.remaining) for e in fdt.entries] == [("10.0.0.3", 60, 50)]
    assert parse(*_whole(bvlc(0x08, bytes.fromhex("0a000003bac0")))).entries[0].port == 47808
    assert parse(*_whole(bvlc(0x03, b"\x00" * 7))).anomalies == ("bacnet.bad_table_length",)


def test_forwarded_npdu_keeps_the_original_address() -> None:
    message = parse(*_whole(bvlc(0x04, bytes.fromhex("0a000009bac001001008"))))
    assert message.forwarded_from == ("10.0.0.9", 47808)
    assert message.apdu is not None and message.apdu.service == 8


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (bvlc(0x0A, bytes.fromhex("01001008"), length=20), "bacnet.length_mismatch"),
        (bvlc(0x0D, b""), "bacnet.unknown_bvlc_function"),
        (bvlc(0x00, b""), "bacnet.truncated_bvlc"),
        (bvlc(0x0A, b""), "bacnet.missing_npdu"),
        (bvlc(0x04, b"\x0a\x00"), "bacnet.truncated_bvlc"),
        (b"\x81\x0a", "bacnet.truncated_bvlc"),
        (b"\x45\x00\x00\x10", "bacnet.not_bvlc"),
    ],
)
def test_anomalies(data: bytes, code: str) -> None:
    assert code in parse(data, 0, len(data)).anomalies


def _whole(data: bytes) -> tuple[bytes, int, int]:
    return data, 0, len(data)


@pytest.mark.parametrize(
    "data",
    [
        b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
        bytes.fromhex("160301005a010000560303"),
        bytes.fromhex("000100000006010300000001"),
        bytes.fromhex("0564050bc4000100"),
        bytes.fromhex("81"),
        bytes.fromhex("810a0010") + b"\x00" * 12,
        bytes.fromhex("810a00080200100800"),
        bytes.fromhex("9b2f0c77d1e5a4403e2f"),
    ],
)
def test_probe_rejects_other_protocols_and_noise(data: bytes) -> None:
    assert not probe(data, 0, len(data))


@pytest.mark.parametrize(
    "data",
    [
        WHO_IS,
        bvlc(0x02, b""),
        bvlc(0x05, b"\x00\x3c"),
        bvlc(0x04, bytes.fromhex("0a000009bac001001008")),
    ],
)
def test_probe_accepts_bacnet(data: bytes) -> None:
    assert probe(data, 0, len(data))

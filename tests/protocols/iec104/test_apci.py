"""APCI framing and control fields (IEC 60870-5-104 section 5), as Wireshark 4.0 frames them."""

from __future__ import annotations

import pytest

from interlock.protocols.iec104.apci import (
    I_FRAME,
    S_FRAME,
    U_FRAME,
    encode_apdu,
    parse_apdu,
    parse_exact,
    probe,
    unit_length,
)
from protocols.iec104.conversation import asdu, i_frame  # tests/ is on sys.path

GI = asdu(100, 6, 0, b"\x14")


def test_u_frames_carry_their_function_bits() -> None:
    for control, function in ((0x07, 1), (0x0B, 2), (0x13, 4), (0x23, 8), (0x43, 16), (0x83, 32)):
        apdu = parse_apdu(encode_apdu(bytes((control, 0, 0, 0))), 0, 6)
        assert (apdu.frame_type, apdu.u_function, apdu.anomalies) == (U_FRAME, function, ())


def test_s_frame_has_a_receive_sequence_number() -> None:
    apdu = parse_apdu(bytes.fromhex("680401000a00"), 0, 6)
    assert (apdu.frame_type, apdu.rx, apdu.tx) == (S_FRAME, 5, -1)


def test_i_frame_sequence_numbers_and_asdu() -> None:
    frame = i_frame(300, 17, GI)
    apdu = parse_apdu(frame, 0, len(frame))
    assert (apdu.frame_type, apdu.tx, apdu.rx) == (I_FRAME, 300, 17)
    assert apdu.asdu is not None and apdu.asdu.type_id == 100
    assert parse_exact(frame, 0, len(frame)) == apdu


def test_unit_length_waits_for_six_bytes_then_skips_junk() -> None:
    assert unit_length(b"\x68\x04\x07\x00", 0) == 0
    assert unit_length(b"\x00\x01\x68\x04\x43\x00\x00\x00", 0) == 8
    assert unit_length(b"\x00\x00\x00\x00\x00\x00\x00", 0) == 7  # no start byte: all of it
    assert unit_length(b"\x68\x02\x00\x00\x00\x00", 0) == -1  # a unit under six bytes


def test_junk_prefix_and_short_apdu_are_anomalies() -> None:
    apdu = parse_apdu(b"\x00\x01\x68\x02\x02\x68", 0, 6)
    assert (apdu.prefix, apdu.length, apdu.frame_type) == (2, 2, -1)
    assert apdu.anomalies == ("iec104.junk_before_start", "iec104.short_apdu")
    assert parse_apdu(b"\x01\x02\x03", 0, 3).anomalies == ("iec104.no_start",)


def test_malformed_control_frames() -> None:
    u = parse_apdu(bytes.fromhex("6805171717171717"), 0, 7)
    assert u.u_function == 5
    assert u.anomalies == ("iec104.control_frame_length", "iec104.bad_u_function")
    cut = parse_apdu(bytes.fromhex("680e0000"), 0, 4)
    assert cut.anomalies == ("iec104.truncated",)
    long = encode_apdu(b"\x00\x00\x00\x00", bytes(250))
    assert "iec104.bad_length" in parse_apdu(long, 0, len(long)).anomalies
    assert "iec104.trailing_bytes" in parse_apdu(i_frame(0, 0, GI) + b"\x00", 0, 17).anomalies


def test_i_frame_without_asdu() -> None:
    apdu = parse_apdu(bytes.fromhex("680416161616"), 0, 6)
    assert apdu.frame_type == I_FRAME and apdu.anomalies == ("iec104.asdu_truncated",)


@pytest.mark.parametrize(
    "first",
    [
        b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
        bytes.fromhex("160301002e010000"),  # TLS ClientHello
        bytes.fromhex("000100000006010300000001"),  # Modbus/TCP read holding registers
        bytes.fromhex("0300001611e00000000100c0010ac1020100c2020102"),  # TPKT/COTP CR
        bytes.fromhex("68040000000600"),  # a start byte, then nothing valid
        bytes(range(40)),
    ],
)
def test_probe_rejects_other_protocols(first: bytes) -> None:
    assert not probe(first, 0, len(first))


def test_probe_accepts_iec104() -> None:
    for data in (bytes.fromhex("680407000000"), i_frame(0, 0, GI), bytes.fromhex("680401000200")):
        assert probe(data, 0, len(data))
    both = bytes.fromhex("680401000200") + i_frame(1, 1, GI)
    assert probe(both, 0, len(both))

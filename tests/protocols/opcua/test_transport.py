"""UA TCP framing and the transport messages (OPC 10000-6, 7.1.2), on hand-written bytes."""

from __future__ import annotations

import os
import struct

from interlock.protocols.opcua.transport import (
    Handshake,
    ReverseHello,
    TransportError,
    encode_chunk,
    parse_exact,
    probe,
    starts_unit,
    unit_length,
)
from protocols.opcua.helpers import _string, hello, opn, parsed, read_request, secure


def test_hello_carries_its_limits_and_endpoint() -> None:
    chunk = parsed(hello("opc.tcp://10.0.0.5:4840"))
    assert (chunk.msg_type, chunk.chunk_type, chunk.size) == ("HEL", "F", 55)
    assert chunk.transport == Handshake(0, 65536, 65536, 0, 0, "opc.tcp://10.0.0.5:4840")
    assert chunk.anomalies == ()


def test_acknowledge_error_and_reverse_hello() -> None:
    ack = parsed(encode_chunk("ACK", struct.pack("<5I", 0, 8192, 8192, 1 << 20, 4)))
    assert ack.transport == Handshake(0, 8192, 8192, 1 << 20, 4, None)
    err = parsed(encode_chunk("ERR", struct.pack("<I", 0x80820000) + _string("too large")))
    assert err.transport == TransportError(0x80820000, "too large")
    rhe = parsed(encode_chunk("RHE", _string("urn:srv") + _string("opc.tcp://srv:4840")))
    assert rhe.transport == ReverseHello("urn:srv", "opc.tcp://srv:4840")


def test_secure_headers() -> None:
    msg = parsed(secure("MSG", read_request(), channel=5, request_id=9))
    assert (msg.channel_id, msg.token_id, msg.sequence_number, msg.request_id) == (5, 5, 9, 9)
    assert msg.body == read_request()
    op = parsed(opn(b"\x01\x00\xbe\x01", channel=0))
    assert op.policy_uri == "http://opcfoundation.org/UA/SecurityPolicy#None"
    assert (op.sender_certificate, op.receiver_thumbprint, op.request_id) == (None, None, 1)
    assert op.body == b"\x01\x00\xbe\x01"


def test_anomalies() -> None:
    assert parsed(b"XYZF" + struct.pack("<I", 8)).anomalies == ("opcua.message_type_unknown",)
    assert parsed(encode_chunk("MSG", bytes(16), "X")).anomalies == ("opcua.chunk_type_invalid",)
    assert parsed(encode_chunk("HEL", bytes(20), "C")).anomalies[0] == "opcua.chunk_type_invalid"
    cut = hello()[:30]
    assert parsed(cut).anomalies == ("opcua.truncated",)
    assert "opcua.trailing_bytes" in parsed(encode_chunk("ACK", bytes(24))).anomalies
    assert parsed(encode_chunk("MSG", bytes(6))).anomalies == ("opcua.truncated",)


def test_framing() -> None:
    data = hello()
    assert unit_length(data, 0) == len(data)
    assert unit_length(data[:7], 0) == 0
    assert unit_length(b"MSGF\x04\x00\x00\x00", 0) == -1
    assert unit_length(b"MSGF\xff\xff\xff\x7f", 0) == -1
    assert starts_unit(data, 0, 2) and starts_unit(data, 0, len(data))
    assert not starts_unit(b"GET / HTTP/1.1", 0, 14)
    assert parse_exact(data, 0, len(data)) is not None
    assert parse_exact(data + b"x", 0, len(data) + 1) is None


def test_probe_accepts_real_openings() -> None:
    assert probe(hello(), 0, len(hello()))
    data = secure("MSG", read_request())
    assert probe(data, 0, len(data))


def test_probe_rejects_other_protocols_and_noise() -> None:
    others = [
        b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
        bytes.fromhex("1603010200010001fc0303") + bytes(40),
        bytes.fromhex("000100000006010300000002"),  # Modbus MBAP
        bytes.fromhex("0300001611e00000000100c0010ac1020100c2020102"),  # TPKT/COTP
        b"HELF" + struct.pack("<I", 60) + bytes(20),  # HEL whose URL does not fill it
        b"MSGF" + struct.pack("<I", 10) + bytes(2),  # shorter than any MSG
        b"ACKC" + struct.pack("<I", 28) + bytes(20),  # ACK only comes final
    ]
    others += [os.urandom(64) for _ in range(200)]
    assert not any(probe(o, 0, len(o)) for o in others)

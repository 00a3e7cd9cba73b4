"""Secure channels, chunk reassembly, encryption and pairing, one connection at a time."""

from __future__ import annotations

import struct

from interlock.protocols.opcua.session import MODE_SIGN, MODE_SIGN_AND_ENCRYPT, OpcUaSession
from interlock.protocols.opcua.transport import encode_chunk
from protocols.opcua.helpers import (
    BASIC256,
    open_request,
    open_response,
    opn,
    parsed,
    read_request,
    secure,
)


def feed(session: OpcUaSession, data: bytes, from_client: bool = True, frame: int = 1) -> object:
    return session.observe(parsed(data), from_client, frame, float(frame))


def test_a_message_reassembled_from_chunks_pairs_with_its_response() -> None:
    session = OpcUaSession()
    body = read_request()
    assert feed(session, secure("MSG", body[:10], request_id=4, chunk_type="C")) is None
    assert feed(session, secure("MSG", body[10:30], request_id=4, chunk_type="C")) is None
    done = feed(session, secure("MSG", body[30:], request_id=4), frame=3)
    assert done.message.service.name == "ReadRequest" and done.message.chunks == 3  # type: ignore[attr-defined]
    assert done.head == body[:7]  # type: ignore[attr-defined]
    answer = feed(session, secure("MSG", b"\x01\x00\x7a\x02" + bytes(30), request_id=4), False, 5)
    assert answer.request.frame == 3  # type: ignore[attr-defined]


def test_an_abort_discards_the_partial_message() -> None:
    session = OpcUaSession()
    feed(session, opn(open_request()))
    feed(session, opn(open_response(1), channel=1), False)
    feed(session, secure("MSG", read_request()[:10], request_id=6, chunk_type="C"))
    abort = struct.pack("<Ii", 0x80AC0000, 2) + b"no"
    seen = feed(session, secure("MSG", abort, request_id=6, chunk_type="A"))
    assert seen.message.abort == (0x80AC0000, "no") and not session.partials  # type: ignore[attr-defined]


def test_an_encrypted_channel_is_not_decoded() -> None:
    session = OpcUaSession()
    feed(session, opn(b"\x99" * 40, policy=BASIC256))
    feed(session, opn(b"\x98" * 40, channel=3, policy=BASIC256), False)
    seen = feed(session, secure("MSG", b"\xd5" * 64, channel=3))
    assert seen.message.encrypted and seen.message.service is None  # type: ignore[attr-defined]
    assert session.channels[3].mode == MODE_SIGN_AND_ENCRYPT


def test_a_signed_channel_is_still_decoded() -> None:
    session = OpcUaSession()
    feed(session, opn(open_response(2), channel=2, policy=BASIC256), False)
    seen = feed(session, secure("MSG", read_request() + bytes(32), channel=2))
    assert seen.message.service.name == "ReadRequest"  # type: ignore[attr-defined]
    assert session.channels[2].mode == MODE_SIGN


def test_limits_announced_in_acknowledge() -> None:
    session = OpcUaSession()
    feed(session, encode_chunk("ACK", struct.pack("<5I", 0, 8192, 8192, 100, 2)), False)
    body = read_request()
    feed(session, secure("MSG", body[:10], request_id=8, chunk_type="C"))
    feed(session, secure("MSG", body[10:20], request_id=8, chunk_type="C"))
    seen = feed(session, secure("MSG", body[20:], request_id=8))
    assert seen.anomalies == ("opcua.chunk_count_exceeded",)  # type: ignore[attr-defined]
    assert seen.message.service is None  # type: ignore[attr-defined]
    feed(session, secure("MSG", bytes(80), request_id=9, chunk_type="C"))
    seen = feed(session, secure("MSG", bytes(40), request_id=9))
    assert seen.anomalies == ("opcua.message_too_large",)  # type: ignore[attr-defined]


def test_a_bad_certificate_is_an_anomaly() -> None:
    session = OpcUaSession()
    data = bytearray(opn(open_request()))
    cert = b"\x30\x03\x02\x01\x00"
    policy_end = 12 + 4 + len("http://opcfoundation.org/UA/SecurityPolicy#None")
    data[policy_end : policy_end + 4] = struct.pack("<i", len(cert)) + b""
    data[policy_end + 4 : policy_end + 4] = cert
    data[4:8] = struct.pack("<I", len(data))
    seen = feed(session, bytes(data))
    assert seen.message.anomalies == ("opcua.certificate_invalid",)  # type: ignore[attr-defined]
    assert seen.message.certificate.length == 5  # type: ignore[attr-defined]


def test_memory_stays_bounded() -> None:
    session = OpcUaSession()
    for n in range(200):
        feed(session, secure("MSG", b"x" * 10, request_id=n, chunk_type="C"))
        feed(session, secure("MSG", read_request(), channel=n, request_id=n))
    assert len(session.partials) <= 32 and len(session.channels) <= 16
    assert len(session.requests) <= 1024

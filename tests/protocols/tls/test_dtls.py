"""DTLS records and handshake fragments (RFC 6347 4.1 and 4.2.2)."""

from __future__ import annotations

from interlock.protocols.tls.dtls import FragmentHeader, Reassembler, split_fragments
from interlock.protocols.tls.hello import ClientHello
from interlock.protocols.tls.record import encode_dtls_record, parse_record, unit_length
from interlock.protocols.tls.session import TlsSession
from interlock.render.tls_record import tls_record
from protocols.tls.builders import client_hello


def fragment(msg_type: int, length: int, seq: int, offset: int, data: bytes) -> bytes:
    head = bytes([msg_type]) + length.to_bytes(3, "big") + seq.to_bytes(2, "big")
    return head + offset.to_bytes(3, "big") + len(data).to_bytes(3, "big") + data


def test_a_dtls_record_has_an_epoch_and_a_sequence_number() -> None:
    unit = encode_dtls_record(23, 0xFEFD, 1, 0x010203040506, b"secret")
    assert unit_length(unit, 0) == 13 + 6
    r = parse_record(unit, 0, len(unit))
    assert (r.content_type, r.version, r.epoch, r.sequence, r.fragment) == (
        23,
        0xFEFD,
        1,
        0x010203040506,
        b"secret",
    )
    assert r.is_dtls and r.anomalies == ()
    assert parse_record(unit, 0, 8).anomalies == ("tls.truncated_record",)


def test_fragments_are_split_and_reassembled_in_order() -> None:
    body = bytes(range(100))
    record = fragment(11, 100, 2, 0, body[:40]) + fragment(11, 100, 2, 40, body[40:70])
    pieces, whole = split_fragments(record)
    assert whole and [h.offset for h, _ in pieces] == [0, 40]
    r = Reassembler()
    assert r.add(*pieces[0], 1000) is None
    assert r.add(*pieces[1], 1000) is None
    last = FragmentHeader(11, 100, 2, 70, 30)
    assert r.add(last, body[70:], 1000) == body


def test_a_gap_waits_and_an_oversized_message_is_refused() -> None:
    r = Reassembler()
    assert r.add(FragmentHeader(11, 100, 2, 50, 50), bytes(50), 1000) is None  # no start
    assert r.add(FragmentHeader(11, 2000, 3, 0, 10), bytes(10), 1000) is None
    assert r.header is None
    whole = FragmentHeader(14, 0, 4, 0, 0)
    assert r.add(whole, b"", 1000) == b""


def test_a_dtls_client_hello_with_its_cookie() -> None:
    plain = client_hello(version=0xFEFD)[4:]
    body = plain[:35] + b"\x04abcd" + plain[35:]  # the cookie follows the session id
    unit = encode_dtls_record(22, 0xFEFF, 0, 1, fragment(1, len(body), 1, 0, body))
    session = TlsSession()
    record = parse_record(unit, 0, len(unit))
    seen = session.observe(record, True, 1, 0.0)
    hello = seen.messages[0].body
    assert isinstance(hello, ClientHello) and hello.cookie == b"abcd" and hello.anomalies == ()
    proto, fields, _ = tls_record(record, 1, seen)
    assert proto == "dtls"
    assert fields["dtls.handshake.cookie_length"] == [4]
    assert fields["dtls.handshake.message_seq"] == [1]
    assert fields["dtls.handshake.ja4"][0].startswith("dd2i")


def test_a_cut_fragment_is_an_anomaly() -> None:
    unit = encode_dtls_record(22, 0xFEFD, 0, 1, fragment(1, 50, 0, 0, bytes(50))[:30])
    seen = TlsSession().observe(parse_record(unit, 0, len(unit)), True, 1, 0.0)
    assert seen.anomalies == ("tls.bad_handshake",)

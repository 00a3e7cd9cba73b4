"""Per-connection state: handshake reassembly across records, encryption, alerts,
heartbeats, and when a handshake opens and concludes."""

from __future__ import annotations

from interlock.protocols.tls.hello import ClientHello, ServerHello
from interlock.protocols.tls.messages import encode_handshake
from interlock.protocols.tls.record import TlsRecord, parse_record
from interlock.protocols.tls.session import MAX_MESSAGE, Observation, TlsSession
from protocols.tls.builders import client_hello, key_shares, record, server_hello, sni, versions

CLIENT, SERVER = True, False


def rec(content_type: int, fragment: bytes) -> TlsRecord:
    unit = record(content_type, fragment)
    return parse_record(unit, 0, len(unit))


def feed(session: TlsSession, is_request: bool, content_type: int, fragment: bytes) -> Observation:
    return session.observe(rec(content_type, fragment), is_request, 1, 0.0)


def test_a_handshake_message_spanning_records_completes_on_the_last() -> None:
    s = TlsSession()
    message = client_hello(extensions=(sni("scada.example"),))
    first = feed(s, CLIENT, 22, message[:30])
    assert first.messages == () and first.opened is None
    last = feed(s, CLIENT, 22, message[30:])
    assert [m.msg_type for m in last.messages] == [1]
    body = last.messages[0].body
    assert isinstance(body, ClientHello) and body.server_name == "scada.example"
    assert last.opened is s.state


def test_several_messages_in_one_record_and_one_split_after() -> None:
    s = TlsSession()
    flight = (
        server_hello(0xC02F) + encode_handshake(11, b"\x00\x00\x00") + encode_handshake(14, b"")
    )
    one = feed(s, SERVER, 22, flight[:-2])
    assert [m.msg_type for m in one.messages] == [2, 11]
    two = feed(s, SERVER, 22, flight[-2:])
    assert [m.msg_type for m in two.messages] == [14]


def test_an_oversized_handshake_message_is_not_reassembled() -> None:
    s = TlsSession()
    header = bytes([11]) + (MAX_MESSAGE + 1).to_bytes(3, "big")
    seen = feed(s, SERVER, 22, header + bytes(100))
    assert seen.anomalies == ("tls.handshake_too_long",) and seen.messages == ()
    assert feed(s, SERVER, 22, server_hello(0xC02F)).messages[0].msg_type == 2


def test_unknown_handshake_types_are_flagged() -> None:
    s = TlsSession()
    seen = feed(s, CLIENT, 22, client_hello() + encode_handshake(99, b"x"))
    assert "tls.unknown_handshake_type" in seen.anomalies


def test_tls12_full_handshake_concludes_when_both_sides_changed_cipher_spec() -> None:
    s = TlsSession()
    assert feed(s, CLIENT, 22, client_hello()).opened is not None
    feed(s, SERVER, 22, server_hello(0xC02F) + encode_handshake(14, b""))
    feed(s, CLIENT, 22, encode_handshake(16, b"\x20" + bytes(32)))
    assert feed(s, CLIENT, 20, b"\x01").concluded is None
    finished = feed(s, CLIENT, 22, bytes([0x9F]) + bytes(39))
    assert finished.encrypted and finished.messages == ()
    done = feed(s, SERVER, 20, b"\x01")
    assert done.concluded is not None and done.concluded.server_hello is not None
    assert feed(s, SERVER, 23, b"x" * 30).concluded is None  # only once


def test_tls13_concludes_at_the_server_hello_and_encrypts_the_rest() -> None:
    s = TlsSession()
    feed(s, CLIENT, 22, client_hello(extensions=(versions(0x0304),)))
    seen = feed(
        s, SERVER, 22, server_hello(0x1301, ((43, b"\x03\x04"), (51, b"\x00\x1d\x00\x01x")))
    )
    assert seen.concluded is not None
    app = feed(s, SERVER, 23, b"x" * 40)
    assert app.encrypted and app.opaque
    assert feed(s, SERVER, 21, b"\x02\x28").alert is None  # an alert in TLS 1.3 is encrypted


def test_a_hello_retry_request_then_change_cipher_spec_then_the_second_client_hello() -> None:
    s = TlsSession()
    feed(s, CLIENT, 22, client_hello(extensions=(versions(0x0304), key_shares((0x1D, 32)))))
    hrr = feed(s, SERVER, 22, server_hello(0x1301, ((43, b"\x03\x04"), (51, b"\x00\x18")), True))
    assert hrr.concluded is None and s.state.hello_retry
    feed(s, SERVER, 20, b"\x01")
    feed(s, CLIENT, 20, b"\x01")
    again = feed(s, CLIENT, 22, client_hello(extensions=(versions(0x0304),)))
    assert [m.msg_type for m in again.messages] == [1] and again.opened is None
    final = feed(s, SERVER, 22, server_hello(0x1301, ((43, b"\x03\x04"),)))
    assert final.concluded is not None and final.concluded.hello_retry
    assert isinstance(final.concluded.server_hello, ServerHello)


def test_a_fatal_alert_in_clear_concludes_with_it() -> None:
    s = TlsSession()
    feed(s, CLIENT, 22, client_hello())
    warning = feed(s, SERVER, 21, b"\x01\x70")
    assert warning.alert is not None and warning.concluded is None
    fatal = feed(s, CLIENT, 21, b"\x02\x30")
    assert fatal.alert == (2, 48)
    assert fatal.concluded is not None and fatal.concluded.alert_from_client
    assert feed(s, CLIENT, 21, b"\x07\x00").anomalies == ("tls.bad_alert",)


def test_alerts_after_change_cipher_spec_are_encrypted() -> None:
    s = TlsSession()
    feed(s, SERVER, 22, server_hello(0xC02F))
    feed(s, SERVER, 20, b"\x01")
    seen = feed(s, SERVER, 21, bytes(26))
    assert seen.encrypted and seen.alert is None


def test_heartbleed_is_an_anomaly() -> None:
    s = TlsSession()
    honest = feed(s, CLIENT, 24, b"\x01\x00\x03abc" + bytes(16))
    assert honest.heartbeat == (1, 3) and honest.anomalies == ()
    bleed = feed(s, CLIENT, 24, b"\x01\x40\x00")
    assert bleed.anomalies == ("tls.heartbeat_overflow",)


def test_a_bad_change_cipher_spec_is_flagged() -> None:
    assert feed(TlsSession(), CLIENT, 20, b"\x02").anomalies == ("tls.bad_change_cipher_spec",)


def test_a_connection_caught_midway_reads_protected_handshakes_as_encrypted() -> None:
    seen = feed(TlsSession(), SERVER, 22, bytes([0xE3]) + bytes(39))
    assert seen.encrypted and seen.messages == () and seen.anomalies == ()


def test_application_data_concludes_a_tls12_handshake_whose_ccs_was_missed() -> None:
    s = TlsSession()
    feed(s, CLIENT, 22, client_hello())
    feed(s, SERVER, 22, server_hello(0xC02F))
    assert feed(s, CLIENT, 23, b"x" * 40).concluded is not None

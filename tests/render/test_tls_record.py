"""The TLS renderer: Wireshark 4.0's field names and quirks."""

from __future__ import annotations

from typing import Any

import orjson

from interlock.protocols.tls.messages import encode_handshake
from interlock.protocols.tls.record import parse_record
from interlock.protocols.tls.session import TlsSession
from interlock.render.tls_record import tls_record
from protocols.tls.builders import (
    alpn,
    client_hello,
    groups,
    key_shares,
    record,
    server_hello,
    sigalgs,
    sni,
    versions,
)


def render(session: TlsSession, is_request: bool, content_type: int, body: bytes) -> dict[str, Any]:
    unit = record(content_type, body, 0x0301 if content_type == 22 and is_request else 0x0303)
    parsed = parse_record(unit, 0, len(unit))
    proto, fields, _anomalies = tls_record(
        parsed, int(is_request), session.observe(parsed, is_request, 1, 0.0)
    )
    assert proto is None
    orjson.dumps(fields)
    return fields


def test_client_hello_fields() -> None:
    hello = client_hello(
        (0x1301, 0xC02F),
        (
            sni("eng-ws.plant"),
            alpn(b"h2", b"http/1.1"),
            groups(0x11EC, 0x001D),
            key_shares((0x11EC, 1216)),
            versions(0x0304, 0x0303),
            sigalgs(0x0403, 0x0804),
        ),
    )
    f = render(TlsSession(), True, 22, hello)
    assert f["tls.record.content_type"] == 22 and f["tls.record.version"] == 0x0301
    assert f["tls.handshake.type"] == [1] and f["tls.handshake.version"] == [0x0303]
    assert f["tls.handshake.extensions_server_name"] == ["eng-ws.plant"]
    assert f["tls.handshake.ciphersuite"] == [0x1301, 0xC02F]
    assert f["tls.handshake.extensions_alpn_str"] == ["h2", "http/1.1"]
    assert f["tls.handshake.extensions_supported_group"] == [0x11EC, 0x001D]
    assert f["tls.handshake.extensions_key_share_group"] == [0x11EC]
    assert f["tls.handshake.extensions.supported_version"] == [0x0304, 0x0303]
    assert f["tls.handshake.sig_hash_alg"] == [0x0403, 0x0804]
    assert f["tls.handshake.extension.type"] == [0, 16, 10, 51, 43, 13]
    assert len(f["tls.handshake.ja3"][0]) == 32
    assert f["tls.handshake.ja4"][0].startswith("t13d0206h2_")


def test_server_side_quirks() -> None:
    s = TlsSession()
    render(s, True, 22, client_hello(extensions=(versions(0x0304),)))
    hrr = render(s, False, 22, server_hello(0x1301, ((43, b"\x03\x04"), (51, b"\x00\x18")), True))
    assert hrr["tls.handshake.extensions_key_share_selected_group"] == [0x18]
    assert "tls.handshake.extensions_key_share_group" not in hrr
    sh = server_hello(0x1301, ((43, b"\x03\x04"), (51, b"\x00\x18\x00\x02ab")))
    f = render(s, False, 22, sh)
    assert f["tls.handshake.extensions_key_share_group"] == [0x18]
    assert f["tls.handshake.extensions.supported_version"] == [0x0304]
    app = render(s, False, 23, b"x" * 30)
    assert app["tls.record.opaque_type"] == 23 and "tls.record.content_type" not in app


def test_tls12_server_flight_alert_and_heartbeat() -> None:
    s = TlsSession()
    flight = (
        server_hello(0xC02F)
        + encode_handshake(12, b"\x03\x00\x17\x02ab\x04\x03\x00\x02xy")
        + encode_handshake(13, b"\x01\x01\x00\x02\x04\x01\x00\x00")
        + encode_handshake(14, b"")
    )
    f = render(s, False, 22, flight)
    assert f["tls.handshake.type"] == [2, 12, 13, 14]
    assert f["tls.handshake.server_named_curve"] == [0x17]
    assert f["tls.handshake.sig_hash_alg"] == [0x0403, 0x0401]
    assert f["tls.handshake.cert_type"] == [1]
    alert = render(s, True, 21, b"\x02\x28")
    assert (alert["tls.alert_message.level"], alert["tls.alert_message.desc"]) == (2, 40)
    beat = render(TlsSession(), True, 24, b"\x01\x00\x02hi" + bytes(16))
    assert beat["tls.heartbeat_message.type"] == 1
    assert beat["tls.heartbeat_message.payload_length"] == 2


def test_an_encrypted_handshake_record_has_only_record_fields() -> None:
    s = TlsSession()
    render(s, False, 22, server_hello(0xC02F))
    render(s, False, 20, b"\x01")
    f = render(s, False, 22, bytes(40))
    assert set(f) == {"tls.record.content_type", "tls.record.version", "tls.record.length"}

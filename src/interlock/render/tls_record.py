"""TLS records as Wireshark 4.0 shows them (packet-tls.c, packet-tls-utils.c), for
`interlock dissect`.

One record per TLS record: ``tls.record.*`` always (ChangeCipherSpec, alerts and
encrypted records included), the fields of each handshake message on the record that
completes it (a message spanning records is reassembled first, as Wireshark does), alert
and heartbeat fields when in clear. Fields Wireshark 4.0 lacks use its later names where
it has them (``tls.handshake.ja4``) or the ``tls.handshake.certificate.`` prefix for the
decoded certificate summaries. Wireshark's quirks reproduced here: the handshake version
is the hello's legacy version (a TLS 1.3 hello says 0x0303; the real version is in
``tls.handshake.extensions.supported_version``), and a HelloRetryRequest's group is
``extensions_key_share_selected_group``; once TLS 1.3 is chosen, an application data
record's type is ``tls.record.opaque_type`` (RFC 8446's TLSCiphertext), not
``tls.record.content_type``; a DTLS record is reported as proto "dtls" with Wireshark's
``dtls.`` names (epoch, sequence number, and each handshake fragment's type, length,
message sequence, offset and length); the signature algorithms of the Certificate Transparency
SCTs embedded in certificates are ``tls.handshake.sig_hash_alg`` values too.
"""

from __future__ import annotations

from typing import Any

from interlock.protocols.tls.certificate import CertificateChain
from interlock.protocols.tls.fingerprints import ja3, ja3_string, ja3s, ja3s_string, ja4, ja4s
from interlock.protocols.tls.hello import ClientHello, ServerHello
from interlock.protocols.tls.messages import (
    CertificateRequest,
    HandshakeMessage,
    HelloVerifyRequest,
    NewSessionTicket,
    ServerKeyExchange,
)
from interlock.protocols.tls.record import TlsRecord
from interlock.protocols.tls.session import Observation


def tls_record(
    record: TlsRecord, role: int, seen: Observation | None
) -> tuple[str | None, dict[str, Any], tuple[str, ...]]:
    opaque = seen is not None and seen.opaque
    f: dict[str, Any] = {
        "tls.record.opaque_type" if opaque else "tls.record.content_type": record.content_type,
        "tls.record.version": record.version,
        "tls.record.length": record.length,
    }
    if record.epoch >= 0:
        f["tls.record.epoch"] = record.epoch
        f["tls.record.sequence_number"] = record.sequence
    if seen is None:
        return ("dtls" if record.epoch >= 0 else None), _named(f, record), record.anomalies
    for header in seen.fragments:
        _add(f, "tls.handshake.type", (header.msg_type,))
        _add(f, "tls.handshake.length", (header.length,))
        _add(f, "tls.handshake.message_seq", (header.message_seq,))
        _add(f, "tls.handshake.fragment_offset", (header.offset,))
        _add(f, "tls.handshake.fragment_length", (header.fragment_length,))
    if seen.messages:
        _handshake(seen.messages, f, not seen.fragments)
    if seen.alert is not None:
        f["tls.alert_message.level"] = seen.alert.level
        f["tls.alert_message.desc"] = seen.alert.description
    if seen.heartbeat is not None:
        f["tls.heartbeat_message.type"] = seen.heartbeat.type
        f["tls.heartbeat_message.payload_length"] = seen.heartbeat.payload_length
    if record.epoch >= 0:
        return "dtls", _named(f, record), seen.anomalies
    return None, f, seen.anomalies


def _named(f: dict[str, Any], record: TlsRecord) -> dict[str, Any]:
    """DTLS records take Wireshark's ``dtls.`` names for the same fields."""
    if record.epoch < 0:
        return f
    return {"dtls" + key[3:]: value for key, value in f.items()}


def _add(f: dict[str, Any], key: str, values: Any) -> None:
    """Append values (in wire order) to a repeated field; nothing when there are none."""
    if values:
        f.setdefault(key, []).extend(values)


def _handshake(messages: tuple[HandshakeMessage, ...], f: dict[str, Any], headers: bool) -> None:
    for message in messages:
        if headers:  # DTLS gives them per fragment instead
            _add(f, "tls.handshake.type", (message.msg_type,))
            _add(f, "tls.handshake.length", (message.length,))
        body = message.body
        if isinstance(body, ClientHello):
            _client_hello(body, f)
        elif isinstance(body, ServerHello):
            _server_hello(body, f)
        elif isinstance(body, CertificateChain):
            _certificates(body, f)
        elif isinstance(body, ServerKeyExchange) and body.named_curve >= 0:
            _add(f, "tls.handshake.server_named_curve", (body.named_curve,))
            if body.signature_algorithm >= 0:
                _add(f, "tls.handshake.sig_hash_alg", (body.signature_algorithm,))
        elif isinstance(body, CertificateRequest):
            _add(f, "tls.handshake.cert_type", body.certificate_types)
            _add(f, "tls.handshake.sig_hash_alg", body.signature_algorithms)
        elif isinstance(body, HelloVerifyRequest):
            _add(f, "tls.handshake.version", (body.version,))
            _add(f, "tls.handshake.cookie_length", (len(body.cookie),))
        elif isinstance(body, NewSessionTicket):
            _add(f, "tls.handshake.session_ticket_lifetime_hint", (body.lifetime,))
            _add(f, "tls.handshake.session_ticket_length", (body.ticket_length,))


def _client_hello(h: ClientHello, f: dict[str, Any]) -> None:
    _add(f, "tls.handshake.version", (h.version,))
    _add(f, "tls.handshake.session_id_length", (len(h.session_id),))
    if h.cookie or "tls.record.epoch" in f:
        _add(f, "tls.handshake.cookie_length", (len(h.cookie),))
    _add(f, "tls.handshake.ciphersuite", h.cipher_suites)
    _add(f, "tls.handshake.comp_method", h.compression_methods)
    _add(f, "tls.handshake.extension.type", h.extension_types)
    _add(f, "tls.handshake.extensions_server_name", h.server_names)
    _add(f, "tls.handshake.extensions_alpn_str", h.alpn)
    _add(f, "tls.handshake.extensions_supported_group", h.supported_groups)
    _add(f, "tls.handshake.extensions_key_share_group", h.key_share_groups)
    _add(f, "tls.handshake.extensions.supported_version", h.supported_versions)
    _add(f, "tls.handshake.sig_hash_alg", h.signature_algorithms)
    _add(f, "tls.handshake.extensions_ec_point_format", h.ec_point_formats)
    _add(f, "tls.handshake.ja3_full", (ja3_string(h),))
    _add(f, "tls.handshake.ja3", (ja3(h),))
    _add(f, "tls.handshake.ja4", (ja4(h, "tls.record.epoch" in f),))


def _server_hello(h: ServerHello, f: dict[str, Any]) -> None:
    _add(f, "tls.handshake.version", (h.version,))
    _add(f, "tls.handshake.session_id_length", (len(h.session_id),))
    _add(f, "tls.handshake.ciphersuite", (h.cipher_suite,))
    _add(f, "tls.handshake.comp_method", (h.compression_method,))
    _add(f, "tls.handshake.extension.type", h.extension_types)
    if h.selected_version >= 0:
        _add(f, "tls.handshake.extensions.supported_version", (h.selected_version,))
    if h.key_share_group >= 0:
        name = "selected_group" if h.is_hello_retry_request else "group"
        _add(f, f"tls.handshake.extensions_key_share_{name}", (h.key_share_group,))
    if h.alpn is not None:
        _add(f, "tls.handshake.extensions_alpn_str", (h.alpn,))
    _add(f, "tls.handshake.extensions_ec_point_format", h.ec_point_formats)
    if h.is_hello_retry_request:
        f["tls.handshake.hello_retry_request"] = 1
    _add(f, "tls.handshake.ja3s_full", (ja3s_string(h),))
    _add(f, "tls.handshake.ja3s", (ja3s(h),))
    _add(f, "tls.handshake.ja4s", (ja4s(h, "tls.record.epoch" in f),))


def _certificates(chain: CertificateChain, f: dict[str, Any]) -> None:
    _add(f, "tls.handshake.certificate.count", (chain.total,))
    for c in chain.certificates:
        _add(f, "tls.handshake.certificate_length", (c.size,))
        _add(f, "tls.handshake.certificate.sha256", (c.sha256,))
        if not c.subject and not c.issuer and c.anomalies:
            continue
        _add(f, "tls.handshake.certificate.subject", (c.subject,))
        _add(f, "tls.handshake.certificate.issuer", (c.issuer,))
        _add(f, "tls.handshake.certificate.serial", (c.serial,))
        _add(f, "tls.handshake.certificate.not_before", (c.not_before,))
        _add(f, "tls.handshake.certificate.not_after", (c.not_after,))
        _add(f, "tls.handshake.certificate.key_type", (c.key_type,))
        _add(f, "tls.handshake.certificate.key_size", (c.key_size,))
        _add(f, "tls.handshake.certificate.signature_algorithm", (c.signature_algorithm,))
        _add(f, "tls.handshake.certificate.san_dns", c.san_dns)
        _add(f, "tls.handshake.certificate.san_ip", c.san_ips)
        _add(f, "tls.handshake.sig_hash_alg", c.sct_signature_algorithms)

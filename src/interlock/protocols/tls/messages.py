"""Handshake messages (RFC 5246 7.4, RFC 8446 4): the 4-byte header and the decoded body
of those Interlock reads in clear: hellos, Certificate, ServerKeyExchange (the named
curve), CertificateRequest, ServerHelloDone, ClientKeyExchange, Finished,
NewSessionTicket, and DTLS's HelloVerifyRequest.

Pure; a body too short for its type yields ``tls.bad_handshake``.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from interlock.protocols.tls.certificate import CertificateChain, parse_certificate_message
from interlock.protocols.tls.hello import (
    ClientHello,
    ServerHello,
    parse_client_hello,
    parse_server_hello,
)
from interlock.protocols.tls.reader import Reader, u16_list
from interlock.protocols.tls.vocabulary import (
    CERTIFICATE,
    CERTIFICATE_REQUEST,
    CLIENT_HELLO,
    CLIENT_KEY_EXCHANGE,
    FINISHED,
    HELLO_VERIFY_REQUEST,
    NAMED_GROUPS,
    NEW_SESSION_TICKET,
    SERVER_HELLO,
    SERVER_KEY_EXCHANGE,
    TLS12,
    is_tls13,
)

NAMED_CURVE: Final = 3
"""ECCurveType named_curve (RFC 8422 5.4)."""


class ServerKeyExchange(NamedTuple):
    named_curve: int
    """The ECDHE group, -1 when the parameters are not an (EC)DHE named curve."""
    public_length: int
    signature_algorithm: int
    """TLS 1.2's SignatureAndHashAlgorithm after ECDHE parameters, else -1."""


class CertificateRequest(NamedTuple):
    certificate_types: tuple[int, ...]
    signature_algorithms: tuple[int, ...]


class NewSessionTicket(NamedTuple):
    lifetime: int
    """ticket_lifetime_hint (TLS 1.2) or ticket_lifetime (TLS 1.3), seconds."""
    ticket_length: int


class HelloVerifyRequest(NamedTuple):
    """DTLS (RFC 6347 4.2.1): the server asks the client to repeat its hello with a cookie."""

    version: int
    cookie: bytes


class KeyMaterial(NamedTuple):
    """ClientKeyExchange exchange keys or Finished verify_data: only their length."""

    length: int


Decoded = (
    ClientHello
    | ServerHello
    | CertificateChain
    | ServerKeyExchange
    | CertificateRequest
    | NewSessionTicket
    | KeyMaterial
    | HelloVerifyRequest
    | None
)


class HandshakeMessage(NamedTuple):
    msg_type: int
    length: int
    body: Decoded
    anomalies: tuple[str, ...]


def _server_key_exchange(body: bytes, version: int) -> ServerKeyExchange:
    # Only ECDHE parameters start with curve type 3 and a known group followed by a
    # point that fits; DHE parameters start with the length of p.
    if len(body) >= 4 and body[0] == NAMED_CURVE:
        group = (body[1] << 8) | body[2]
        end = 4 + body[3]
        if group in NAMED_GROUPS and end <= len(body):
            algorithm = -1
            if version >= TLS12 and end + 2 <= len(body):
                algorithm = (body[end] << 8) | body[end + 1]
            return ServerKeyExchange(group, body[3], algorithm)
    return ServerKeyExchange(-1, 0, -1)


def _certificate_request(body: bytes, tls13: bool) -> tuple[CertificateRequest, bool]:
    r = Reader(body)
    if tls13:
        return CertificateRequest((), ()), True  # context and extensions only
    types = tuple(r.vector(1))
    algorithms = u16_list(r.vector(2))
    r.vector(2)  # certificate authorities
    return CertificateRequest(types, algorithms), not r.short


def _ticket(body: bytes, tls13: bool) -> tuple[NewSessionTicket, bool]:
    r = Reader(body)
    lifetime = r.u32()
    if tls13:
        r.u32()  # ticket_age_add
        r.vector(1)  # nonce
    ticket = r.vector(2)
    return NewSessionTicket(lifetime, len(ticket)), not r.short


def decode_message(
    msg_type: int, body: bytes, version: int, datagram: bool = False
) -> HandshakeMessage:
    """The typed message for a complete handshake message body; version is the one the
    ServerHello chose (0 before it), datagram says DTLS."""
    tls13 = is_tls13(version)
    decoded: Decoded = None
    ok = True
    anomalies: tuple[str, ...] = ()
    if msg_type == CLIENT_HELLO:
        decoded = parse_client_hello(body, datagram)
        anomalies = decoded.anomalies
    elif msg_type == HELLO_VERIFY_REQUEST:
        r = Reader(body)
        decoded = HelloVerifyRequest(r.u16(), r.vector(1))
        ok = not r.short
    elif msg_type == SERVER_HELLO:
        decoded = parse_server_hello(body)
        anomalies = decoded.anomalies
    elif msg_type == CERTIFICATE:
        decoded = parse_certificate_message(body, tls13)
        anomalies = decoded.anomalies
    elif msg_type == SERVER_KEY_EXCHANGE:
        decoded = _server_key_exchange(body, version)
    elif msg_type == CERTIFICATE_REQUEST:
        decoded, ok = _certificate_request(body, tls13)
    elif msg_type == NEW_SESSION_TICKET:
        decoded, ok = _ticket(body, tls13)
    elif msg_type in (CLIENT_KEY_EXCHANGE, FINISHED):
        decoded = KeyMaterial(len(body))
    if not ok:
        anomalies = ("tls.bad_handshake",)
    return HandshakeMessage(msg_type, len(body), decoded, anomalies)


def encode_handshake(msg_type: int, body: bytes) -> bytes:
    """A handshake message: type, 24-bit length, body (for tests)."""
    return bytes([msg_type]) + len(body).to_bytes(3, "big") + body

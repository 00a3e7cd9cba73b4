"""TLS (and DTLS: protocol "dtls") handshakes as the engine's typed transactions: one
SESSION transaction per connection, from the first ClientHello to the handshake's conclusion (see session.py).

Details (plain JSON values): SNI, ALPN offered and selected, versions offered and
selected, cipher suites offered and selected, groups and key share groups, whether a
post-quantum hybrid group (pqc.md: X25519MLKEM768 0x11EC, X25519Kyber768Draft00 0x6399,
...) was offered or selected, JA3/JA4/JA3S/JA4S and the certificate summaries. Status:
"exception" on a fatal alert seen in clear (its description is the exception code), "ok"
once the server answered, "unanswered" when the connection ended before a ServerHello.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from interlock.model import Endpoint, OperationClass, Transaction, TransactionStatus
from interlock.protocols.tls.fingerprints import ja3, ja3s, ja4, ja4s
from interlock.protocols.tls.handshake_state import Handshake, HandshakeState
from interlock.protocols.tls.hello import ClientHello, ServerHello
from interlock.protocols.tls.record import TlsRecord
from interlock.protocols.tls.session import Observation
from interlock.protocols.tls.vocabulary import (
    ALERT_DESCRIPTIONS,
    HANDSHAKE,
    HYBRID_PQ_GROUPS,
    group_name,
    is_grease,
    is_post_quantum,
    version_name,
)


class SeenHello(NamedTuple):
    """The ClientHello a concluded handshake answers (named as the transaction sink reads it)."""

    frame: int
    ts: float
    adu: Handshake


def view(
    record: TlsRecord, seen: Observation | None
) -> tuple[Handshake | HandshakeState, SeenHello | None] | None:
    """The opening of a handshake (its first ClientHello) or its conclusion; None for
    every other record."""
    if seen is None:
        return None
    if seen.concluded is not None:
        h = seen.concluded
        hello = SeenHello(h.client_frame, h.client_ts, h) if h.client_hello is not None else None
        return h, hello
    if seen.opened is not None:
        return seen.opened, None
    return None


def is_request(message: Handshake | HandshakeState) -> bool:
    return isinstance(message, HandshakeState)


def pairing_key(message: Handshake | HandshakeState) -> str:
    return "handshake"  # one handshake per connection


def _no_grease(values: tuple[int, ...]) -> list[int]:
    return [v for v in values if not is_grease(v)]


def _client_details(ch: ClientHello, datagram: bool) -> dict[str, Any]:
    offered = _no_grease(ch.supported_versions) or [ch.version]
    groups = _no_grease(ch.supported_groups)
    shares = _no_grease(ch.key_share_groups)
    return {
        "sni": ch.server_name,
        "alpn_offered": list(ch.alpn),
        "versions_offered": [version_name(v) for v in offered],
        "cipher_suites_offered": _no_grease(ch.cipher_suites),
        "supported_groups": [group_name(g) for g in groups],
        "key_share_groups": [group_name(g) for g in shares],
        "post_quantum_offered": any(is_post_quantum(g) for g in groups + shares),
        "hybrid_pq_offered": any(g in HYBRID_PQ_GROUPS for g in groups + shares),
        "signature_algorithms": _no_grease(ch.signature_algorithms),
        "ja3": ja3(ch),
        "ja4": ja4(ch, datagram),
    }


def _server_details(sh: ServerHello, datagram: bool) -> dict[str, Any]:
    group = sh.key_share_group
    return {
        "version_selected": version_name(sh.negotiated_version),
        "cipher_suite_selected": sh.cipher_suite,
        "alpn_selected": sh.alpn,
        "key_share_group_selected": group_name(group) if group >= 0 else None,
        "post_quantum_selected": is_post_quantum(group),
        "hybrid_pq_selected": group in HYBRID_PQ_GROUPS,
        "ja3s": ja3s(sh),
        "ja4s": ja4s(sh, datagram),
    }


def details(h: Handshake) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if h.client_hello is not None:
        out.update(_client_details(h.client_hello, h.datagram))
    if h.server_hello is not None:
        out.update(_server_details(h.server_hello, h.datagram))
    out["hello_retry_request"] = h.hello_retry
    if h.server_curve >= 0:
        out["server_key_exchange_group"] = group_name(h.server_curve)
    if h.certificate_count:
        out["certificate_count"] = h.certificate_count
        out["certificates"] = [c.as_dict() for c in h.certificates]
    if h.alert is not None:
        out["alert"] = {
            "level": h.alert.level,
            "description": ALERT_DESCRIPTIONS.get(h.alert.description, "unknown"),
            "from": "client" if h.alert_from_client else "server",
        }
    return out


def _status(h: Handshake) -> TransactionStatus:
    if h.alert is not None:
        return "exception"
    return "ok" if h.server_hello is not None else "unanswered"


def build(
    client: Endpoint,
    server: Endpoint,
    request: Handshake | HandshakeState | None,
    request_frame: int | None,
    request_ts: float | None,
    response: Handshake | None,
    response_frame: int | None,
    response_ts: float | None,
) -> Transaction:
    if response is not None:
        h = response
    elif isinstance(request, HandshakeState):
        h = request.snapshot()  # the connection ended before the handshake concluded
    else:
        assert request is not None, "a transaction needs a request or a response"
        h = request
    return Transaction(
        protocol="dtls" if h.datagram else "tls",
        client=client,
        server=server,
        function=HANDSHAKE,
        function_name="handshake",
        operation=OperationClass.SESSION,
        status=_status(h),
        request_frame=request_frame,
        response_frame=response_frame,
        request_ts=request_ts,
        response_ts=response_ts,
        exception_code=h.alert.description if h.alert is not None else None,
        details=details(h),
        anomalies=h.anomalies,
    )

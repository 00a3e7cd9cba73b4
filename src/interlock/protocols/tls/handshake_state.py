"""What one connection's handshake has shown so far, and its immutable snapshot.

The session fills a ``HandshakeState`` as the hellos, certificates and alerts go by; a
``Handshake`` snapshot is what transactions are built from. Bounded: certificate
summaries stop at MAX_CERTIFICATES, anomaly codes are kept once each.
"""

from __future__ import annotations

from typing import NamedTuple

from interlock.protocols.tls.certificate import MAX_CERTIFICATES, CertificateSummary
from interlock.protocols.tls.hello import ClientHello, ServerHello


class Alert(NamedTuple):
    level: int
    description: int


class Handshake(NamedTuple):
    """One connection's handshake as far as it was seen in clear."""

    client_hello: ClientHello | None
    client_frame: int
    client_ts: float
    server_hello: ServerHello | None
    hello_retry: bool
    certificates: tuple[CertificateSummary, ...]
    certificate_count: int
    server_curve: int
    """The ServerKeyExchange named curve (TLS 1.2 ECDHE), -1 when none was seen."""
    alert: Alert | None
    """The first fatal alert seen in clear."""
    alert_from_client: bool
    datagram: bool
    anomalies: tuple[str, ...]


class HandshakeState:
    """The handshake so far (owned and updated by one session only)."""

    __slots__ = (
        "alert",
        "alert_from_client",
        "certificate_count",
        "certificates",
        "change_cipher_spec",
        "client_frame",
        "client_hello",
        "client_ts",
        "concluded",
        "datagram",
        "hello_retry",
        "problems",
        "server_curve",
        "server_hello",
    )

    def __init__(self, datagram: bool = False) -> None:
        self.client_hello: ClientHello | None = None
        self.client_frame = 0
        self.client_ts = 0.0
        self.server_hello: ServerHello | None = None
        self.hello_retry = False
        self.certificates: list[CertificateSummary] = []
        self.certificate_count = 0
        self.server_curve = -1
        self.alert: Alert | None = None
        self.alert_from_client = False
        self.change_cipher_spec = [False, False]
        """Per side (0 server, 1 client): a ChangeCipherSpec was sent."""
        self.concluded = False
        self.datagram = datagram
        self.problems: dict[str, None] = {}

    def add_certificates(self, summaries: tuple[CertificateSummary, ...], count: int) -> None:
        room = MAX_CERTIFICATES - len(self.certificates)
        self.certificates.extend(summaries[: max(room, 0)])
        self.certificate_count += count

    def note(self, anomalies: tuple[str, ...]) -> None:
        for code in anomalies:
            self.problems[code] = None

    def snapshot(self) -> Handshake:
        return Handshake(
            self.client_hello,
            self.client_frame,
            self.client_ts,
            self.server_hello,
            self.hello_retry,
            tuple(self.certificates),
            self.certificate_count,
            self.server_curve,
            self.alert,
            self.alert_from_client,
            self.datagram,
            tuple(self.problems),
        )

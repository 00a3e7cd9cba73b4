"""A short summary of an X.509 certificate carried in OPC UA (the sender certificate of
OpenSecureChannel, server certificates of endpoints): SHA-1 thumbprint (what OPC UA
itself uses to name a certificate, OPC 10000-6 6.7.2.3), length, subject and validity.

Pure; a certificate that does not parse gives its thumbprint and length only, with the
anomaly code ``opcua.certificate_invalid``.
"""

from __future__ import annotations

import hashlib
from typing import NamedTuple

from cryptography import x509


class CertificateSummary(NamedTuple):
    sha1: str
    length: int
    subject: str
    not_before: str
    not_after: str
    anomalies: tuple[str, ...]

    def details(self) -> dict[str, object]:
        found: dict[str, object] = {"sha1": self.sha1, "length": self.length}
        if self.subject:
            found.update(subject=self.subject, not_before=self.not_before, not_after=self.not_after)
        return found


def thumbprint(der: bytes) -> str:
    return hashlib.sha1(der, usedforsecurity=False).hexdigest()


def summarize(der: bytes) -> CertificateSummary:
    """The summary of a DER certificate; never raises."""
    sha1 = thumbprint(der)
    try:
        cert = x509.load_der_x509_certificate(der)
        subject = cert.subject.rfc4514_string()
        not_before = cert.not_valid_before_utc.isoformat()
        not_after = cert.not_valid_after_utc.isoformat()
    except Exception:  # any malformed certificate: cryptography raises several types
        return CertificateSummary(sha1, len(der), "", "", "", ("opcua.certificate_invalid",))
    return CertificateSummary(sha1, len(der), subject, not_before, not_after, ())

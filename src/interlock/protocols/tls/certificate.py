"""The Certificate message (RFC 5246 7.4.2; RFC 8446 4.4.2 when seen in clear) and a
summary of each X.509 certificate in it, decoded with the ``cryptography`` package.

An entry that does not decode as a certificate gets the anomaly ``tls.bad_certificate``
(its SHA-256 fingerprint and size are still given): never an exception.
"""

from __future__ import annotations

import hashlib
import warnings
from typing import Any, Final, NamedTuple

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa, x448, x25519

from interlock.protocols.tls.reader import Reader

MAX_CERTIFICATES: Final = 16
"""Entries summarised per message (a chain is rarely longer than four)."""


class CertificateSummary(NamedTuple):
    sha256: str
    size: int
    subject: str
    issuer: str
    serial: str
    """Hexadecimal (serial numbers are up to 20 bytes: too large for a JSON integer)."""
    not_before: str
    not_after: str
    key_type: str
    key_size: int
    curve: str
    signature_algorithm: str
    san_dns: tuple[str, ...]
    san_ips: tuple[str, ...]
    sct_signature_algorithms: tuple[int, ...]
    """TLS SignatureAndHashAlgorithm of each embedded Certificate Transparency SCT."""
    anomalies: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        """A plain dict for transaction details (JSON-ready)."""
        return {
            "subject": self.subject,
            "issuer": self.issuer,
            "serial": self.serial,
            "not_before": self.not_before,
            "not_after": self.not_after,
            "key_type": self.key_type,
            "key_size": self.key_size,
            "curve": self.curve,
            "signature_algorithm": self.signature_algorithm,
            "san_dns": list(self.san_dns),
            "san_ips": list(self.san_ips),
            "sha256": self.sha256,
        }


class CertificateChain(NamedTuple):
    certificates: tuple[CertificateSummary, ...]
    total: int
    """Entries in the message (summaries stop at MAX_CERTIFICATES)."""
    anomalies: tuple[str, ...]


def _key(key: Any) -> tuple[str, int, str]:
    """Public key type, size in bits and curve name."""
    if isinstance(key, rsa.RSAPublicKey):
        return "RSA", key.key_size, ""
    if isinstance(key, ec.EllipticCurvePublicKey):
        return "EC", key.curve.key_size, key.curve.name
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "Ed25519", 256, ""
    if isinstance(key, ed448.Ed448PublicKey):
        return "Ed448", 456, ""
    if isinstance(key, x25519.X25519PublicKey):
        return "X25519", 256, ""
    if isinstance(key, x448.X448PublicKey):
        return "X448", 448, ""
    if isinstance(key, dsa.DSAPublicKey):
        return "DSA", key.key_size, ""
    return type(key).__name__.removesuffix("PublicKey") or "unknown", 0, ""


def _algorithm_name(cert: x509.Certificate) -> str:
    oid = cert.signature_algorithm_oid
    name: str = getattr(oid, "_name", "") or ""
    return name if name and name != "Unknown OID" else oid.dotted_string


def _san(cert: x509.Certificate) -> tuple[tuple[str, ...], tuple[str, ...]]:
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return (), ()
    dns = tuple(san.get_values_for_type(x509.DNSName))
    ips = tuple(str(ip) for ip in san.get_values_for_type(x509.IPAddress))
    return dns, ips


_HASH_CODES: Final[dict[str, int]] = {
    "md5": 1,
    "sha1": 2,
    "sha224": 3,
    "sha256": 4,
    "sha384": 5,
    "sha512": 6,
}


def _sct_algorithms(cert: x509.Certificate) -> tuple[int, ...]:
    """RFC 6962 3.2: each SCT signs with a TLS 1.2 SignatureAndHashAlgorithm."""
    try:
        ext = cert.extensions.get_extension_for_class(
            x509.PrecertificateSignedCertificateTimestamps
        )
    except x509.ExtensionNotFound:
        return ()
    return tuple(
        (_HASH_CODES.get(sct.signature_hash_algorithm.name, 0) << 8) | sct.signature_algorithm.value
        for sct in ext.value
    )


def summarize(der: bytes) -> CertificateSummary:
    """The summary of one DER certificate; undecodable parts become ``tls.bad_certificate``."""
    digest = hashlib.sha256(der).hexdigest()
    with warnings.catch_warnings():
        # cryptography warns (and will refuse) on RFC 5280 violations such as a serial
        # number that is not positive: the peer's fault, reported as an anomaly instead.
        warnings.simplefilter("ignore")
        return _summarize(der, digest)


def _summarize(der: bytes, digest: str) -> CertificateSummary:
    try:
        cert = x509.load_der_x509_certificate(der)
        subject = cert.subject.rfc4514_string()
        issuer = cert.issuer.rfc4514_string()
        serial = format(cert.serial_number, "x")
        not_before = cert.not_valid_before_utc.isoformat()
        not_after = cert.not_valid_after_utc.isoformat()
        algorithm = _algorithm_name(cert)
    except Exception:  # the peer's bytes, whatever the library objects to
        bad = ("tls.bad_certificate",)
        return CertificateSummary(
            digest, len(der), "", "", "", "", "", "", 0, "", "", (), (), (), bad
        )
    anomalies: tuple[str, ...] = () if cert.serial_number > 0 else ("tls.bad_certificate",)
    try:
        key_type, key_size, curve = _key(cert.public_key())
    except Exception:  # an unsupported or damaged key
        key_type, key_size, curve = "unknown", 0, ""
    try:
        dns, ips = _san(cert)
        scts = _sct_algorithms(cert)
    except Exception:  # a damaged extension
        dns, ips, scts, anomalies = (), (), (), ("tls.bad_certificate",)
    return CertificateSummary(
        digest,
        len(der),
        subject,
        issuer,
        serial,
        not_before,
        not_after,
        key_type,
        key_size,
        curve,
        algorithm,
        dns,
        ips,
        scts,
        anomalies,
    )


def parse_certificate_message(body: bytes, tls13: bool) -> CertificateChain:
    """The certificates of a Certificate message body (TLS 1.3: context and per-entry
    extensions are skipped)."""
    r = Reader(body)
    if tls13:
        r.vector(1)
    block = r.sub(3)
    anomalies: list[str] = []
    summaries: list[CertificateSummary] = []
    count = 0
    while block.left() > 0:
        der = block.vector(3)
        if tls13:
            block.vector(2)
        if block.short:
            anomalies.append("tls.bad_certificate")
            break
        count += 1
        if len(summaries) < MAX_CERTIFICATES:
            summary = summarize(der)
            summaries.append(summary)
            anomalies.extend(summary.anomalies)
    if r.short or r.left():
        anomalies.append("tls.bad_certificate")
    return CertificateChain(tuple(summaries), count, tuple(dict.fromkeys(anomalies)))

"""Certificate messages and X.509 summaries (decoded with ``cryptography``)."""

from __future__ import annotations

import datetime
import hashlib
import ipaddress

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.x509.oid import NameOID

from interlock.protocols.tls.certificate import (
    MAX_CERTIFICATES,
    parse_certificate_message,
    summarize,
)
from protocols.tls.builders import vec

START = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def make_certificate(key: object, signer: object, algorithm: object, cn: str = "rtu-7") -> bytes:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Plant CA")]))
        .public_key(key.public_key())  # type: ignore[attr-defined]
        .serial_number(0x0123456789ABCDEF0123456789ABCDEF)
        .not_valid_before(START)
        .not_valid_after(START + datetime.timedelta(days=365))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("rtu-7.plant"), x509.IPAddress(ipaddress.ip_address("10.1.2.3"))]
            ),
            critical=False,
        )
        .sign(signer, algorithm)  # type: ignore[arg-type]
    )
    return cert.public_bytes(serialization.Encoding.DER)


def test_an_ec_certificate_is_summarized() -> None:
    key = ec.derive_private_key(12345, ec.SECP256R1())
    der = make_certificate(key, key, hashes.SHA256())
    s = summarize(der)
    assert s.anomalies == ()
    assert s.subject == "CN=rtu-7" and s.issuer == "CN=Plant CA"
    assert s.serial == "123456789abcdef0123456789abcdef"
    assert s.not_before == "2026-01-01T00:00:00+00:00"
    assert s.not_after == "2027-01-01T00:00:00+00:00"
    assert (s.key_type, s.key_size, s.curve) == ("EC", 256, "secp256r1")
    assert s.signature_algorithm == "ecdsa-with-SHA256"
    assert s.san_dns == ("rtu-7.plant",) and s.san_ips == ("10.1.2.3",)
    assert s.sha256 == hashlib.sha256(der).hexdigest() and s.size == len(der)
    assert s.as_dict()["san_dns"] == ["rtu-7.plant"]


def test_an_ed25519_certificate_is_summarized() -> None:
    key = ed25519.Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    s = summarize(make_certificate(key, key, None))
    assert (s.key_type, s.key_size) == ("Ed25519", 256)
    assert s.signature_algorithm == "ed25519"


def test_an_undecodable_certificate_is_an_anomaly_not_a_crash() -> None:
    key = ec.derive_private_key(777, ec.SECP256R1())
    der = make_certificate(key, key, hashes.SHA256())
    for broken in (b"", b"\x30\x03\x02\x01", der[:100], der + b"\x00", b"junk" * 9):
        s = summarize(broken)
        assert s.anomalies == ("tls.bad_certificate",)
        assert s.sha256 == hashlib.sha256(broken).hexdigest()


def _message(*ders: bytes) -> bytes:
    return vec(3, b"".join(vec(3, d) for d in ders))


def test_a_certificate_message_lists_its_chain() -> None:
    leaf_key = ec.derive_private_key(1, ec.SECP256R1())
    ca_key = ec.derive_private_key(2, ec.SECP384R1())
    leaf = make_certificate(leaf_key, ca_key, hashes.SHA384())
    ca = make_certificate(ca_key, ca_key, hashes.SHA384(), cn="Plant CA")
    chain = parse_certificate_message(_message(leaf, ca), tls13=False)
    assert chain.total == 2 and chain.anomalies == ()
    assert [c.subject for c in chain.certificates] == ["CN=rtu-7", "CN=Plant CA"]
    assert chain.certificates[1].curve == "secp384r1"
    tls13 = b"\x00" + vec(3, vec(3, leaf) + vec(2, b""))
    assert parse_certificate_message(tls13, tls13=True).certificates[0].subject == "CN=rtu-7"


def test_a_broken_certificate_message_is_an_anomaly() -> None:
    assert parse_certificate_message(b"\x00\x00\x09\x00\x00\x05ab", False).anomalies == (
        "tls.bad_certificate",
    )
    assert parse_certificate_message(_message(b"not a cert"), False).anomalies == (
        "tls.bad_certificate",
    )


def test_summaries_are_bounded() -> None:
    chain = parse_certificate_message(_message(*[b"x"] * (MAX_CERTIFICATES + 5)), False)
    assert chain.total == MAX_CERTIFICATES + 5
    assert len(chain.certificates) == MAX_CERTIFICATES

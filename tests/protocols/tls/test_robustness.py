"""Hypothesis: no bytes make the TLS parser, session or renderer raise; what they produce
is JSON-serializable and anomalies are strings."""

from __future__ import annotations

import orjson
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from hypothesis import given, settings
from hypothesis import strategies as st

from interlock.model import Endpoint
from interlock.protocols.tls.certificate import parse_certificate_message, summarize
from interlock.protocols.tls.handshake_state import HandshakeState
from interlock.protocols.tls.hello import parse_client_hello, parse_server_hello
from interlock.protocols.tls.record import (
    encode_dtls_record,
    parse_record,
    probe,
    starts_unit,
    unit_length,
)
from interlock.protocols.tls.session import TlsSession
from interlock.protocols.tls.transactions import build, view
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
    vec,
    versions,
)
from protocols.tls.test_certificate import make_certificate

HELLO = client_hello(
    (0x0A0A, 0x1301, 0xC02F),
    (
        sni("a.example"),
        alpn(b"h2"),
        groups(0x11EC, 0x1D),
        key_shares((0x1D, 32)),
        versions(0x0304),
        sigalgs(0x0403),
    ),
)
_KEY = ec.derive_private_key(99, ec.SECP256R1())
CERTIFICATE = make_certificate(_KEY, _KEY, hashes.SHA256())
ENDPOINTS = (Endpoint("10.0.0.1", 1), Endpoint("10.0.0.2", 443))


def _check_units(session: TlsSession, data: bytes, is_request: bool) -> None:
    pos = 0
    while pos < len(data):
        length = unit_length(data, pos)
        if length <= 0 or pos + length > len(data):
            length = len(data) - pos
        unit = parse_record(data, pos, pos + length)
        seen = session.observe(unit, is_request, 1, 0.0)
        _proto, fields, anomalies = tls_record(unit, 1, seen)
        orjson.dumps({"fields": fields, "anomalies": anomalies})
        assert all(isinstance(a, str) for a in anomalies)
        viewed = view(unit, seen)
        if viewed is not None:
            message, _answered = viewed
            response = None if isinstance(message, HandshakeState) else message
            tx = build(*ENDPOINTS, message, 1, 0.0, response, 2, 0.0)
            orjson.dumps(tx.details)
        pos += length


@settings(max_examples=400)
@given(st.binary(max_size=600), st.booleans())
def test_random_bytes_never_raise(data: bytes, is_request: bool) -> None:
    unit_length(data, 0)
    starts_unit(data, 0, len(data))
    probe(data, 0, len(data))
    parse_client_hello(data)
    parse_server_hello(data)
    parse_certificate_message(data, False)
    parse_certificate_message(data, True)
    _check_units(TlsSession(), data, is_request)


@settings(max_examples=400)
@given(st.integers(0, len(HELLO) - 1), st.binary(min_size=1, max_size=4), st.integers(0, 3))
def test_mutated_client_hellos_never_raise(at: int, patch: bytes, cut: int) -> None:
    mutated = HELLO[:at] + patch + HELLO[at + len(patch) :]
    mutated = mutated[: len(mutated) - cut]
    session = TlsSession()
    _check_units(session, record(22, mutated, 0x0301), True)
    sh = server_hello(0x1301, ((43, b"\x03\x04"),))
    _check_units(session, record(22, sh[: max(4, at % len(sh))]), False)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, len(CERTIFICATE) - 1), st.binary(min_size=1, max_size=3))
def test_corrupted_certificates_never_raise(at: int, patch: bytes) -> None:
    der = CERTIFICATE[:at] + patch + CERTIFICATE[at + len(patch) :]
    summary = summarize(der)
    orjson.dumps(summary.as_dict())
    assert summary.anomalies in ((), ("tls.bad_certificate",))
    session = TlsSession()
    _check_units(session, record(22, server_hello(0xC02F)), False)
    message = bytes([11]) + (len(der) + 6).to_bytes(3, "big") + vec(3, vec(3, der))
    _check_units(session, record(22, message), False)


@settings(max_examples=300)
@given(st.binary(max_size=400), st.integers(0, 2), st.booleans())
def test_random_dtls_records_never_raise(data: bytes, epoch: int, is_request: bool) -> None:
    session = TlsSession()
    _check_units(session, encode_dtls_record(22, 0xFEFD, epoch, 7, data), is_request)
    _check_units(session, encode_dtls_record(22, 0xFEFF, 0, 8, data)[: 13 + len(data) // 2], True)
    _check_units(session, b"\x16\xfe\xfd" + data, is_request)

"""TLS vocabularies as data: content types, handshake types, versions, alerts, named
groups (post-quantum hybrids included), extensions, GREASE.

Sources: IANA TLS parameters registry (RFC 8446 appendix B.3, RFC 8447, RFC 5246 7.2),
GREASE RFC 8701, hybrid groups draft-ietf-tls-ecdhe-mlkem and draft-ietf-tls-mlkem (see
../shared/reference/pqc.md), X25519Kyber768Draft00 (draft-tls-westerbaan-xyber768d00).
"""

from __future__ import annotations

from typing import Final

CHANGE_CIPHER_SPEC: Final = 20
ALERT: Final = 21
HANDSHAKE: Final = 22
APPLICATION_DATA: Final = 23
HEARTBEAT: Final = 24
CONTENT_TYPES: Final[dict[int, str]] = {
    CHANGE_CIPHER_SPEC: "change_cipher_spec",
    ALERT: "alert",
    HANDSHAKE: "handshake",
    APPLICATION_DATA: "application_data",
    HEARTBEAT: "heartbeat",
}

HELLO_REQUEST: Final = 0
CLIENT_HELLO: Final = 1
SERVER_HELLO: Final = 2
HELLO_VERIFY_REQUEST: Final = 3
NEW_SESSION_TICKET: Final = 4
END_OF_EARLY_DATA: Final = 5
ENCRYPTED_EXTENSIONS: Final = 8
CERTIFICATE: Final = 11
SERVER_KEY_EXCHANGE: Final = 12
CERTIFICATE_REQUEST: Final = 13
SERVER_HELLO_DONE: Final = 14
CERTIFICATE_VERIFY: Final = 15
CLIENT_KEY_EXCHANGE: Final = 16
FINISHED: Final = 20
CERTIFICATE_STATUS: Final = 22
KEY_UPDATE: Final = 24
HANDSHAKE_TYPES: Final[dict[int, str]] = {
    HELLO_REQUEST: "hello_request",
    CLIENT_HELLO: "client_hello",
    SERVER_HELLO: "server_hello",
    HELLO_VERIFY_REQUEST: "hello_verify_request",
    NEW_SESSION_TICKET: "new_session_ticket",
    END_OF_EARLY_DATA: "end_of_early_data",
    6: "hello_retry_request",
    ENCRYPTED_EXTENSIONS: "encrypted_extensions",
    CERTIFICATE: "certificate",
    SERVER_KEY_EXCHANGE: "server_key_exchange",
    CERTIFICATE_REQUEST: "certificate_request",
    SERVER_HELLO_DONE: "server_hello_done",
    CERTIFICATE_VERIFY: "certificate_verify",
    CLIENT_KEY_EXCHANGE: "client_key_exchange",
    FINISHED: "finished",
    21: "certificate_url",
    CERTIFICATE_STATUS: "certificate_status",
    23: "supplemental_data",
    KEY_UPDATE: "key_update",
    25: "compressed_certificate",
    67: "next_protocol",
    254: "message_hash",
}

SSL3: Final = 0x0300
TLS10: Final = 0x0301
TLS11: Final = 0x0302
TLS12: Final = 0x0303
TLS13: Final = 0x0304
DTLS10: Final = 0xFEFF
DTLS12: Final = 0xFEFD
DTLS13: Final = 0xFEFC
VERSIONS: Final[dict[int, str]] = {
    SSL3: "SSL 3.0",
    TLS10: "TLS 1.0",
    TLS11: "TLS 1.1",
    TLS12: "TLS 1.2",
    TLS13: "TLS 1.3",
    DTLS10: "DTLS 1.0",
    DTLS12: "DTLS 1.2",
    DTLS13: "DTLS 1.3",
}


def version_name(version: int) -> str:
    """Readable name of a protocol version, TLS 1.3 drafts (0x7fXX) included."""
    if version >> 8 == 0x7F:
        return f"TLS 1.3 (draft {version & 0xFF})"
    if is_grease(version):
        return "GREASE"
    return VERSIONS.get(version, f"0x{version:04x}")


def is_tls13(version: int) -> bool:
    """TLS 1.3 or one of its drafts (0x7f00 + draft number), as a negotiated version."""
    return version in (TLS13, DTLS13) or version >> 8 == 0x7F


ALERT_LEVELS: Final[dict[int, str]] = {1: "warning", 2: "fatal"}
FATAL: Final = 2
ALERT_DESCRIPTIONS: Final[dict[int, str]] = {
    0: "close_notify",
    10: "unexpected_message",
    20: "bad_record_mac",
    21: "decryption_failed",
    22: "record_overflow",
    30: "decompression_failure",
    40: "handshake_failure",
    41: "no_certificate",
    42: "bad_certificate",
    43: "unsupported_certificate",
    44: "certificate_revoked",
    45: "certificate_expired",
    46: "certificate_unknown",
    47: "illegal_parameter",
    48: "unknown_ca",
    49: "access_denied",
    50: "decode_error",
    51: "decrypt_error",
    60: "export_restriction",
    70: "protocol_version",
    71: "insufficient_security",
    80: "internal_error",
    86: "inappropriate_fallback",
    90: "user_canceled",
    100: "no_renegotiation",
    109: "missing_extension",
    110: "unsupported_extension",
    111: "certificate_unobtainable",
    112: "unrecognized_name",
    113: "bad_certificate_status_response",
    114: "bad_certificate_hash_value",
    115: "unknown_psk_identity",
    116: "certificate_required",
    120: "no_application_protocol",
}

NAMED_GROUPS: Final[dict[int, str]] = {
    0x0017: "secp256r1",
    0x0018: "secp384r1",
    0x0019: "secp521r1",
    0x001D: "x25519",
    0x001E: "x448",
    0x001A: "brainpoolP256r1",
    0x001B: "brainpoolP384r1",
    0x001C: "brainpoolP512r1",
    0x0015: "secp224r1",
    0x0016: "secp256k1",
    0x0100: "ffdhe2048",
    0x0101: "ffdhe3072",
    0x0102: "ffdhe4096",
    0x0103: "ffdhe6144",
    0x0104: "ffdhe8192",
    0x0200: "MLKEM512",
    0x0201: "MLKEM768",
    0x0202: "MLKEM1024",
    0x11EB: "SecP256r1MLKEM768",
    0x11EC: "X25519MLKEM768",
    0x11ED: "SecP384r1MLKEM1024",
    0x6399: "X25519Kyber768Draft00",
}
HYBRID_PQ_GROUPS: Final = frozenset({0x11EB, 0x11EC, 0x11ED, 0x6399})
"""Classical ECDH combined with ML-KEM (or pre-standard Kyber, 0x6399)."""
PURE_PQ_GROUPS: Final = frozenset({0x0200, 0x0201, 0x0202})


def group_name(group: int) -> str:
    if is_grease(group):
        return "GREASE"
    return NAMED_GROUPS.get(group, f"0x{group:04x}")


def is_post_quantum(group: int) -> bool:
    return group in HYBRID_PQ_GROUPS or group in PURE_PQ_GROUPS


EXT_SERVER_NAME: Final = 0
EXT_SUPPORTED_GROUPS: Final = 10
EXT_EC_POINT_FORMATS: Final = 11
EXT_SIGNATURE_ALGORITHMS: Final = 13
EXT_ALPN: Final = 16
EXT_SUPPORTED_VERSIONS: Final = 43
EXT_KEY_SHARE: Final = 51
EXTENSIONS: Final[dict[int, str]] = {
    0: "server_name",
    1: "max_fragment_length",
    5: "status_request",
    10: "supported_groups",
    11: "ec_point_formats",
    13: "signature_algorithms",
    14: "use_srtp",
    15: "heartbeat",
    16: "application_layer_protocol_negotiation",
    18: "signed_certificate_timestamp",
    21: "padding",
    22: "encrypt_then_mac",
    23: "extended_master_secret",
    27: "compress_certificate",
    28: "record_size_limit",
    35: "session_ticket",
    41: "pre_shared_key",
    42: "early_data",
    43: "supported_versions",
    44: "cookie",
    45: "psk_key_exchange_modes",
    47: "certificate_authorities",
    49: "post_handshake_auth",
    50: "signature_algorithms_cert",
    51: "key_share",
    57: "quic_transport_parameters",
    65037: "encrypted_client_hello",
    65281: "renegotiation_info",
}


def is_grease(value: int) -> bool:
    """RFC 8701 GREASE: 0x0A0A, 0x1A1A, ... 0xFAFA (both bytes equal, low nibble 0xA)."""
    return (value & 0x0F0F) == 0x0A0A and (value >> 8) == (value & 0xFF)

"""The TLS record layer (RFC 5246 section 6.2, RFC 8446 section 5.1): content type,
protocol version, length, then the fragment; and DTLS's (RFC 6347 section 4.1), whose
header adds a 16-bit epoch and a 48-bit sequence number before the length. The version's
first byte tells them apart: 3 for TLS, 0xFE for DTLS.

Pure: bytes in, typed values out. A record is never rejected once framed: a bogus
length or truncation becomes an anomaly code on it. The start and probe tests decide
what may be framed as TLS at all.
"""

from __future__ import annotations

import struct
from typing import Final, NamedTuple

from interlock.protocols.tls.vocabulary import (
    ALERT,
    APPLICATION_DATA,
    CHANGE_CIPHER_SPEC,
    HANDSHAKE_TYPES,
    HEARTBEAT,
)

HEADER_LEN: Final = 5
DTLS_HEADER_LEN: Final = 13
DTLS_MAJOR: Final = 0xFE
DTLS_MINORS: Final = frozenset({0xFF, 0xFD})
"""DTLS 1.0 and 1.2 (DTLS 1.3 records carry 1.2's version)."""
MAX_FRAGMENT: Final = (1 << 14) + 2048
"""RFC 5246 6.2.3: a ciphertext fragment is at most 2^14 + 2048 bytes."""
MAX_UNIT: Final = 0xFFFF + DTLS_HEADER_LEN
_HEADER = struct.Struct(">BHH")
_DTLS_HEADER = struct.Struct(">BHHHIH")
_new = tuple.__new__


class TlsRecord(NamedTuple):
    """One TLS record, as captured; the session decides what its fragment means."""

    content_type: int
    version: int
    length: int
    """The length field (the fragment may be shorter when truncated)."""
    fragment: bytes
    anomalies: tuple[str, ...]
    epoch: int = -1
    """DTLS only (-1 for TLS)."""
    sequence: int = -1
    """DTLS only: the record's 48-bit sequence number (-1 for TLS)."""

    @property
    def is_dtls(self) -> bool:
        return self.epoch >= 0


def _header_ok(content_type: int, major: int, minor: int) -> bool:
    return CHANGE_CIPHER_SPEC <= content_type <= HEARTBEAT and major == 3 and minor <= 4


def _dtls_ok(content_type: int, major: int, minor: int) -> bool:
    return (
        CHANGE_CIPHER_SPEC <= content_type <= HEARTBEAT
        and major == DTLS_MAJOR
        and minor in DTLS_MINORS
    )


def unit_length(buf: bytes, pos: int) -> int:
    """Header plus fragment length of the record at pos; 0 while the header is incomplete,
    -1 when no TLS record can start there (the rest of the segment is not TLS)."""
    if len(buf) - pos < HEADER_LEN:
        return 0
    if _header_ok(buf[pos], buf[pos + 1], buf[pos + 2]):
        return HEADER_LEN + ((buf[pos + 3] << 8) | buf[pos + 4])
    if not _dtls_ok(buf[pos], buf[pos + 1], buf[pos + 2]):
        return -1
    if len(buf) - pos < DTLS_HEADER_LEN:
        return 0
    return DTLS_HEADER_LEN + ((buf[pos + 11] << 8) | buf[pos + 12])


def starts_unit(buf: bytes, pos: int, end: int) -> bool:
    """Can a segment's first bytes start a record? Checks what of the header is there."""
    if end <= pos:
        return False
    if not CHANGE_CIPHER_SPEC <= buf[pos] <= HEARTBEAT:
        return False
    if end - pos >= 3:
        major, minor = buf[pos + 1], buf[pos + 2]
        return (major == 3 and minor <= 4) or (major == DTLS_MAJOR and minor in DTLS_MINORS)
    return end - pos < 2 or buf[pos + 1] in (3, DTLS_MAJOR)


def probe(buf: bytes, pos: int, end: int) -> bool:
    """Strict content test for a flow on a port that is not TLS's: a whole record header
    (type 20-23, version 0x0300-0x0304, a sane length) and a body consistent with its type:
    a ChangeCipherSpec of one byte 1, a two-byte alert with level 1 or 2 (or an encrypted
    one), a handshake message whose type is known and whose length fits the record."""
    if end - pos < HEADER_LEN + 1:
        return False
    content_type: int
    version: int
    length: int
    content_type, version, length = _HEADER.unpack_from(buf, pos)
    if not CHANGE_CIPHER_SPEC <= content_type <= APPLICATION_DATA:
        return False
    if not 0x0300 <= version <= 0x0304 or not 0 < length <= MAX_FRAGMENT:
        return False
    body = pos + HEADER_LEN
    if content_type == CHANGE_CIPHER_SPEC:
        return length == 1 and buf[body] == 1
    if content_type == ALERT:
        return length > 2 or (length == 2 and end - body >= 2 and buf[body] in (1, 2))
    if content_type == APPLICATION_DATA:
        return True
    if length < 4 or end - body < 4 or buf[body] not in HANDSHAKE_TYPES:
        return False
    message_length = (buf[body + 1] << 16) | (buf[body + 2] << 8) | buf[body + 3]
    if buf[body] in (1, 2):  # a hello is the first thing on a connection: it must fit
        if message_length + 4 > length or message_length < 38:
            return False
        return end - body < 6 or buf[body + 4] == 3
    return message_length + 4 <= length


def parse_exact(buf: bytes, start: int, end: int) -> TlsRecord | None:
    """The record when buf[start:end] is exactly one well-formed record, else None."""
    if end - start > HEADER_LEN:
        content_type, version, length = _HEADER.unpack_from(buf, start)
        if (
            end - start == length + HEADER_LEN
            and length <= MAX_FRAGMENT
            and _header_ok(content_type, version >> 8, version & 0xFF)
        ):
            fragment = buf[start + 5 : end]
            return _new(TlsRecord, (content_type, version, length, fragment, (), -1, -1))
    return None


def _parse_dtls(buf: bytes, start: int, end: int) -> TlsRecord:
    anomalies: list[str] = []
    if end - start < DTLS_HEADER_LEN:
        head = buf[start:end] + bytes(DTLS_HEADER_LEN)
        content_type, version, epoch, high, low, length = _DTLS_HEADER.unpack_from(head, 0)
        return TlsRecord(content_type, version, length, b"", ("tls.truncated_record",), epoch, 0)
    content_type, version, epoch, high, low, length = _DTLS_HEADER.unpack_from(buf, start)
    if length > MAX_FRAGMENT:
        anomalies.append("tls.bad_record_length")
    fragment = buf[start + DTLS_HEADER_LEN : min(end, start + DTLS_HEADER_LEN + length)]
    if len(fragment) < length:
        anomalies.append("tls.truncated_record")
    elif end - start > DTLS_HEADER_LEN + length:
        anomalies.append("tls.trailing_bytes")
    sequence = (high << 32) | low
    return TlsRecord(content_type, version, length, fragment, tuple(anomalies), epoch, sequence)


def parse_record(buf: bytes, start: int, end: int) -> TlsRecord:
    """Decode the record occupying buf[start:end] (whatever the bytes)."""
    exact = parse_exact(buf, start, end)
    if exact is not None:
        return exact
    if end - start >= 3 and _dtls_ok(buf[start], buf[start + 1], buf[start + 2]):
        return _parse_dtls(buf, start, end)
    anomalies: list[str] = []
    if end - start < HEADER_LEN:
        head = buf[start:end] + bytes(HEADER_LEN)
        content_type, version, length = _HEADER.unpack_from(head, 0)
        return TlsRecord(content_type, version, length, b"", ("tls.truncated_record",))
    content_type, version, length = _HEADER.unpack_from(buf, start)
    if not CHANGE_CIPHER_SPEC <= content_type <= HEARTBEAT:
        anomalies.append("tls.unknown_content_type")
    if version >> 8 != 3 or version & 0xFF > 4:
        anomalies.append("tls.bad_record_version")
    if length > MAX_FRAGMENT:
        anomalies.append("tls.bad_record_length")
    fragment = buf[start + HEADER_LEN : min(end, start + HEADER_LEN + length)]
    if len(fragment) < length:
        anomalies.append("tls.truncated_record")
    elif end - start > HEADER_LEN + length:
        anomalies.append("tls.trailing_bytes")
    return TlsRecord(content_type, version, length, fragment, tuple(anomalies))


def encode_record(content_type: int, version: int, fragment: bytes) -> bytes:
    """A record carrying fragment (for tests and captures of our own)."""
    return _HEADER.pack(content_type, version, len(fragment)) + fragment


def encode_dtls_record(
    content_type: int, version: int, epoch: int, sequence: int, fragment: bytes
) -> bytes:
    """A DTLS record (for tests)."""
    high, low = sequence >> 32, sequence & 0xFFFFFFFF
    return _DTLS_HEADER.pack(content_type, version, epoch, high, low, len(fragment)) + fragment

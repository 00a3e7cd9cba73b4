"""S7comm-plus (protocol id 0x72), the S7-1200/1500 protocol, one COTP DT payload at a time.

    0x72 | version | data length (2) | [V3: digest length, digest] | data | [0x72 version 0 0]

A PDU larger than a TPDU is sent as several fragments, each with the four-byte header;
the last ends with the four-byte trailer, and only the first carries the data head:
opcode (0x31 request, 0x32 response, 0x33 notification, 0x02 response variant), then for
requests and responses a reserved word, the function code, a reserved word and the
sequence number; requests add the session id (4 bytes).

Version 3 sessions are integrity-protected: a 32-byte digest (an HMAC keyed during the
session's TLS-like key exchange) precedes the data. This module reports that and goes no
further: it does not try to verify or break the protection. Layout as documented by the
S7comm-plus Wireshark plugin (Thomas Wiens). Pure; never raises.
"""

from __future__ import annotations

from typing import Final, NamedTuple

PROTOCOL_ID: Final = 0x72
HEADER_LEN: Final = 4
TRAILER_LEN: Final = 4

OPCODE_REQUEST: Final = 0x31
OPCODE_RESPONSE: Final = 0x32
OPCODE_NOTIFICATION: Final = 0x33
OPCODE_RESPONSE2: Final = 0x02
OPCODES: Final[dict[int, str]] = {
    OPCODE_REQUEST: "request",
    OPCODE_RESPONSE: "response",
    OPCODE_NOTIFICATION: "notification",
    OPCODE_RESPONSE2: "response",
}
INTEGRITY_VERSION: Final = 3
_RESYNC: Final = frozenset({OPCODE_REQUEST, OPCODE_RESPONSE, OPCODE_NOTIFICATION})


class S7pFragment(NamedTuple):
    """One S7comm-plus fragment (a whole PDU when it is both first and last)."""

    version: int
    data_length: int
    """The header's data length; -1 when the header is cut short."""
    continuation: bool
    """Not the first fragment of its PDU: no data head (opcode, function) here."""
    last: bool
    """The fragment ends with the trailer: its PDU is complete."""
    digest_length: int = -1
    """Version 3: the integrity digest's length (32); -1 when there is none."""
    opcode: int = -1
    function: int = -1
    seqnum: int = -1
    session_id: int = -1
    anomalies: tuple[str, ...] = ()

    @property
    def integrity_protected(self) -> bool:
        return self.digest_length >= 0


def is_s7comm_plus(p: bytes) -> bool:
    return len(p) >= 1 and p[0] == PROTOCOL_ID


def has_trailer(p: bytes) -> bool:
    """Whether p ends its PDU: the header's data length leaves room for the trailer."""
    if len(p) < HEADER_LEN:
        return True
    length = (p[2] << 8) | p[3]
    return len(p) >= HEADER_LEN + length + TRAILER_LEN


def parse_fragment(p: bytes, follows_open: bool) -> S7pFragment:
    """Decode the fragment p. follows_open says the previous fragment of its direction
    lacked the trailer (the caller keeps that state): p then continues that PDU, unless
    its first data byte is a request, response or notification opcode, which is taken as
    a new PDU (resynchronisation after a fragment lost or cut short)."""
    if len(p) < HEADER_LEN:
        version = p[1] if len(p) > 1 else -1
        return S7pFragment(version, -1, follows_open, True, anomalies=("s7comm-plus.truncated",))
    version, length = p[1], (p[2] << 8) | p[3]
    last = has_trailer(p)
    anomalies: tuple[str, ...] = ()
    if len(p) < HEADER_LEN + length:
        anomalies = ("s7comm-plus.truncated",)
    pos = HEADER_LEN
    digest = -1
    if version == INTEGRITY_VERSION and len(p) > pos:
        digest = p[pos]
        pos += 1 + digest
    opcode = p[pos] if pos < len(p) else -1
    if follows_open and opcode not in _RESYNC:
        return S7pFragment(version, length, True, last, anomalies=anomalies)
    head = S7pFragment(version, length, False, last, digest, opcode, anomalies=anomalies)
    return _data_head(p, pos, head) if opcode >= 0 else head


def _data_head(p: bytes, pos: int, head: S7pFragment) -> S7pFragment:
    opcode = head.opcode
    if opcode not in (OPCODE_REQUEST, OPCODE_RESPONSE, OPCODE_RESPONSE2):
        return head
    function = (p[pos + 3] << 8) | p[pos + 4] if pos + 5 <= len(p) else -1
    seqnum = (p[pos + 7] << 8) | p[pos + 8] if pos + 9 <= len(p) else -1
    session = -1
    if opcode == OPCODE_REQUEST and pos + 13 <= len(p):
        session = int.from_bytes(p[pos + 9 : pos + 13], "big")
    return head._replace(function=function, seqnum=seqnum, session_id=session)


def encode_fragment(version: int, data: bytes, trailer: bool = True) -> bytes:
    """Header, data and (for a last fragment) the trailer."""
    head = bytes((PROTOCOL_ID, version, len(data) >> 8, len(data) & 0xFF))
    return head + data + (bytes((PROTOCOL_ID, version, 0, 0)) if trailer else b"")


def encode_request(function: int, seqnum: int, session_id: int, body: bytes = b"") -> bytes:
    """The data part of a request: opcode, reserved, function, reserved, seqnum, session."""
    return (
        bytes(
            (OPCODE_REQUEST, 0, 0, function >> 8, function & 0xFF, 0, 0, seqnum >> 8, seqnum & 0xFF)
        )
        + session_id.to_bytes(4, "big")
        + body
    )

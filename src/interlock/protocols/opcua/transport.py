"""OPC UA Connection Protocol and Secure Conversation headers (OPC 10000-6, 7.1.2 and
6.7.2): the 8-byte message header (type, chunk type, size) that frames every unit on TCP,
the Hello/Acknowledge/Error/ReverseHello bodies, and the security and sequence headers
of OPN, MSG and CLO chunks.

Pure and stateless: one chunk in, one ``Chunk`` out. What a chunk's body means depends on
its secure channel (is it encrypted? is it one chunk of several?): the session decides
that (session.py). Nothing here raises on malformed input.
"""

from __future__ import annotations

import struct
from typing import Final, NamedTuple

from interlock.protocols.opcua.binary import Reader, Truncated

HEADER_LEN: Final = 8
MAX_CHUNK: Final = 16 * 1024 * 1024
"""Largest chunk framed (the per-flow reassembly cap); a larger size field is not UA."""
SECURE_TYPES: Final = frozenset({"OPN", "MSG", "CLO"})
TRANSPORT_TYPES: Final = frozenset({"HEL", "ACK", "ERR", "RHE"})
MESSAGE_TYPES: Final = SECURE_TYPES | TRANSPORT_TYPES
_TYPE_BYTES: Final = frozenset(t.encode() for t in MESSAGE_TYPES)
CHUNK_TYPES: Final = frozenset({"F", "C", "A"})
_CHUNK_BYTES: Final = frozenset(b"FCA")
# Smallest well-formed size of each message (header included), for the probe.
_MIN_SIZE: Final = {
    b"HEL": 32,
    b"ACK": 28,
    b"ERR": 16,
    b"RHE": 16,
    b"OPN": 24 + 12,
    b"MSG": 24,
    b"CLO": 24,
}
_SIZE = struct.Struct("<I")
_HEADERS = struct.Struct("<4I")


class Handshake(NamedTuple):
    """Hello (endpoint URL present) or Acknowledge (endpoint_url None)."""

    version: int
    receive_buffer_size: int
    send_buffer_size: int
    max_message_size: int
    max_chunk_count: int
    endpoint_url: str | None


class TransportError(NamedTuple):
    """An Error message, or the body of an abort ('A') chunk."""

    error: int
    reason: str | None


class ReverseHello(NamedTuple):
    server_uri: str | None
    endpoint_url: str | None


class Chunk(NamedTuple):
    """One transport message as framed on TCP, headers decoded, body kept raw."""

    msg_type: str
    """HEL, ACK, ERR, RHE, OPN, MSG or CLO (other bytes as latin-1 text)."""
    chunk_type: str
    """F final, C intermediate, A abort."""
    size: int
    channel_id: int = -1
    token_id: int = -1
    """Security token of the symmetric security header (MSG, CLO)."""
    sequence_number: int = -1
    request_id: int = -1
    policy_uri: str | None = None
    sender_certificate: bytes | None = None
    """The DER certificate of the asymmetric security header (OPN), as on the wire."""
    receiver_thumbprint: bytes | None = None
    body: bytes = b""
    """What follows the sequence header: a service message, part of one, or ciphertext."""
    transport: Handshake | TransportError | ReverseHello | None = None
    anomalies: tuple[str, ...] = ()

    @property
    def is_secure(self) -> bool:
        return self.msg_type in SECURE_TYPES


def unit_length(buf: bytes, pos: int) -> int:
    """The chunk's size field; 0 before 8 bytes are there, -1 when it cannot be a size."""
    if len(buf) - pos < HEADER_LEN:
        return 0
    size = int(_SIZE.unpack_from(buf, pos + 4)[0])
    if size < HEADER_LEN or size > MAX_CHUNK:
        return -1
    return size


def starts_unit(buf: bytes, pos: int, end: int) -> bool:
    """Can a segment starting buf[pos:end] start a chunk? A known message type and chunk
    type (only as far as the segment goes: a header can be split across segments)."""
    if end - pos >= 3 and buf[pos : pos + 3] not in _TYPE_BYTES:
        return False
    return end - pos < 4 or buf[pos + 3] in _CHUNK_BYTES


def probe(buf: bytes, pos: int, end: int) -> bool:
    """Strict content test for a flow on another port: a whole header whose type, chunk
    type and size agree, and for HEL a body that fills the size exactly."""
    if end - pos < HEADER_LEN:
        return False
    kind = buf[pos : pos + 3]
    minimum = _MIN_SIZE.get(kind)
    if minimum is None or buf[pos + 3] not in _CHUNK_BYTES:
        return False
    if kind in (b"HEL", b"ACK", b"ERR", b"RHE") and buf[pos + 3] != 0x46:  # 'F'
        return False
    size = unit_length(buf, pos)
    if size < minimum:
        return False
    if kind != b"HEL":
        return True
    if end - pos < 32:
        return False
    url_len = int(struct.unpack_from("<i", buf, pos + 28)[0])
    return size == 32 + max(url_len, 0) and url_len <= 4096


def parse_exact(buf: bytes, start: int, end: int) -> Chunk | None:
    """The chunk when buf[start:end] is exactly one chunk of a known type, else None."""
    if end - start < HEADER_LEN or not starts_unit(buf, start, end):
        return None
    if unit_length(buf, start) != end - start:
        return None
    return parse_chunk(buf, start, end)


def parse_chunk(buf: bytes, start: int, end: int) -> Chunk:
    """Decode the chunk occupying buf[start:end] (possibly cut short by the capture)."""
    head = buf[start : start + HEADER_LEN].ljust(HEADER_LEN, b"\x00")
    msg_type = head[:3].decode("latin-1")
    chunk_type = head[3:4].decode("latin-1")
    size = int(_SIZE.unpack_from(head, 4)[0])
    anomalies: list[str] = []
    if msg_type not in MESSAGE_TYPES:
        anomalies.append("opcua.message_type_unknown")
    elif chunk_type not in CHUNK_TYPES or (msg_type not in SECURE_TYPES and chunk_type != "F"):
        anomalies.append("opcua.chunk_type_invalid")
    if end - start < size:
        anomalies.append("opcua.truncated")
    r = Reader(buf, start + HEADER_LEN, end)
    chunk = Chunk(msg_type, chunk_type, size)
    try:
        if msg_type in SECURE_TYPES:
            chunk = _secure(r, chunk)
        elif msg_type in TRANSPORT_TYPES:
            chunk = chunk._replace(transport=_transport_body(r, msg_type))
            if r.remaining:
                anomalies.append("opcua.trailing_bytes")
    except Truncated:
        if "opcua.truncated" not in anomalies:
            anomalies.append("opcua.truncated")
    return chunk._replace(anomalies=tuple(anomalies)) if anomalies else chunk


def _transport_body(r: Reader, msg_type: str) -> Handshake | TransportError | ReverseHello:
    if msg_type == "ERR":
        return TransportError(r.u32(), r.string())
    if msg_type == "RHE":
        return ReverseHello(r.string(), r.string())
    version, receive, send, max_message = _HEADERS.unpack(r.take(16))
    max_chunks = r.u32()
    url = r.string() if msg_type == "HEL" else None
    return Handshake(version, receive, send, max_message, max_chunks, url)


def _secure(r: Reader, chunk: Chunk) -> Chunk:
    """Channel id, the security header (asymmetric for OPN), the sequence header, body.
    Fields are filled as far as the bytes go (a partial chunk keeps what was read)."""
    chunk = chunk._replace(channel_id=r.u32())
    if chunk.msg_type == "OPN":
        chunk = chunk._replace(policy_uri=r.string())
        chunk = chunk._replace(sender_certificate=r.bytestring())
        chunk = chunk._replace(receiver_thumbprint=r.bytestring())
    else:
        chunk = chunk._replace(token_id=r.u32())
    chunk = chunk._replace(sequence_number=r.u32())
    chunk = chunk._replace(request_id=r.u32())
    return chunk._replace(body=r.take(r.remaining))


def encode_chunk(msg_type: str, body: bytes, chunk_type: str = "F") -> bytes:
    """Frame a body (everything after the size field) as a chunk."""
    return (msg_type + chunk_type).encode("latin-1") + _SIZE.pack(len(body) + 8) + body

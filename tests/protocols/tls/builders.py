"""Hand-written TLS messages for the tests (no real stack needed)."""

from __future__ import annotations

import struct

from interlock.protocols.tls.hello import HELLO_RETRY_RANDOM, encode_client_hello_body
from interlock.protocols.tls.messages import encode_handshake
from interlock.protocols.tls.record import encode_record


def u16s(*values: int) -> bytes:
    return b"".join(struct.pack(">H", v) for v in values)


def vec(prefix: int, data: bytes) -> bytes:
    return len(data).to_bytes(prefix, "big") + data


def sni(name: str) -> tuple[int, bytes]:
    return 0, vec(2, b"\x00" + vec(2, name.encode()))


def alpn(*names: bytes) -> tuple[int, bytes]:
    return 16, vec(2, b"".join(vec(1, n) for n in names))


def groups(*values: int) -> tuple[int, bytes]:
    return 10, vec(2, u16s(*values))


def key_shares(*entries: tuple[int, int]) -> tuple[int, bytes]:
    return 51, vec(2, b"".join(u16s(g) + vec(2, bytes(n)) for g, n in entries))


def versions(*values: int) -> tuple[int, bytes]:
    return 43, vec(1, u16s(*values))


def sigalgs(*values: int) -> tuple[int, bytes]:
    return 13, vec(2, u16s(*values))


def point_formats(*values: int) -> tuple[int, bytes]:
    return 11, vec(1, bytes(values))


def client_hello(
    suites: tuple[int, ...] = (0x1301, 0x1302, 0xC02F),
    extensions: tuple[tuple[int, bytes], ...] = (),
    version: int = 0x0303,
    session_id: bytes = b"",
) -> bytes:
    """A ClientHello handshake message (type and length included)."""
    body = encode_client_hello_body(version, bytes(range(32)), session_id, suites, extensions)
    return encode_handshake(1, body)


def server_hello(
    suite: int = 0x1301,
    extensions: tuple[tuple[int, bytes], ...] = (),
    retry: bool = False,
    version: int = 0x0303,
) -> bytes:
    random = HELLO_RETRY_RANDOM if retry else bytes(32)
    body = u16s(version) + random + b"\x00" + u16s(suite) + b"\x00"
    block = b"".join(u16s(t) + vec(2, d) for t, d in extensions)
    return encode_handshake(2, body + (vec(2, block) if extensions else b""))


def record(content_type: int, fragment: bytes, version: int = 0x0303) -> bytes:
    return encode_record(content_type, version, fragment)

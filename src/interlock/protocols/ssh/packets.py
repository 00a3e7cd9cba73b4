"""SSH units: identification lines (RFC 4253 section 4.2) and cleartext binary packets
(section 6), framed and parsed.

Framing does not depend on connection state. A cleartext binary packet must pass every
check the RFC makes of one before keys exist: a length of 12..35000 whose total with the
length field is a multiple of 8 (the cleartext block size), padding of at least 4 bytes
inside the packet, and a transport-layer message code (1-4, 20-49). Encrypted packets
fail it: their length is either ciphertext (chacha20-poly1305, CTR with a MAC) or excludes
the length field and is a multiple of 16 (AES-GCM, encrypt-then-MAC), so the total is not
a multiple of 8. What fails is not a unit, and the engine drops the rest of the segment.

Pure: no I/O, no buffering.
"""

from __future__ import annotations

import struct
from typing import Final, NamedTuple

from interlock.protocols.ssh.kexinit import KexInit, parse_kexinit

MAX_LINE: Final = 255
MAX_PACKET: Final = 35000
MSG_DISCONNECT: Final = 1
MSG_KEXINIT: Final = 20
MSG_NEWKEYS: Final = 21
CLEARTEXT_CODES: Final = frozenset((1, 2, 3, 4, *range(20, 50)))
MESSAGE_NAMES: Final = {
    1: "DISCONNECT",
    2: "IGNORE",
    3: "UNIMPLEMENTED",
    4: "DEBUG",
    20: "KEXINIT",
    21: "NEWKEYS",
    30: "KEX_ECDH_INIT",
    31: "KEX_ECDH_REPLY",
    32: "KEX_DH_GEX_INIT",
    33: "KEX_DH_GEX_REPLY",
    34: "KEX_DH_GEX_REQUEST",
}
_U32 = struct.Struct(">I")


class SshBanner(NamedTuple):
    """An identification line, or a line a server sends before it (``version`` None)."""

    text: str
    proto_version: str | None
    software_version: str | None
    comments: str | None
    anomalies: tuple[str, ...]


class SshPacket(NamedTuple):
    packet_length: int
    padding_length: int
    message_code: int
    kexinit: KexInit | None
    host_key_type: str | None
    """KEX_ECDH_REPLY (31): the server host key's algorithm, when the blob parses as one."""
    anomalies: tuple[str, ...]


SshUnit = SshBanner | SshPacket


def _is_text(byte: int) -> bool:
    return 0x20 <= byte < 0x7F or byte in (0x09, 0x0D, 0x0A)


def _cleartext_header(buf: bytes, pos: int) -> bool:
    (length,) = _U32.unpack_from(buf, pos)
    padding = buf[pos + 4]
    return (
        12 <= length <= MAX_PACKET
        and (length + 4) % 8 == 0
        and 4 <= padding <= length - 2
        and buf[pos + 5] in CLEARTEXT_CODES
    )


def unit_length(buf: bytes, pos: int) -> int:
    if pos >= len(buf):
        return 0
    if _is_text(buf[pos]):
        newline = buf.find(b"\n", pos, pos + MAX_LINE + 1)
        if newline >= 0:
            return newline + 1 - pos
        return 0 if len(buf) - pos <= MAX_LINE else -1
    if len(buf) - pos < 6:
        return 0
    if not _cleartext_header(buf, pos):
        return -1
    length: int = _U32.unpack_from(buf, pos)[0]
    return length + 4


def starts_unit(buf: bytes, pos: int, end: int) -> bool:
    if pos >= end:
        return False
    if _is_text(buf[pos]):
        return all(_is_text(b) for b in buf[pos : min(end, pos + 16)])
    if end - pos < 6:
        return buf[pos] == 0
    return _cleartext_header(buf, pos)


def probe(buf: bytes, pos: int, end: int) -> bool:
    """An SSH-2 identification line (or SSH-1.99, a server also speaking SSH-1)."""
    head = buf[pos : min(end, pos + MAX_LINE)]
    if not (head.startswith(b"SSH-2.0-") or head.startswith(b"SSH-1.99-")):
        return False
    line = head.split(b"\n", 1)[0]
    return len(line) > 9 and all(_is_text(b) for b in line)


def parse_banner(data: bytes) -> SshBanner:
    anomalies: list[str] = []
    if len(data) > MAX_LINE:
        anomalies.append("ssh.banner_too_long")
    if data.endswith(b"\r\n"):
        line = data[:-2]
    else:
        line = data.rstrip(b"\n")
        if data.endswith(b"\n"):
            anomalies.append("ssh.banner_no_crlf")
    text = line[:MAX_LINE].decode("latin-1")
    if not text.startswith("SSH-"):
        return SshBanner(text, None, None, None, tuple(anomalies))
    ident, _, comments = text.partition(" ")
    parts = ident.split("-", 2)
    if len(parts) < 3 or not parts[1] or not parts[2]:
        anomalies.append("ssh.bad_banner")
        return SshBanner(text, parts[1] if len(parts) > 1 else None, None, None, tuple(anomalies))
    return SshBanner(text, parts[1], parts[2], comments or None, tuple(anomalies))


def _host_key_type(payload: bytes) -> str | None:
    """The algorithm name at the start of KEX_ECDH_REPLY's host key blob, if it is one."""
    if len(payload) < 8:
        return None
    (blob,) = _U32.unpack_from(payload, 0)
    (size,) = _U32.unpack_from(payload, 4)
    if not 0 < size < 64 or size + 4 > blob or 8 + size > len(payload):
        return None
    name = payload[8 : 8 + size]
    return name.decode("ascii") if all(0x21 <= b < 0x7F for b in name) else None


def parse_packet(data: bytes) -> SshPacket:
    anomalies: list[str] = []
    length = _U32.unpack_from(data, 0)[0] if len(data) >= 4 else 0
    padding = data[4] if len(data) > 4 else 0
    code = data[5] if len(data) > 5 else 0
    if len(data) < 6 or length + 4 > len(data):
        anomalies.append("ssh.truncated")
    if padding < 4 or padding > length - 2:
        anomalies.append("ssh.bad_padding")
    payload_end = max(6, min(len(data), 4 + length - padding))
    payload = data[6:payload_end]
    kexinit = parse_kexinit(payload) if code == MSG_KEXINIT and len(data) > 5 else None
    host_key = _host_key_type(payload) if code == 31 else None
    return SshPacket(length, padding, code, kexinit, host_key, tuple(anomalies))


def parse(buf: bytes, start: int, end: int) -> SshUnit:
    data = buf[start:end]
    if data and _is_text(data[0]):
        return parse_banner(data)
    return parse_packet(data)


def parse_exact(buf: bytes, start: int, end: int) -> SshUnit | None:
    if not starts_unit(buf, start, end) or unit_length(buf, start) != end - start:
        return None
    return parse(buf, start, end)

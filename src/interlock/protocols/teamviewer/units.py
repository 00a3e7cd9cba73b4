"""TeamViewer and AnyDesk units: one segment (or datagram) each. Pure: no I/O."""

from __future__ import annotations

from typing import Final, NamedTuple

from interlock.protocols.remote_access.common import chunk_length

MAGICS: Final = (b"\x17\x24", b"\x11\x30")
UDP_MAGIC_AT: Final = 11


class OpaqueUnit(NamedTuple):
    magic: int | None
    """TeamViewer: the first two bytes (or bytes 11-12 of a UDP datagram) when a known
    magic; AnyDesk: the TLS content type when the unit starts with a TLS record header."""
    length: int
    anomalies: tuple[str, ...]


unit_length = chunk_length


def starts_unit(buf: bytes, pos: int, end: int) -> bool:
    return end > pos


def teamviewer_probe(buf: bytes, pos: int, end: int) -> bool:
    return end - pos == 37 and buf[pos : pos + 4] == b"\x17\x24\x0a\x20"


def no_probe(buf: bytes, pos: int, end: int) -> bool:
    return False


def parse_teamviewer(buf: bytes, start: int, end: int) -> OpaqueUnit:
    head = buf[start : start + 2]
    if head in MAGICS:
        return OpaqueUnit((head[0] << 8) | head[1], end - start, ())
    udp = buf[start + UDP_MAGIC_AT : start + UDP_MAGIC_AT + 2]
    if buf[start : start + 1] == b"\x00" and udp == MAGICS[0]:
        return OpaqueUnit(0x1724, end - start, ())
    return OpaqueUnit(None, end - start, ("teamviewer.unknown_magic",))


def parse_anydesk(buf: bytes, start: int, end: int) -> OpaqueUnit:
    tls = end - start >= 5 and 20 <= buf[start] <= 23 and buf[start + 1] == 3
    return OpaqueUnit(buf[start] if tls else None, end - start, ())


def teamviewer_exact(buf: bytes, start: int, end: int) -> OpaqueUnit | None:
    return parse_teamviewer(buf, start, end) if end > start else None


def anydesk_exact(buf: bytes, start: int, end: int) -> OpaqueUnit | None:
    return parse_anydesk(buf, start, end) if end > start else None

"""RFB units: a ProtocolVersion line, or one segment of anything else (kept bounded).
Pure: no I/O, no buffering."""

from __future__ import annotations

import re
from typing import Final, NamedTuple

from interlock.protocols.remote_access.common import chunk_length

VERSION_LENGTH: Final = 12
MAX_KEPT: Final = 1024
"""Bytes of a segment kept for the handshake reader (ServerInit with a long name fits)."""
_VERSION = re.compile(rb"RFB \d{3}\.\d{3}\n")


class RfbUnit(NamedTuple):
    version: str | None
    """``003.008`` for a ProtocolVersion line, else None."""
    data: bytes
    """The segment's first MAX_KEPT bytes."""
    length: int
    anomalies: tuple[str, ...]


def unit_length(buf: bytes, pos: int) -> int:
    if buf[pos : pos + 4] == b"RFB ":
        return VERSION_LENGTH if len(buf) - pos >= VERSION_LENGTH else 0
    return chunk_length(buf, pos)


def starts_unit(buf: bytes, pos: int, end: int) -> bool:
    return end > pos


def probe(buf: bytes, pos: int, end: int) -> bool:
    """A whole ProtocolVersion segment: ``RFB 003.00x\\n``."""
    return (
        end - pos == VERSION_LENGTH
        and buf[pos : pos + 8] == b"RFB 003."
        and (_VERSION.fullmatch(buf[pos:end]) is not None)
    )


def parse(buf: bytes, start: int, end: int) -> RfbUnit:
    data = buf[start:end]
    if data[:4] == b"RFB ":
        if _VERSION.fullmatch(data):
            return RfbUnit(data[4:11].decode("ascii"), data, len(data), ())
        return RfbUnit(None, data[:MAX_KEPT], len(data), ("vnc.bad_version",))
    return RfbUnit(None, data[:MAX_KEPT], len(data), ())


def parse_exact(buf: bytes, start: int, end: int) -> RfbUnit | None:
    if end <= start or unit_length(buf, start) != end - start:
        return None
    return parse(buf, start, end)

"""NetBIOS session service framing (RFC 1002 section 4.3.1), used on 445 as well as 139:
type, flags (the low bit extends the length to 17 bits), length. Pure: no I/O."""

from __future__ import annotations

from typing import Final, NamedTuple

from interlock.protocols.smb.message import SmbMessage
from interlock.protocols.smb.smb1 import parse_smb1
from interlock.protocols.smb.smb2 import parse_smb2, parse_transform

SESSION_MESSAGE: Final = 0x00
NBSS_TYPES: Final = frozenset({0x00, 0x81, 0x82, 0x83, 0x84, 0x85})
MAX_NBSS: Final = 4 + 0x1FFFF
MAGICS: Final = (b"\xffSMB", b"\xfeSMB", b"\xfdSMB")


class SmbUnit(NamedTuple):
    nbss_type: int
    nbss_length: int
    messages: tuple[SmbMessage, ...]
    anomalies: tuple[str, ...]


def _length(buf: bytes, pos: int) -> int:
    return ((buf[pos + 1] & 1) << 16) | (buf[pos + 2] << 8) | buf[pos + 3]


def unit_length(buf: bytes, pos: int) -> int:
    if len(buf) - pos < 4:
        return 0
    if buf[pos] not in NBSS_TYPES or buf[pos + 1] & 0xFE:
        return -1
    return 4 + _length(buf, pos)


def starts_unit(buf: bytes, pos: int, end: int) -> bool:
    if end - pos < 4:
        return end > pos and buf[pos] in NBSS_TYPES
    if buf[pos] not in NBSS_TYPES or buf[pos + 1] & 0xFE:
        return False
    if buf[pos] != SESSION_MESSAGE or end - pos < 8:
        return True
    return buf[pos + 4 : pos + 8] in MAGICS


def probe(buf: bytes, pos: int, end: int) -> bool:
    """One whole session message carrying an SMB1, SMB2 or SMB3 transform header."""
    return (
        end - pos >= 36
        and buf[pos] == SESSION_MESSAGE
        and unit_length(buf, pos) == end - pos
        and buf[pos + 4 : pos + 8] in MAGICS
    )


def parse(buf: bytes, start: int, end: int) -> SmbUnit:
    data = buf[start:end]
    if len(data) < 4:
        return SmbUnit(data[0] if data else 0, 0, (), ("smb.truncated",))
    kind, length = data[0], _length(data, 0)
    anomalies: list[str] = []
    if kind not in NBSS_TYPES:
        anomalies.append("smb.bad_nbss_type")
    if 4 + length > len(data):
        anomalies.append("smb.truncated")
    payload = data[4 : 4 + length]
    messages: tuple[SmbMessage, ...] = ()
    if kind == SESSION_MESSAGE and payload:
        magic = payload[:4]
        if magic == b"\xffSMB":
            messages = (parse_smb1(payload),)
        elif magic == b"\xfeSMB":
            messages = tuple(parse_smb2(payload))
        elif magic == b"\xfdSMB":
            messages = (parse_transform(payload),)
        else:
            anomalies.append("smb.unknown_magic")
    return SmbUnit(kind, length, messages, tuple(anomalies))


def parse_exact(buf: bytes, start: int, end: int) -> SmbUnit | None:
    if not starts_unit(buf, start, end) or unit_length(buf, start) != end - start:
        return None
    return parse(buf, start, end)

"""The identity in an NTLMSSP AUTHENTICATE message ([MS-NLMP] 2.2.1.3), found in an SMB
security blob (inside SPNEGO or raw). Only the domain, user and workstation names are
read; the LM/NT challenge responses and the session key are never touched or kept.

Pure: no I/O.
"""

from __future__ import annotations

import struct
from typing import Final, NamedTuple

SIGNATURE: Final = b"NTLMSSP\x00"
NEGOTIATE, CHALLENGE, AUTHENTICATE = 1, 2, 3
MAX_NAME: Final = 256
_FIELD = struct.Struct("<HHI")


class Ntlm(NamedTuple):
    message_type: int
    domain: str | None
    user: str | None
    workstation: str | None
    anomalies: tuple[str, ...]


def _name(msg: bytes, at: int, unicode: bool, anomalies: list[str]) -> str | None:
    if at + 8 > len(msg):
        anomalies.append("smb.ntlmssp_truncated")
        return None
    length, _, offset = _FIELD.unpack_from(msg, at)
    if offset + length > len(msg):
        anomalies.append("smb.ntlmssp_truncated")
        return None
    raw = msg[offset : offset + min(length, MAX_NAME)]
    return raw.decode("utf-16-le", "replace") if unicode else raw.decode("latin-1")


def find_ntlmssp(blob: bytes) -> Ntlm | None:
    start = blob.find(SIGNATURE)
    if start < 0 or start + 12 > len(blob):
        return None
    msg = blob[start:]
    (kind,) = struct.unpack_from("<I", msg, 8)
    if kind != AUTHENTICATE:
        return Ntlm(kind, None, None, None, ())
    anomalies: list[str] = []
    flags = struct.unpack_from("<I", msg, 60)[0] if len(msg) >= 64 else 1
    unicode = bool(flags & 1)
    domain = _name(msg, 28, unicode, anomalies)
    user = _name(msg, 36, unicode, anomalies)
    host = _name(msg, 44, unicode, anomalies)
    return Ntlm(kind, domain, user, host, tuple(dict.fromkeys(anomalies)))

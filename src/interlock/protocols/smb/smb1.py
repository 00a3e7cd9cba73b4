"""SMB1 messages ([MS-CIFS] 2.2.3.1 header; 2.2.4.52 Negotiate, 2.2.4.53 Session Setup
AndX, 2.2.4.55 Tree Connect AndX, 2.2.4.64 NT Create AndX). Pure: no I/O."""

from __future__ import annotations

import struct
from typing import Final

from interlock.protocols.smb.message import SMB1, SmbMessage
from interlock.protocols.smb.ntlmssp import find_ntlmssp

NEGOTIATE: Final = 0x72
SESSION_SETUP: Final = 0x73
TREE_CONNECT: Final = 0x75
NT_CREATE: Final = 0xA2
_HEADER = struct.Struct("<4sBIBH12xHHHH")
MAX_TEXT: Final = 512


def _text(data: bytes, unicode: bool) -> str:
    if unicode:
        end = next((i for i in range(0, len(data) - 1, 2) if data[i : i + 2] == b"\0\0"), None)
        return data[: end if end is not None else len(data) & ~1][:MAX_TEXT].decode(
            "utf-16-le", "replace"
        )
    return data.split(b"\0", 1)[0][:MAX_TEXT].decode("latin-1")


def parse_smb1(data: bytes) -> SmbMessage:
    if len(data) < 33:
        return SmbMessage(SMB1, data[4] if len(data) > 4 else 0, 0, False, 0, 0, 0,
                          anomalies=("smb.truncated",))  # fmt: skip
    _, command, status, flags, flags2, tid, _pid, uid, mid = _HEADER.unpack_from(data)
    response = bool(flags & 0x80)
    words_count = data[32]
    words = data[33 : 33 + 2 * words_count]
    at = 33 + 2 * words_count
    payload = data[at + 2 :] if at + 2 <= len(data) else b""
    unicode = bool(flags2 & 0x8000)
    base = SmbMessage(SMB1, command, status, response, mid, uid, tid)
    anomalies = () if at + 2 <= len(data) else ("smb.truncated",)
    if command == NEGOTIATE and not response:
        names = tuple(
            part[1:].decode("latin-1")[:64]
            for part in payload.split(b"\0")[:64]
            if part[:1] == b"\x02"
        )
        return base._replace(dialects=names, anomalies=anomalies)
    if command == NEGOTIATE and len(words) >= 2:
        mode = words[2] if len(words) > 2 else None
        return base._replace(dialect=struct.unpack_from("<H", words)[0], security_mode=mode)
    if command == SESSION_SETUP and not response:
        return base._replace(ntlm=find_ntlmssp(payload), anomalies=anomalies)
    if command == TREE_CONNECT and not response and len(words) >= 8:
        password = struct.unpack_from("<H", words, 6)[0]
        rest = payload[password:]
        if unicode and (at + 2 + password) % 2:
            rest = rest[1:]  # Unicode strings are aligned to 2 bytes from the header
        return base._replace(path=_text(rest, unicode), anomalies=anomalies)
    if command == NT_CREATE and not response and len(words) >= 48:
        access = struct.unpack_from("<I", words, 15)[0]
        rest = payload[1:] if unicode else payload  # the pad byte before a Unicode name
        return base._replace(filename=_text(rest, unicode), desired_access=access)
    return base._replace(anomalies=anomalies)

"""SMB2/3 messages ([MS-SMB2] 2.2.1 header, 2.2.3/2.2.4 NEGOTIATE, 2.2.5 SESSION_SETUP,
2.2.9 TREE_CONNECT, 2.2.13 CREATE, 2.2.41 TRANSFORM_HEADER). Pure: no I/O."""

from __future__ import annotations

import struct
from typing import Final

from interlock.protocols.smb.message import SMB2, TRANSFORM, SmbMessage
from interlock.protocols.smb.ntlmssp import find_ntlmssp

HEADER_SIZE: Final = 64
NEGOTIATE, SESSION_SETUP, TREE_CONNECT, CREATE = 0, 1, 3, 5
MAX_COMPOUNDED: Final = 32
MAX_DIALECTS: Final = 64
MAX_NAME: Final = 1024
_HEADER = struct.Struct("<4sHHIHHIIQ4sIQ")
_U16 = struct.Struct("<H")


def _buffer(message: bytes, at: int, anomalies: list[str]) -> bytes:
    """The (offset, length) pair at ``at`` of the body: bytes from the header's start."""
    if HEADER_SIZE + at + 4 > len(message):
        anomalies.append("smb.truncated")
        return b""
    offset, length = struct.unpack_from("<HH", message, HEADER_SIZE + at)
    if length and (offset < HEADER_SIZE or offset + length > len(message)):
        anomalies.append("smb.bad_offset")
        return b""
    return message[offset : offset + length]


def _body(base: SmbMessage, message: bytes) -> SmbMessage:
    body = message[HEADER_SIZE:]
    anomalies: list[str] = []
    command, response = base.command, base.response
    if command == NEGOTIATE and not response and len(body) >= 36:
        count = min(_U16.unpack_from(body, 2)[0], MAX_DIALECTS, (len(body) - 36) // 2)
        dialects = tuple(f"0x{_U16.unpack_from(body, 36 + 2 * i)[0]:04x}" for i in range(count))
        return base._replace(dialects=dialects, security_mode=body[4])
    if command == NEGOTIATE and response and len(body) >= 6:
        return base._replace(security_mode=body[2], dialect=_U16.unpack_from(body, 4)[0])
    if command == SESSION_SETUP and len(body) >= 8:
        blob = _buffer(message, 12 if not response else 4, anomalies)
        mode = body[3] if not response else None
        return base._replace(
            ntlm=find_ntlmssp(blob), security_mode=mode, anomalies=tuple(anomalies)
        )
    if command == TREE_CONNECT and not response and len(body) >= 8:
        path = _buffer(message, 4, anomalies)[:MAX_NAME].decode("utf-16-le", "replace")
        return base._replace(path=path, anomalies=tuple(anomalies))
    if command == CREATE and not response and len(body) >= 48:
        name = _buffer(message, 44, anomalies)[:MAX_NAME].decode("utf-16-le", "replace")
        access = struct.unpack_from("<I", body, 24)[0]
        return base._replace(filename=name, desired_access=access, anomalies=tuple(anomalies))
    return base


def parse_smb2(data: bytes) -> list[SmbMessage]:
    """The messages of one SMB2 packet: compounded ones follow NextCommand offsets."""
    messages: list[SmbMessage] = []
    pos = 0
    while pos < len(data):
        if len(messages) == MAX_COMPOUNDED:
            messages[-1] = messages[-1]._replace(
                anomalies=(*messages[-1].anomalies, "smb.too_many_compounded")
            )
            break
        if len(data) - pos < HEADER_SIZE:
            messages.append(SmbMessage(SMB2, 0, 0, False, 0, 0, 0, anomalies=("smb.truncated",)))
            break
        fields = _HEADER.unpack_from(data, pos)
        _, _, _, status, command, _, flags, next_command, mid, _, tid, sid = fields
        end = pos + next_command if next_command else len(data)
        if next_command and (next_command < HEADER_SIZE or end > len(data)):
            end = len(data)
        base = SmbMessage(SMB2, command, status, bool(flags & 1), mid, sid, tid)
        if flags & 2:  # async: the tree id field holds the async id's upper half
            base = base._replace(tree_id=0)
        messages.append(_body(base, data[pos:end]))
        if not next_command or end >= len(data):
            break
        pos = end
    return messages


def parse_transform(data: bytes) -> SmbMessage:
    """The transform header: everything after it is ciphertext."""
    if len(data) < 52:
        return SmbMessage(TRANSFORM, 0, 0, False, 0, 0, 0, anomalies=("smb.truncated",))
    (session_id,) = struct.unpack_from("<Q", data, 44)
    return SmbMessage(TRANSFORM, 0, 0, False, 0, session_id, 0)

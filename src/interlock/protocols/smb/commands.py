"""SMB command names ([MS-CIFS] 2.2.2.1, [MS-SMB2] 2.2.1)."""

from __future__ import annotations

from typing import Final

from interlock.protocols.smb.message import SMB1, SMB2

SMB2_COMMANDS: Final = (
    "NEGOTIATE", "SESSION_SETUP", "LOGOFF", "TREE_CONNECT", "TREE_DISCONNECT", "CREATE",
    "CLOSE", "FLUSH", "READ", "WRITE", "LOCK", "IOCTL", "CANCEL", "ECHO", "QUERY_DIRECTORY",
    "CHANGE_NOTIFY", "QUERY_INFO", "SET_INFO", "OPLOCK_BREAK",
)  # fmt: skip
SMB1_COMMANDS: Final = {
    0x04: "Close", 0x06: "Delete", 0x07: "Rename", 0x24: "Locking AndX",
    0x25: "Trans", 0x2E: "Read AndX", 0x2F: "Write AndX", 0x32: "Trans2",
    0x71: "Tree Disconnect", 0x72: "Negotiate Protocol", 0x73: "Session Setup AndX",
    0x74: "Logoff AndX", 0x75: "Tree Connect AndX", 0xA2: "NT Create AndX",
}  # fmt: skip


def command_name(version: int, command: int) -> str:
    if version == SMB2 and command < len(SMB2_COMMANDS):
        return SMB2_COMMANDS[command]
    if version == SMB1 and command in SMB1_COMMANDS:
        return SMB1_COMMANDS[command]
    return "ENCRYPTED" if version not in (SMB1, SMB2) else f"0x{command:02x}"

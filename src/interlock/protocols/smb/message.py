"""One SMB message, whatever its version, as the rest of the package sees it."""

from __future__ import annotations

from typing import NamedTuple

from interlock.protocols.smb.ntlmssp import Ntlm

SMB1, SMB2, TRANSFORM = 1, 2, 3


class SmbMessage(NamedTuple):
    version: int
    """SMB1, SMB2 (also SMB3 dialects) or TRANSFORM (an SMB3 encrypted message)."""
    command: int
    status: int
    response: bool
    message_id: int
    session_id: int
    """SMB2 SessionId, SMB1 UID."""
    tree_id: int
    dialects: tuple[str, ...] = ()
    """NEGOTIATE request: SMB1 dialect strings, or SMB2 dialect revisions as 0x0311 etc."""
    dialect: int | None = None
    """NEGOTIATE response: SMB2 DialectRevision, or SMB1's index into the request's list."""
    security_mode: int | None = None
    ntlm: Ntlm | None = None
    path: str | None = None
    """TREE_CONNECT share path (\\\\host\\share)."""
    filename: str | None = None
    """CREATE / NT Create AndX file name."""
    desired_access: int | None = None
    anomalies: tuple[str, ...] = ()

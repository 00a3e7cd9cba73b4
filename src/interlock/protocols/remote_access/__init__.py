"""What the remote-access and file-transfer dissectors share (SSH, RDP, VNC, Telnet, FTP,
SMB, TeamViewer, AnyDesk): bounded text decoding, segment framing for protocols without
a length field, and the request/response steps their sessions hand to transactions.

Pure: no I/O, no buffering.
"""

from __future__ import annotations

from interlock.protocols.remote_access.common import (
    MAX_TEXT,
    SeenRequest,
    Step,
    chunk_length,
    printable,
    step_key,
)

__all__ = ["MAX_TEXT", "SeenRequest", "Step", "chunk_length", "printable", "step_key"]

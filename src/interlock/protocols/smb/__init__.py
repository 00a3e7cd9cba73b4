"""SMB over TCP 445 (direct) and 139 (NetBIOS session service, RFC 1002 section 4.3):
SMB1 ([MS-CIFS]) headers and Negotiate/Session Setup/Tree Connect/NT Create, SMB2/3
([MS-SMB2]) headers (compounded messages included), NEGOTIATE dialects and security mode,
SESSION_SETUP with the NTLMSSP AUTHENTICATE identity (domain, user, workstation: never the
challenge responses or session key), TREE_CONNECT share paths, CREATE file names, and the
SMB3 transform header (encrypted: only its session id is visible).

Anomaly codes:
- ``smb.truncated``: an SMB header or a structure shorter than it must be.
- ``smb.bad_offset``: a buffer offset/length pointing outside the message.
- ``smb.unknown_magic``: a session message whose payload is not \\xffSMB, \\xfeSMB or \\xfdSMB.
- ``smb.too_many_compounded``: more than 32 compounded SMB2 messages (the rest ignored).
- ``smb.bad_nbss_type``: a NetBIOS session packet type RFC 1002 does not define.
- ``smb.ntlmssp_truncated``: an NTLMSSP message whose fields run past its buffer.
"""

from __future__ import annotations

__all__: list[str] = []

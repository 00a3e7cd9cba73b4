"""RDP connection start ([MS-RDPBCGR] 2.2.1.1 and 2.2.1.2): TPKT (RFC 1006) and X.224
Connection Request/Confirm on TCP 3389, with the routing token or cookie
(``Cookie: mstshash=USER``: identity evidence) and the security negotiation (requested
and selected protocols, or the failure code). What follows is TLS or CredSSP (not
dissected here) or, with standard RDP security, MCS data (reported as X.224 DT only).

Anomaly codes:
- ``rdp.truncated``: a TPKT packet or X.224 header shorter than its lengths say.
- ``rdp.bad_length``: X.224 length indicator disagrees with the TPKT length.
- ``rdp.bad_negotiation``: an RDP_NEG_* structure whose length is not 8 or type unknown.
- ``rdp.cookie_unterminated``: a cookie/routing token without its CR LF.
"""

from __future__ import annotations

__all__: list[str] = []

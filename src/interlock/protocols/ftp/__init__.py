"""FTP control channel (RFC 959, RFC 2428 for EPRT/EPSV, RFC 4217 for AUTH TLS): one
unit per line. Commands keep their argument except PASS and ACCT, whose argument is never
stored (only that one was sent); replies keep their code and text; PORT, EPRT, 227 and
229 replies name the data channel's endpoint (the data channel itself is not dissected).

Anomaly codes:
- ``ftp.line_too_long``: a line over 2048 bytes (cut; the rest of the segment is dropped).
- ``ftp.no_crlf``: a line ended by LF alone.
- ``ftp.bad_endpoint``: PORT, EPRT, 227 or 229 whose address does not parse.
- ``ftp.not_text``: a line with control bytes other than CR, LF and TAB.
"""

from __future__ import annotations

__all__: list[str] = []

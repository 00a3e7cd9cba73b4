"""SSH transport layer (RFC 4253) as far as it is cleartext: identification lines, the
binary packet framing, KEXINIT (with HASSH fingerprints and post-quantum hybrid key
exchange flagged) and NEWKEYS. Everything after NEWKEYS is encrypted and not reported:
encrypted packets fail the cleartext framing test (see ``packets``) and the engine skips
them, counting the segments in its capture health.

Anomaly codes:
- ``ssh.banner_too_long``: identification line over 255 bytes (RFC 4253 section 4.2).
- ``ssh.banner_no_crlf``: identification line ended by LF alone.
- ``ssh.bad_banner``: a line starting ``SSH-`` without protocol and software versions.
- ``ssh.truncated``: a binary packet shorter than its length field says.
- ``ssh.bad_padding``: padding length under 4 or past the packet.
- ``ssh.bad_kexinit``: KEXINIT name-lists cut short.
"""

from __future__ import annotations

__all__: list[str] = []

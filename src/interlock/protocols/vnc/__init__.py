"""VNC / RFB (RFC 6143) handshake on TCP 5900-5906: ProtocolVersion of both sides,
security types offered and chosen (type 1, None, means no authentication), the
SecurityResult and its reason, ClientInit's shared flag, ServerInit's framebuffer size
and desktop name. After ServerInit the session only counts segments: framebuffer updates
are large and their framing depends on negotiated encodings.

The unit is a TCP segment (RFB has no framing of its own; see
``interlock.protocols.remote_access.common``); the session reads the handshake messages
out of each side's segments in order.

Anomaly codes:
- ``vnc.bad_version``: a ProtocolVersion line that is not ``RFB xxx.yyy\\n``.
- ``vnc.truncated``: a handshake message cut short by its segment.
- ``vnc.unexpected``: bytes after the handshake message a side was expected to send.
"""

from __future__ import annotations

__all__: list[str] = []

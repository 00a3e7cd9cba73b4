"""Telnet (RFC 854, options per RFC 855 and the IANA registry) on TCP 23: IAC commands
and option negotiation, server text (its first line as the banner: identity evidence),
and cleartext logins: ``login:``/``Password:`` prompts are flagged; what the client
types after a password prompt is never rendered or kept by the session.

The unit is a TCP segment (Telnet has no framing; see
``interlock.protocols.remote_access.common``). The unit holds the segment's first bytes
while it is parsed, as every unit does; only the session's reading of it (``TelnetInfo``)
reaches records and transactions.

Anomaly codes:
- ``telnet.truncated_command``: IAC at the end of a segment, or SB without IAC SE.
- ``telnet.unknown_command``: IAC followed by a byte that is no command.
"""

from __future__ import annotations

__all__: list[str] = []

"""Helpers shared by the remote-access protocols.

Segment framing: Telnet, VNC, TeamViewer and AnyDesk have no length field that frames
their stream (or, for VNC, one that depends on the connection's state), so their unit is
what the engine hands over: one TCP segment, or what a hole or buffered tail left joined
to it. ``chunk_length`` says "to the end of the buffer"; the engine then reports one
record per segment, as Wireshark does for these protocols. When a capture frame carries
bytes after the TCP payload (Ethernet padding of segments under 6 bytes), the unit
waits for the next segment of that direction and is reported joined to it (an engine
that passed the segment's end to ``unit_length`` would remove that approximation).
"""

from __future__ import annotations

from typing import Any, Final, NamedTuple

MAX_TEXT: Final = 256
"""Longest text (banner, name, path) a message keeps; longer text is cut and flagged."""


class SeenRequest(NamedTuple):
    """What a session returns for a response: the request it answers, where it was seen."""

    frame: int
    ts: float
    adu: Any


class Step(NamedTuple):
    """One side of a request/response pair as transactions see it: ``key`` is what both
    sides share (a per-connection sequence number, a message id)."""

    key: int
    message: Any


def step_key(step: Step) -> int:
    return step.key


def never_a_request(step: Step) -> bool:
    """For pairings whose session hands over whole exchanges (a login, a handshake): no
    unit waits for an answer."""
    return False


def chunk_length(buf: bytes, pos: int) -> int:
    """Segment framing: the unit runs to the end of the buffer (see the module docstring)."""
    return len(buf) - pos


def printable(data: bytes, limit: int = MAX_TEXT) -> str:
    """Text for display: at most ``limit`` bytes, latin-1, control bytes as escapes."""
    text = data[:limit].decode("latin-1")
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)

"""Request/response pairing for one HTTP/1.x connection: responses answer requests in
order (RFC 9112 section 9.3.2, pipelining), bounded.

Every message gets an Observation: its place in the connection's sequence of exchanges
(the transaction sink pairs on it) and, for a response, the request it answers. An
interim 1xx response (not 101) answers without consuming the request.
"""

from __future__ import annotations

from collections import deque
from typing import Final, NamedTuple

from interlock.protocols.http.message import HttpMessage

MAX_OUTSTANDING: Final = 64
"""Requests awaiting their response per connection (pipelined); the oldest go first."""


class Numbered(NamedTuple):
    """A message with the number of the exchange it belongs to on its connection."""

    exchange: int
    message: HttpMessage


class SeenRequest(NamedTuple):
    frame: int
    ts: float
    adu: Numbered


class Observation(NamedTuple):
    exchange: int
    """The exchange number (requests count from 0); -1 for a response nothing asked."""
    request: SeenRequest | None
    """For a response: the request it answers, if seen."""


class HttpSession:
    __slots__ = ("outstanding", "requests")

    def __init__(self) -> None:
        self.outstanding: deque[SeenRequest] = deque(maxlen=MAX_OUTSTANDING)
        self.requests = 0

    def observe(self, message: HttpMessage, is_request: bool, frame: int, ts: float) -> Observation:
        """Number a request, or pair a response with the oldest unanswered request. The
        start line decides which is which (is_request, by TCP client, is not needed)."""
        if message.is_request:
            number = self.requests
            self.requests += 1
            self.outstanding.append(SeenRequest(frame, ts, Numbered(number, message)))
            return Observation(number, None)
        if not self.outstanding:
            return Observation(-1, None)
        # An interim 1xx response answers the request without ending its exchange.
        request = self.outstanding[0] if message.is_interim else self.outstanding.popleft()
        return Observation(request.adu.exchange, request)

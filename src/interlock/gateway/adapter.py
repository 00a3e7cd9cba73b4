"""The seam between the protocol-neutral relay and one protocol.

The relay moves bytes, keeps time and applies rulings; an adapter knows where frames begin
and end, what a request means to the decision core, how to pair a response with its
request, and how to say "no" in the protocol's own words. Enforcing another protocol is
one more module implementing ``ProtocolAdapter`` (``modbus.py`` is the first).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(slots=True)
class Cut:
    """What a byte stream holds so far, as the adapter splits it."""

    frames: list[bytes] = field(default_factory=list)
    consumed: int = 0
    """Bytes the caller may discard (frames and dropped frames; never a partial frame)."""
    dropped: list[str] = field(default_factory=list)
    """Anomaly codes of frames dropped whole; the stream stays in step, the connection stays."""
    fatal: str | None = None
    """Anomaly code when framing is lost: no later byte can be trusted to start a frame."""

    def __init__(
        self,
        frames: list[bytes] | None = None,
        consumed: int = 0,
        dropped: list[str] | None = None,
        fatal: str | None = None,
    ) -> None:
        # Written out: mypyc compiles this one; the one dataclass would generate runs as
        # bytecode (an interpreted frame on every call, twice per transaction).
        self.frames = [] if frames is None else frames
        self.consumed = consumed
        self.dropped = [] if dropped is None else dropped
        self.fatal = fatal


@dataclass(slots=True)
class InboundRequest:
    """One request as the relay handles it."""

    key: int
    """Pairs the response with the request (Modbus: the transaction id)."""
    policy_request: Any
    """What the decision core judges."""
    fields: dict[str, Any]
    """What the audit record says about the request (unit, function, address, ...)."""
    frame: bytes
    shape: bytes | None = None
    """What the request asks, without what only tells it apart from its neighbours (the
    Modbus transaction id): equal shapes from one client get equal rulings when the core
    says the ruling may be reused. None: decide this request afresh (it writes values)."""
    quiet_under: Any = None
    """The policy under which the answer to this request teaches the core nothing, so the
    gateway need not observe it (set by the session from that policy's memo)."""

    def __init__(
        self,
        key: int,
        policy_request: Any,
        fields: dict[str, Any],
        frame: bytes,
        shape: bytes | None = None,
        quiet_under: Any = None,
    ) -> None:
        # Written out so that mypyc compiles it (see Cut).
        self.key = key
        self.policy_request = policy_request
        self.fields = fields
        self.frame = frame
        self.shape = shape
        self.quiet_under = quiet_under


class ProtocolAdapter(Protocol):
    protocol: str
    per_request_fields: tuple[str, ...]
    """The audit fields that tell apart two requests of equal shape (Modbus: the
    transaction id); every other field of ``InboundRequest.fields`` is equal for equal
    shapes, so a remembered ruling's audit record is made once per shape."""

    def cut(self, buf: bytes | bytearray) -> Cut:
        """Split a stream (either direction) into whole frames."""
        ...

    def request(self, frame: bytes, client_ip: str, now: float) -> InboundRequest: ...

    def response_key(self, frame: bytes) -> int: ...

    def response_shape(self, frame: bytes) -> bytes:
        """The response without what only pairs it with its request (the Modbus transaction
        id): the same shape in answer to the same request shape teaches the core the same."""
        ...

    def refusal(self, request: InboundRequest, code: int) -> bytes:
        """The protocol-correct answer that refuses request with code."""
        ...

    def unavailable(self, request: InboundRequest) -> bytes:
        """The answer when the upstream cannot be reached at all."""
        ...

    def no_answer(self, request: InboundRequest) -> bytes:
        """The answer when the upstream went away before answering."""
        ...

    def observe(self, core: Any, request: InboundRequest, response: bytes, now: float) -> None:
        """Tell the decision core what the upstream answered (process state it tracks)."""
        ...

"""What the engine hands its results to, and the per-engine protocol setup it needs."""

from __future__ import annotations

from typing import Any, Protocol

from interlock.net.flows import Flow
from interlock.protocols.spec import ProtocolSpec


class UnitSink(Protocol):
    def unit(
        self, frame: int, ts: float, flow: Flow, direction: int, message: Any, answered: Any
    ) -> None:
        """Receive one parsed unit; answered is the request a response pairs with."""


class FlowClosedListener(Protocol):
    def flow_closed(self, flow: Flow) -> None:
        """The engine is forgetting flow (closed, evicted, or the input ended)."""


def with_shared_state(spec: ProtocolSpec) -> ProtocolSpec:
    """The spec whose sessions all get this engine's one shared object, if it wants one."""
    if spec.new_shared is None:
        return spec
    shared = spec.new_shared()
    new_session = spec.new_session
    return spec._replace(new_session=lambda: new_session(shared))

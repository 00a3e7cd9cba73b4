"""One RDP connection: the Connection Confirm answers the Connection Request. Bounded:
one request kept."""

from __future__ import annotations

from interlock.protocols.rdp.x224 import CC, CR, RdpUnit
from interlock.protocols.remote_access.common import SeenRequest, Step


class RdpSession:
    __slots__ = ("request",)

    def __init__(self) -> None:
        self.request: SeenRequest | None = None

    def observe(
        self, unit: RdpUnit, is_request: bool, frame: int, ts: float
    ) -> Step | SeenRequest | None:
        if is_request and unit.pdu_type == CR:
            step = Step(0, unit)
            self.request = SeenRequest(frame, ts, step)
            return step
        if not is_request and unit.pdu_type == CC:
            answered, self.request = self.request, None
            return answered
        return None

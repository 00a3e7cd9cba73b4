"""Replay: what a policy would have done to the traffic of a capture, request by request.

The capture runs through the engine (``interlock.dissect.run``); each Modbus request is
turned into a PolicyRequest by the same adapter the gateway uses and decided at its own
frame, and each response to a request the policy would have let through is fed back into
the core's state, in capture order: exactly the sequence of `decide` and `observe` calls an
inline gateway would have made, so a replay predicts the gateway. (Transactions would pair
the same units, but only once the response arrives, which would reorder the decisions of
pipelined requests.)

Requests of protocols without a policy adapter are counted, not decided.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from interlock import dissect as job
from interlock.capture.frames import Frame
from interlock.errors import CaptureError
from interlock.health import CaptureHealth
from interlock.model import Endpoint
from interlock.net.flows import Flow
from interlock.policy.core import DecisionCore
from interlock.policy.modbus import observe_response, request_from_pdu
from interlock.policy.request import Decision, PolicyRequest

MAX_PENDING_PER_FLOW: Final = 1024


@dataclass(frozen=True, slots=True)
class Replayed:
    """One request of a capture and the policy's decision on it."""

    frame: int
    client: Endpoint
    server: Endpoint
    request: PolicyRequest
    decision: Decision


@dataclass
class ReplayTotals:
    requests: int = 0
    verdicts: Counter[str] = field(default_factory=Counter)
    rules: Counter[tuple[str, str]] = field(default_factory=Counter)
    """(rule, verdict) -> requests it refused or flagged."""
    undecided: Counter[str] = field(default_factory=Counter)
    """Protocol -> requests seen for which the policy has no adapter."""

    def add(self, replayed: Replayed) -> None:
        self.requests += 1
        decision = replayed.decision
        self.verdicts[decision.verdict] += 1
        if decision.verdict != "allow":
            self.rules[(decision.rule, decision.verdict)] += 1


class ReplaySink:
    """Engine sink deciding each Modbus request and observing the answers to those let by."""

    def __init__(self, core: DecisionCore, emit: Callable[[Replayed], None]) -> None:
        self.core = core
        self.emit = emit
        self.totals = ReplayTotals()
        self.waiting: dict[int, dict[tuple[int, int, int, int], PolicyRequest]] = {}

    def unit(
        self, frame: int, ts: float, flow: Flow, direction: int, message: Any, answered: Any
    ) -> None:
        assert flow.spec is not None
        from_client = direction == flow.client_dir
        if flow.spec.name != "modbus":
            if from_client:
                self.totals.undecided[flow.spec.name] += 1
            return
        client_text = flow.text[flow.client_dir if flow.client_dir >= 0 else 0]
        client, server = Endpoint(client_text[0], client_text[1]), Endpoint(*client_text[2:])
        if from_client:
            self._request(frame, ts, flow, message, client, server)
        elif answered is not None:
            key = (answered.frame, message.trans_id, message.unit_id, message.function)
            request = self.waiting.get(id(flow), {}).pop(key, None)
            if request is not None:
                observe_response(self.core, request, message.pdu)

    def _request(
        self, frame: int, ts: float, flow: Flow, adu: Any, client: Endpoint, server: Endpoint
    ) -> None:
        request = request_from_pdu(adu.pdu, adu.unit_id, client.ip, ts, server.ip)
        decision = self.core.decide(request)
        replayed = Replayed(frame, client, server, request, decision)
        self.totals.add(replayed)
        self.emit(replayed)
        if decision.verdict == "block":
            return  # the server would never have seen it: nothing to learn from its answer
        waiting = self.waiting.setdefault(id(flow), {})
        if len(waiting) >= MAX_PENDING_PER_FLOW:
            del waiting[next(iter(waiting))]
        waiting[(frame, adu.trans_id, adu.unit_id, adu.function)] = request

    def flow_closed(self, flow: Flow) -> None:
        self.waiting.pop(id(flow), None)


@dataclass
class ReplayResult:
    totals: ReplayTotals
    health: list[CaptureHealth]
    errors: list[CaptureError]


def replay(
    core: DecisionCore,
    captures: Iterable[Iterable[Frame]],
    emit: Callable[[Replayed], None],
    decode_as: Mapping[int, str] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> ReplayResult:
    """Decide every request of the captures, in order, with one core (state carries over)."""
    sink = ReplaySink(core, emit)
    health, errors = [], []
    for frames in captures:
        result = job.run(frames, sink, decode_as or {}, on_progress)
        health.append(result.health)
        if result.error is not None:
            errors.append(result.error)
    return ReplayResult(sink.totals, health, errors)

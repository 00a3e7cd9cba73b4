"""From a decision (or its absence) to what the gateway does with one request.

The decision core is pure and may be slow or wrong; this is where that stops mattering.
A core that raises, or that does not answer within the decision budget, is replaced by
the fail mode: ``closed`` refuses the request with the exception code, ``open`` forwards it
and raises an alert. Monitor mode forwards everything, failures included, and records what
enforcement would have done. One lock serializes the core (``decide`` and ``observe``
share its process state); waiting longer than the budget for that lock is an overrun too.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Literal

from interlock.gateway.adapter import InboundRequest
from interlock.gateway.config import FailMode, Mode

if TYPE_CHECKING:
    from interlock.gateway.policy_state import ActivePolicy

Failure = Literal["error", "overrun"]
DECISION_ERROR: Final = "gateway.decision_error"
DECISION_OVERRUN: Final = "gateway.decision_overrun"
MAX_ANSWERS: Final = 256
"""Answers remembered per connection (request shapes polled; beyond, start afresh)."""


@dataclass(slots=True)
class Ruling:
    """Made once per request and never changed (not frozen only because a frozen
    dataclass's constructor costs twice as much on the hot path)."""

    forward: bool
    verdict: str
    """allow, alert or block: what the policy (or the fail mode) said."""
    rule: str
    reason: str
    mode: Mode
    exception_code: int
    fail_mode: FailMode
    failure: Failure | None = None
    kind: str | None = None
    """The deciding rule's kind (envelope, client, function, ...) when the policy names one."""
    decision_ns: int = 0
    asset: str | None = None
    criticality: str | None = None
    """The asset's criticality (low .. critical), for alert severity."""
    tags: tuple[str, ...] = ()
    """The tags the request touches (a write's, or a refused request's)."""

    def __init__(
        self,
        forward: bool,
        verdict: str,
        rule: str,
        reason: str,
        mode: Mode,
        exception_code: int,
        fail_mode: FailMode,
        failure: Failure | None = None,
        kind: str | None = None,
        decision_ns: int = 0,
        asset: str | None = None,
        criticality: str | None = None,
        tags: tuple[str, ...] = (),
    ) -> None:
        # Written out so that mypyc compiles it (see interlock.gateway.adapter.Cut).
        self.forward = forward
        self.verdict = verdict
        self.rule = rule
        self.reason = reason
        self.mode = mode
        self.exception_code = exception_code
        self.fail_mode = fail_mode
        self.failure = failure
        self.kind = kind
        self.decision_ns = decision_ns
        self.asset = asset
        self.criticality = criticality
        self.tags = tags


@dataclass(frozen=True, slots=True)
class Defaults:
    """Policy-wide settings, after command-line overrides."""

    mode: Mode
    fail_mode: FailMode
    exception_code: int
    code_overridden: bool = False
    """The operator fixed the exception code: it wins over a rule's own."""


class Decider:
    def __init__(self, budget: float) -> None:
        self.budget_ns = int(budget * 1e9)
        self.lock = threading.Lock()

    def rule(self, policy: ActivePolicy, request: InboundRequest) -> Ruling:
        start = time.perf_counter_ns()
        lock = self.lock
        if not lock.acquire(False) and not lock.acquire(timeout=self.budget_ns / 1e9):
            return self.failed(
                policy, request, "overrun", "the decision core was busy past the budget"
            )
        try:
            decision = policy.core.decide(request.policy_request)
        except Exception as exc:  # the core's bug must not become the plant's outage
            return self.failed(policy, request, "error", f"{type(exc).__name__}: {exc}")
        finally:
            lock.release()
        elapsed = time.perf_counter_ns() - start
        if elapsed > self.budget_ns:
            reason = f"the decision took {elapsed / 1e6:.1f} ms, over its budget"
            return self.failed(policy, request, "overrun", reason, elapsed)
        ruling = self.from_decision(policy, decision, elapsed)
        if request.shape is not None:
            self._remember(policy, request, ruling)
        return ruling

    @staticmethod
    def _remember(policy: ActivePolicy, request: InboundRequest, ruling: Ruling) -> None:
        """Keep the ruling for the same request shape from the same client, when the core
        says the decision did not depend on time or process state."""
        core = policy.core
        memoizable = getattr(core, "memoizable", None)  # a stand-in core may not say
        asked = request.policy_request
        if memoizable is not None and memoizable(asked):
            assert request.shape is not None
            policy.remember(asked.client, request.shape, ruling, core.teaches(asked))

    @staticmethod
    def from_decision(policy: ActivePolicy, decision: Any, elapsed: int) -> Ruling:
        verdict = str(decision.verdict)
        overrides = policy.overrides
        mode: Mode = overrides.mode or decision.mode
        code = overrides.exception_code or decision.exception_code or 0x01
        rule = str(decision.rule or "")
        return Ruling(
            forward=verdict != "block" or mode == "monitor",
            verdict=verdict,
            rule=rule,
            reason=str(decision.reason or ""),
            mode=mode,
            exception_code=int(code),
            fail_mode=overrides.fail_mode or decision.fail_mode,
            kind=policy.kind(rule) if rule else None,
            decision_ns=elapsed,
            asset=decision.asset,
            criticality=getattr(decision, "criticality", None),
            tags=tuple(decision.tags),
        )

    @staticmethod
    def failed(
        policy: ActivePolicy,
        request: InboundRequest,
        failure: Failure,
        detail: str,
        elapsed: int = 0,
    ) -> Ruling:
        defaults = policy.defaults(request.fields.get("unit"), overrun=failure == "overrun")
        closed = defaults.fail_mode == "closed"
        return Ruling(
            forward=not closed or defaults.mode == "monitor",
            verdict="block" if closed else "alert",
            rule=DECISION_ERROR if failure == "error" else DECISION_OVERRUN,
            reason=f"fail-{defaults.fail_mode}: {detail}",
            mode=defaults.mode,
            exception_code=defaults.exception_code,
            fail_mode=defaults.fail_mode,
            failure=failure,
            kind="gateway",
            decision_ns=elapsed,
        )

    def observe(
        self,
        policy: ActivePolicy,
        adapter: Any,
        request: InboundRequest,
        response: bytes,
        now: float,
        answers: dict[bytes, tuple[Any, int, bytes]] | None = None,
    ) -> bool:
        """Feed a response to the core; False when the core raised or stayed busy.

        answers (one connection's, kept by the caller) remembers, per request shape, the
        last answer's shape and the core's version after observing it. The same answer
        again while the version has not moved would change nothing (every tag it reads
        already holds its words): it is not fed again. Checked under the core's lock, so
        it is exactly as if it had been fed at that point."""
        lock = self.lock
        if not lock.acquire(False) and not lock.acquire(timeout=self.budget_ns / 1e9):
            return False
        try:
            core = policy.core
            version = getattr(core, "version", None)  # a stand-in core may keep none
            shape = request.shape
            if answers is None or shape is None or version is None:
                adapter.observe(core, request, response, now)
                return True
            answer = adapter.response_shape(response)
            last = answers.get(shape)
            if last is not None and last[0] is core and last[1] == version and last[2] == answer:
                return True
            adapter.observe(core, request, response, now)
            if len(answers) >= MAX_ANSWERS:
                answers.clear()
            answers[shape] = (core, core.version, answer)
        except Exception:
            return False
        finally:
            lock.release()
        return True

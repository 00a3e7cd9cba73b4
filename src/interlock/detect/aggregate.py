"""Hits into alerts: the same rule between the same endpoints within a window is one alert.

The key is (rule, client address, server address, server port, suppression): the client's
port changes with every connection, the service does not. An alert's window starts at its
first hit; a hit of the same key within the window (before or after the first, since a
transaction is reported when its response or its flow's end is seen) joins it, one outside
starts the next alert. An alert counts its hits, keeps first/last seen, the first
EVIDENCE_KEPT frames, and its outcome: succeeded if any hit succeeded, else refused if any
was refused, else attempted if any went unanswered, else unknown; ``details.outcomes``
counts each.

Bounded: at most ``max_alerts`` alerts per run; hits that would open one more are counted
per rule in ``over_limit`` (reported by the caller, never silently dropped).
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Final

import orjson

from interlock.detect.alert import Alert, AlertEndpoint, Outcome
from interlock.detect.hits import Hit
from interlock.detect.pending import ADDED_KEYS, OUTCOME_INDEX, PendingAlert, pending_order
from interlock.model import Endpoint

MAX_ALERTS: Final = 100_000
MAX_DETAILS_BYTES: Final = 4096
"""An alert keeps its first hit's details up to this size (as JSON); larger values are
left out and named in ``details["truncated"]``, so 100,000 alerts stay a few hundred MB
at worst."""
MAX_MESSAGE: Final = 500
MAX_ENDPOINTS: Final = 65_536
OUTCOME_RANK: Final[dict[str, int]] = {"unknown": 0, "attempted": 1, "refused": 2, "succeeded": 3}

Key = tuple[str, str, str, int, int | None]


class Aggregator:
    def __init__(
        self,
        capture: str,
        site: str,
        windows: dict[str, float],
        default_window: float,
        max_alerts: int = MAX_ALERTS,
    ) -> None:
        self.capture = capture
        self.site = site
        self.windows = windows
        self.default_window = default_window
        self.max_alerts = max_alerts
        self.open: dict[Key, PendingAlert] = {}
        self.closed: list[PendingAlert] = []
        self.over_limit: Counter[str] = Counter()
        self.endpoints: dict[Endpoint, AlertEndpoint] = {}
        """One AlertEndpoint per endpoint (frozen, so shared): a server ends thousands of
        alerts. Bounded: emptied when it reaches MAX_ENDPOINTS."""

    def join(
        self,
        rule: str,
        src: Endpoint,
        dst: Endpoint,
        ts: float,
        frame: int,
        outcome: Outcome,
        suppressed_by: int | None = None,
    ) -> bool:
        """Count a hit into its open alert, if it has one whose window covers ts (the cheap
        path: no Hit is built for the repeats of an alert)."""
        alert = self.open.get((rule, src.ip, dst.ip, dst.port, suppressed_by))
        if alert is None:
            return False
        window = self.windows.get(rule, self.default_window)
        if not alert.first_seen - window < ts < alert.first_seen + window:
            return False
        alert.count += 1
        if ts < alert.first_seen:
            alert.first_seen = ts
        elif ts > alert.last_seen:
            alert.last_seen = ts
        if outcome != alert.outcome:
            alert.outcome = stronger(alert.outcome, outcome)
        alert.outcomes[OUTCOME_INDEX[outcome]] += 1
        alert.add_frame(frame)
        return True

    def add(self, hit: Hit, suppressed_by: int | None = None) -> None:
        if self.join(hit.rule.id, hit.src, hit.dst, hit.ts, hit.frame, hit.outcome, suppressed_by):
            return
        self.start(hit, suppressed_by)

    def start(self, hit: Hit, suppressed_by: int | None = None) -> None:
        """A hit that joined no open alert (``join`` said so): it opens the next one."""
        key: Key = (hit.rule.id, hit.src.ip, hit.dst.ip, hit.dst.port, suppressed_by)
        alert = self.open.get(key)
        if len(self.open) + len(self.closed) >= self.max_alerts:
            self.over_limit[hit.rule.id] += 1
            return
        if alert is not None:
            self.closed.append(alert)
        self.open[key] = PendingAlert(
            hit.rule,
            hit.protocol,
            self._endpoint(hit.src),
            self._endpoint(hit.dst),
            hit.ts,
            hit.frame,
            hit.outcome,
            hit.message[:MAX_MESSAGE],
            details_json(hit.details),
            self.capture,
            self.site,
            suppressed_by,
        )

    def pending(self) -> list[PendingAlert]:
        """Every alert, compact, in a stable order: first seen, rule, endpoints."""
        return sorted([*self.closed, *self.open.values()], key=pending_order)

    def alerts(self) -> list[Alert]:
        """Every alert as a full value, in the same order."""
        return [alert.alert() for alert in self.pending()]

    def _endpoint(self, endpoint: Endpoint) -> AlertEndpoint:
        found = self.endpoints.get(endpoint)
        if found is None:
            if len(self.endpoints) >= MAX_ENDPOINTS:
                self.endpoints.clear()
            found = self.endpoints[endpoint] = AlertEndpoint(endpoint.ip, endpoint.port)
        return found


def details_json(details: dict[str, Any]) -> str:
    """A hit's details as an alert keeps them: JSON, at most MAX_DETAILS_BYTES (larger
    values left out and named), without the keys the alert adds itself."""
    if any(key in details for key in ADDED_KEYS):
        details = {k: v for k, v in details.items() if k not in ADDED_KEYS}
    # One dump decides the common case: details within the budget hold a transaction
    # within it too, and both stay as they are.
    found = orjson.dumps(details, default=str)
    if len(found) <= MAX_DETAILS_BYTES:
        return found.decode()
    bounded_details = dict(details)
    if isinstance(bounded_details.get("transaction"), dict):
        bounded_details["transaction"] = bounded(bounded_details["transaction"])
    return orjson.dumps(bounded(bounded_details), default=str).decode()


def bounded(details: dict[str, Any]) -> dict[str, Any]:
    """The details, without the values that would make them larger than MAX_DETAILS_BYTES."""
    if len(orjson.dumps(details, default=str)) <= MAX_DETAILS_BYTES:
        return dict(details)
    kept: dict[str, Any] = {}
    left_out: list[str] = []
    budget = MAX_DETAILS_BYTES
    for key, value in details.items():
        size = len(orjson.dumps(value, default=str))
        if size <= budget // 4:
            kept[key] = value
            budget -= size
        else:
            left_out.append(key)
    kept["truncated"] = left_out
    return kept


def stronger(a: Outcome, b: Outcome) -> Outcome:
    return a if OUTCOME_RANK[a] >= OUTCOME_RANK[b] else b


def alert_order(alert: Alert) -> tuple[Any, ...]:
    first = alert.evidence[0].frame if alert.evidence else 0
    return (
        alert.first_seen,
        alert.rule,
        alert.src.ip,
        alert.src.port or 0,
        alert.dst.ip,
        alert.dst.port or 0,
        first,
    )

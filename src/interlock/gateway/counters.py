"""The gateway's counters: what happened to requests, connections, the upstream and policy.

Every key comes from a closed vocabulary (verdicts, actions, anomaly codes, failure kinds),
never from the traffic's addresses, so the tables stay small whatever a peer sends.
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

MAX_KEYS = 256
"""Anomaly codes come from adapters; a bound all the same, in case one is careless."""


class Counters:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests: Counter[tuple[str, str]] = Counter()
        """(verdict, action) -> requests of finished sessions; open ones count their own."""
        self.failures: Counter[str] = Counter()
        self.anomalies: Counter[str] = Counter()
        self.events: Counter[str] = Counter()
        """connections_accepted, connections_refused, upstream_connects, reloads_ok, ..."""

    def add_requests(self, counts: dict[tuple[str, str], int]) -> None:
        """Fold in a finished session's request counts (sessions count their own)."""
        with self._lock:
            self.requests.update(counts)

    def failure(self, kind: str) -> None:
        with self._lock:
            self.failures[kind] += 1

    def anomaly(self, code: str) -> None:
        with self._lock:
            if code in self.anomalies or len(self.anomalies) < MAX_KEYS:
                self.anomalies[code] += 1

    def event(self, name: str, n: int = 1) -> None:
        with self._lock:
            self.events[name] += n

    def snapshot(self, live: list[dict[tuple[str, str], int]]) -> dict[str, Any]:
        """Everything counted, with the request counts of sessions still open (live)."""
        with self._lock:
            requests = self.requests.copy()
            for counts in live:
                requests.update(counts)
            return {
                "requests": [
                    {"verdict": verdict, "action": action, "count": n}
                    for (verdict, action), n in sorted(requests.items())
                ],
                "failures": dict(sorted(self.failures.items())),
                "anomalies": dict(sorted(self.anomalies.items())),
                "events": dict(sorted(self.events.items())),
            }

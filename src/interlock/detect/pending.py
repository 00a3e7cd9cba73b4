"""An alert of the running capture, held compact until it is stored.

A big capture raises tens of thousands of alerts, and the run holds them all until the
capture ends. As ``Alert`` values (a details dict with the transaction inside, a list of
frame objects, an outcome dict) each cost about 4 kB and a dozen objects the garbage
collector walks again and again while the engine runs. A pending alert is one object:
its details are the first hit's JSON text, its frames an integer array, its outcome
counts four integers. The store writes its row from these directly; ``alert``
builds the full value for the few callers that want one (``interlock detect``, exports).
"""

from __future__ import annotations

from array import array
from typing import Any, Final

import orjson

from interlock.detect.alert import (
    EVIDENCE_KEPT,
    OUTCOMES,
    Alert,
    AlertEndpoint,
    FrameEvidence,
    Outcome,
    alert_id,
)
from interlock.detect.attack import attack_details
from interlock.detect.hits import RuleInfo

OUTCOME_INDEX: Final[dict[str, int]] = {outcome: n for n, outcome in enumerate(OUTCOMES)}
ADDED_KEYS: Final = ("outcomes", "attack", "rule_description")
"""Keys an alert adds to its first hit's details (a hit's own value for one is replaced)."""


class PendingAlert:
    __slots__ = (
        "capture",
        "count",
        "details",
        "dst",
        "first_seen",
        "frames",
        "last_seen",
        "message",
        "outcome",
        "outcomes",
        "protocol",
        "rule",
        "site",
        "src",
        "suppressed_by",
    )

    def __init__(
        self,
        rule: RuleInfo,
        protocol: str,
        src: AlertEndpoint,
        dst: AlertEndpoint,
        ts: float,
        frame: int,
        outcome: Outcome,
        message: str,
        details: str,
        capture: str,
        site: str,
        suppressed_by: int | None,
    ) -> None:
        self.rule = rule
        self.protocol = protocol
        self.src = src
        self.dst = dst
        self.first_seen = ts
        self.last_seen = ts
        self.count = 1
        self.outcome: Outcome = outcome
        self.outcomes = array("q", [0] * len(OUTCOMES))
        self.outcomes[OUTCOME_INDEX[outcome]] = 1
        self.frames = array("q", [frame])
        self.message = message
        self.details = details
        """The first hit's details as JSON text (an object), without the keys an alert
        adds. Text, not orjson's bytes: a bytes value keeps orjson's 4 kB buffer."""
        self.capture = capture
        self.site = site
        self.suppressed_by = suppressed_by

    @property
    def id(self) -> str:
        """The id ``Alert.id`` gives the same alert."""
        return alert_id(
            self.rule.id, self.site, self.src, self.dst, self.capture, self.frames[0],
            self.first_seen,
        )  # fmt: skip

    def add_frame(self, frame: int) -> None:
        if len(self.frames) < EVIDENCE_KEPT:
            self.frames.append(frame)

    def outcome_counts(self) -> dict[str, int]:
        return {o: n for o, n in zip(OUTCOMES, self.outcomes, strict=True) if n}

    def details_json(self) -> str:
        """The alert's details as stored: the first hit's, then outcome counts, ATT&CK
        details and the rule's description."""
        outcomes = orjson.dumps({"outcomes": self.outcome_counts()}).decode()
        added = outcomes[:-1] + _rule_extras(self.rule)
        if self.details == "{}":
            return added
        return self.details[:-1] + "," + added[1:]

    def evidence_json(self) -> str:
        return orjson.dumps([{"capture": self.capture, "frame": f} for f in self.frames]).decode()

    def alert(self) -> Alert:
        """The full value, as the store would give it back."""
        return Alert(
            rule=self.rule.id,
            title=self.rule.title,
            severity=self.rule.severity,
            techniques=self.rule.techniques,
            outcome=self.outcome,
            src=self.src,
            dst=self.dst,
            protocol=self.protocol,
            first_seen=self.first_seen,
            last_seen=self.last_seen,
            site=self.site,
            count=self.count,
            evidence=[FrameEvidence(self.capture, f) for f in self.frames],
            message=self.message,
            details=orjson.loads(self.details_json()),
            suppressed_by=self.suppressed_by,
        )


def pending_order(alert: PendingAlert) -> tuple[Any, ...]:
    """The order ``alert_order`` gives the full values."""
    return (
        alert.first_seen,
        alert.rule.id,
        alert.src.ip,
        alert.src.port or 0,
        alert.dst.ip,
        alert.dst.port or 0,
        alert.frames[0],
    )


_EXTRAS: dict[RuleInfo, str] = {}
MAX_EXTRAS: Final = 4096


def _rule_extras(rule: RuleInfo) -> str:
    """``,"attack":...,"rule_description":...}``: the same for every alert of a rule."""
    found = _EXTRAS.get(rule)
    if found is None:
        extras: dict[str, Any] = {"attack": attack_details(rule.techniques)}
        if rule.description:
            extras["rule_description"] = rule.description
        if len(_EXTRAS) >= MAX_EXTRAS:
            _EXTRAS.clear()
        found = _EXTRAS[rule] = "," + orjson.dumps(extras).decode()[1:]
    return found

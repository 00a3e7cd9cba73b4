"""An alert as detection, the store, the CLI and every export see it.

The contract keys (``../shared/spec/detect.md``) come from ``Alert.as_contract``; exports
(OCSF, CEF, ECS) translate from this one shape, never from a rule or a transaction.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["low", "medium", "high", "critical"]
SEVERITIES: tuple[Severity, ...] = ("low", "medium", "high", "critical")

Outcome = Literal["attempted", "succeeded", "refused", "unknown"]
OUTCOMES: tuple[Outcome, ...] = ("attempted", "succeeded", "refused", "unknown")

EVIDENCE_KEPT = 20
"""Frames kept per alert: the first ones seen, so an aggregated storm stays one small row."""


@dataclass(frozen=True, slots=True)
class AlertEndpoint:
    ip: str
    port: int | None = None
    asset: int | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"ip": self.ip, "port": self.port}
        if self.asset is not None:
            out["id"] = self.asset
        return out


@dataclass(frozen=True, slots=True)
class FrameEvidence:
    capture: str
    """sha256 of the capture (or of the live session's identity)."""
    frame: int

    def as_dict(self) -> dict[str, Any]:
        return {"capture": self.capture, "frame": self.frame}


@dataclass(slots=True)
class Alert:
    """One rule firing on one pair of endpoints, aggregated over a window."""

    rule: str
    title: str
    severity: Severity
    techniques: tuple[str, ...]
    outcome: Outcome
    src: AlertEndpoint
    dst: AlertEndpoint
    protocol: str
    first_seen: float
    last_seen: float
    site: str
    count: int = 1
    evidence: list[FrameEvidence] = field(default_factory=list)
    message: str = ""
    """What happened, in the plant's terms ("PLC STOP sent to 10.0.0.5 (S7 CPU)")."""
    details: dict[str, Any] = field(default_factory=dict)
    suppressed_by: int | None = None
    """The suppression whose scope covers this alert (listed only on request), if any."""
    stored_id: str | None = None
    """The id the store gave it: an alert merged with hits of a later capture keeps it."""

    @property
    def id(self) -> str:
        """Stable across runs: the same capture gives the same alert ids."""
        if self.stored_id is not None:
            return self.stored_id
        first = self.evidence[0] if self.evidence else FrameEvidence("", 0)
        return alert_id(
            self.rule, self.site, self.src, self.dst, first.capture, first.frame, self.first_seen
        )

    def add_evidence(self, evidence: FrameEvidence) -> None:
        if len(self.evidence) < EVIDENCE_KEPT:
            self.evidence.append(evidence)

    def as_contract(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "rule": self.rule,
            "title": self.title,
            "severity": self.severity,
            "techniques": list(self.techniques),
            "outcome": self.outcome,
            "protocol": self.protocol,
            "src": self.src.as_dict(),
            "dst": self.dst.as_dict(),
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "count": self.count,
            "site": self.site,
            "message": self.message,
            "evidence": [item.as_dict() for item in self.evidence],
            "details": self.details,
            "suppressed_by": self.suppressed_by,
        }


def alert_id(
    rule: str,
    site: str,
    src: AlertEndpoint,
    dst: AlertEndpoint,
    capture: str,
    frame: int,
    first_seen: float,
) -> str:
    """An alert's id from its first hit: the same capture gives the same alert ids."""
    key = "|".join(
        (
            rule, site, src.ip, str(src.port), dst.ip, str(dst.port), capture, str(frame),
            repr(first_seen),
        )
    )  # fmt: skip
    return hashlib.sha256(key.encode()).hexdigest()[:32]

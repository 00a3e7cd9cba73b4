"""What a behavioural hit rests on: a transaction's time, frame and outcome, and the hit.

Outcomes follow the alert contract: the paired response decides (ok -> succeeded,
exception -> refused, no answer -> attempted); unsolicited or unpaired units -> unknown.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Final

from interlock.detect.alert import Outcome, Severity
from interlock.detect.hits import Hit, RuleInfo
from interlock.model import Endpoint, Transaction

OUTCOME_OF_STATUS: Final[dict[str, Outcome]] = {
    "ok": "succeeded",
    "exception": "refused",
    "unanswered": "attempted",
}


def outcome_of(tx: Transaction) -> Outcome:
    return OUTCOME_OF_STATUS.get(tx.status, "unknown")


def time_of(tx: Transaction) -> float:
    """When the transaction began: its request, else its response (capture time)."""
    if tx.request_ts is not None:
        return tx.request_ts
    return tx.response_ts if tx.response_ts is not None else 0.0


def frame_of(tx: Transaction) -> int:
    if tx.request_frame is not None:
        return tx.request_frame
    return tx.response_frame if tx.response_frame is not None else 0


def is_request(tx: Transaction) -> bool:
    """Whether the capture holds the request (a lone response says nothing of its sender)."""
    return tx.request_frame is not None


def tx_hit(
    rule: RuleInfo,
    tx: Transaction,
    message: str,
    details: dict[str, Any],
    outcome: Outcome | None = None,
) -> Hit:
    return Hit(
        rule,
        tx.protocol,
        tx.client,
        tx.server,
        time_of(tx),
        frame_of(tx),
        outcome_of(tx) if outcome is None else outcome,
        message,
        details,
    )


def with_severity(rule: RuleInfo, severity: Severity) -> RuleInfo:
    """The rule as reported at another severity (e.g. lowered when the plant is unknown)."""
    return rule if rule.severity == severity else replace(rule, severity=severity)


def endpoint_text(endpoint: Endpoint) -> str:
    if endpoint.port == 0:
        return endpoint.ip
    if ":" in endpoint.ip:
        return f"[{endpoint.ip}]:{endpoint.port}"
    return f"{endpoint.ip}:{endpoint.port}"

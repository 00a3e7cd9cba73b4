"""Audit records as alerts: every refusal, every flagged request, every framing anomaly.

``alerts_from_audit`` reads the gateway's records (``audit.read_records``) and returns
``interlock.detect.alert.Alert`` values for the store and the exports: the rule is the
policy rule that decided, techniques follow the rule's kind and the request's function,
the outcome is ``refused`` for a request the gateway answered itself and ``attempted`` for
one it forwarded (monitor mode, fail-open). Consecutive records of one rule between the
same endpoints within ``window`` seconds become one alert with a count, as detection does.
Evidence points at audit records: the "capture" is the chain's first hash, the "frame"
the record's sequence number.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from interlock.detect.alert import Alert, AlertEndpoint, FrameEvidence, Outcome, Severity

TECHNIQUES: Final[dict[str, tuple[str, ...]]] = {
    "envelope": ("T0836",),  # Modify Parameter: a setpoint outside its envelope
    "interlock": ("T0831", "T0836"),  # Manipulation of Control: a write against an interlock
    "access": ("T0855",),  # Unauthorized Command Message: a client or operation not allowed
    "default": ("T0855",),
    "malformed": ("T0814",),  # Denial of Service: malformed requests
    "anomaly": ("T0814",),
    "gateway": (),  # the gateway's own failure to decide: operational, not an attack
}
READ_TECHNIQUES: Final = ("T0801",)  # Monitor Process State: reads by a client not allowed
IDENTITY_TECHNIQUES: Final = ("T0888",)  # Remote System Information Discovery
SUB_FUNCTION_TECHNIQUES: Final[dict[tuple[int, int], tuple[str, str]]] = {
    (8, 1): ("T0816", "critical"),  # Device Restart/Shutdown: restart communications
    (8, 4): ("T0814", "critical"),  # Denial of Service: force listen-only mode
}
PROGRAM_FUNCTIONS: Final = frozenset({90, 125, 126})  # UMAS, program/firmware: T0843


def alerts_from_audit(
    records: Iterable[dict[str, Any]], site: str = "default", window: float = 60.0
) -> list[Alert]:
    alerts: list[Alert] = []
    open_alerts: dict[tuple[str, ...], Alert] = {}
    capture = ""
    for record in records:
        capture = capture or str(record.get("hash", ""))
        alert = _alert(record, site, capture)
        if alert is None:
            continue
        key = (alert.rule, alert.src.ip, alert.dst.ip, str(alert.dst.port), alert.outcome)
        current = open_alerts.get(key)
        if current is not None and alert.first_seen - current.last_seen <= window:
            current.count += 1
            current.last_seen = alert.last_seen
            for evidence in alert.evidence:
                current.add_evidence(evidence)
            continue
        open_alerts[key] = alert
        alerts.append(alert)
    return alerts


def _alert(record: dict[str, Any], site: str, capture: str) -> Alert | None:
    event = record.get("event")
    if event == "decision" and record.get("verdict") in ("alert", "block"):
        return _decision_alert(record, site, capture)
    if event == "anomaly":
        return _anomaly_alert(record, site, capture)
    return None


def _decision_alert(record: dict[str, Any], site: str, capture: str) -> Alert:
    kind = str(record.get("kind") or "access")
    techniques, severity = _techniques(record, kind)
    action = record.get("action")
    outcome: Outcome = "refused" if action == "refused" else "attempted"
    if action == "unavailable":
        outcome = "unknown"
    rule = str(record.get("rule") or kind)
    function = record.get("function") or f"function {record.get('function_code')}"
    where = (
        f" at {record['space']} {record['address']}" if record.get("address") is not None else ""
    )
    verb = "refused" if outcome == "refused" else "flagged"
    return Alert(
        rule=rule,
        title=f"{function} {verb} by the gateway ({kind} rule {rule})",
        severity=severity,
        techniques=techniques,
        outcome=outcome,
        src=_endpoint(record.get("client")),
        dst=_endpoint(record.get("server")),
        protocol=str(record.get("protocol", "")),
        first_seen=float(record.get("time", 0.0)),
        last_seen=float(record.get("time", 0.0)),
        site=site,
        evidence=[FrameEvidence(capture, int(record.get("seq", 0)))],
        message=f"{function}{where} from {record.get('client')} (unit {record.get('unit')}): "
        f"{record.get('reason', '')}",
        details={
            "unit": record.get("unit"),
            "function_code": record.get("function_code"),
            "address": record.get("address"),
            "values": record.get("values"),
            "asset": record.get("asset"),
            "tags": record.get("tags"),
            "mode": record.get("mode"),
            "action": action,
            "exception_code": record.get("exception_code"),
            "failure": record.get("failure"),
            "policy": record.get("policy"),
        },
    )


def _techniques(record: dict[str, Any], kind: str) -> tuple[tuple[str, ...], Severity]:
    severity: Severity = "high" if record.get("verdict") == "block" else "medium"
    criticality = record.get("criticality")
    if criticality == "critical" or (criticality == "high" and severity == "medium"):
        severity = "critical" if severity == "high" else "high"  # the asset raises it a step
    function = record.get("function_code")
    sub = record.get("sub_function")
    if (
        isinstance(function, int)
        and isinstance(sub, int)
        and (function, sub) in SUB_FUNCTION_TECHNIQUES
    ):
        technique, level = SUB_FUNCTION_TECHNIQUES[function, sub]
        return (technique,), level  # type: ignore[return-value]
    if function in PROGRAM_FUNCTIONS:
        return ("T0843",), "critical"
    if kind in ("access", "default"):
        if function in (17, 43):
            return IDENTITY_TECHNIQUES, severity
        if function in (1, 2, 3, 4, 24):
            return READ_TECHNIQUES, severity
    return TECHNIQUES.get(kind, ("T0855",)), severity


def _anomaly_alert(record: dict[str, Any], site: str, capture: str) -> Alert:
    code = str(record.get("code", "anomaly"))
    return Alert(
        rule=f"gateway.{code}" if not code.startswith("gateway.") else code,
        title=f"Malformed or abusive input at the gateway ({code})",
        severity="medium",
        techniques=TECHNIQUES["anomaly"],
        outcome="refused",
        src=_endpoint(record.get("client")),
        dst=_endpoint(record.get("server")),
        protocol=str(record.get("protocol", "modbus")),
        first_seen=float(record.get("time", 0.0)),
        last_seen=float(record.get("time", 0.0)),
        site=site,
        evidence=[FrameEvidence(capture, int(record.get("seq", 0)))],
        message=f"{code} from {record.get('client')}: {record.get('action', '')}",
        details={"code": code, "action": record.get("action")},
    )


def _endpoint(text: object) -> AlertEndpoint:
    if not isinstance(text, str) or not text:
        return AlertEndpoint("")
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit():
        return AlertEndpoint(text)
    return AlertEndpoint(host.strip("[]"), int(port))

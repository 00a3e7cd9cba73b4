"""Alert -> Elastic Common Schema (ECS 9.x) document, one JSON line per alert.

Standard fields where ECS has them (``event.*``, ``rule.*``, ``threat.*``, ``source.*``,
``destination.*``, ``network.*``, ``observer.*``); what ECS has no field for (evidence frames,
asset ids, the device's outcome in Interlock's words, the rule's details) lives under the custom
``interlock.*`` namespace, which ECS reserves for exactly that. Pure: no clock, no I/O.
"""

from __future__ import annotations

from typing import Any, Final

from interlock import __version__
from interlock.detect.alert import Alert, AlertEndpoint, Outcome, Severity
from interlock.detect.export.fields import address_kind, port_of, rfc3339
from interlock.detect.export.techniques import FRAMEWORK, describe

ECS_VERSION: Final = "9.4.0"

ECS_SEVERITY: Final[dict[Severity, int]] = {"low": 21, "medium": 47, "high": 73, "critical": 99}
"""Elastic Security's own severity -> risk-score defaults, so rules sort the same in Kibana."""

ECS_OUTCOME: Final[dict[Outcome, str]] = {
    "succeeded": "success",
    "refused": "failure",
    "attempted": "unknown",
    "unknown": "unknown",
}


def to_ecs(alert: Alert, observer_hostname: str | None = None) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "@timestamp": rfc3339(alert.first_seen),
        "ecs": {"version": ECS_VERSION},
        "message": alert.message or alert.title,
        "event": _event(alert),
        "rule": {
            "id": alert.rule,
            "name": alert.title,
            "description": _rule_description(alert),
            "ruleset": "interlock",
        },
        "source": _endpoint(alert.src),
        "destination": _endpoint(alert.dst),
        "network": _network(alert),
        "observer": _observer(alert, observer_hostname),
        "interlock": {
            "alert_id": alert.id,
            "site": alert.site,
            "outcome": alert.outcome,
            "count": alert.count,
            "severity": alert.severity,
            "evidence": [item.as_dict() for item in alert.evidence],
            "source_asset_id": alert.src.asset,
            "destination_asset_id": alert.dst.asset,
            "details": alert.details,
        },
    }
    if alert.techniques:
        doc["threat"] = _threat(alert)
    return doc


def _event(alert: Alert) -> dict[str, Any]:
    return {
        "kind": "alert",
        "category": ["intrusion_detection", "network"],
        "type": ["info"],
        "outcome": ECS_OUTCOME[alert.outcome],
        "severity": ECS_SEVERITY[alert.severity],
        "id": alert.id,
        "code": alert.rule,
        "reason": alert.message or alert.title,
        "start": rfc3339(alert.first_seen),
        "end": rfc3339(alert.last_seen),
        "duration": (round(alert.last_seen * 1e6) - round(alert.first_seen * 1e6)) * 1000,
        "module": "interlock",
        "dataset": "interlock.alerts",
        "provider": "interlock",
    }


def _rule_description(alert: Alert) -> str:
    described = alert.details.get("description")
    return described if isinstance(described, str) and described else alert.title


def _endpoint(endpoint: AlertEndpoint) -> dict[str, Any]:
    out: dict[str, Any] = {}
    kind = address_kind(endpoint.ip)
    if kind in ("ipv4", "ipv6"):
        out["ip"] = endpoint.ip
    elif kind == "mac":
        out["mac"] = endpoint.ip.replace(":", "-").upper()  # ECS: RFC 7042 notation
    if endpoint.ip:
        out["address"] = endpoint.ip
    port = port_of(endpoint)
    if port is not None:
        out["port"] = port
    return out


def _network(alert: Alert) -> dict[str, Any]:
    out: dict[str, Any] = {"protocol": alert.protocol.lower()}
    kind = address_kind(alert.dst.ip)
    if kind in ("ipv4", "ipv6"):
        out["type"] = kind
    transport = alert.details.get("transport")
    if transport in ("tcp", "udp"):
        out["transport"] = transport
    return out


def _observer(alert: Alert, hostname: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "vendor": "Interlock",
        "product": "Interlock",
        "version": __version__,
        "type": "ids",
        "name": alert.site,
    }
    if hostname:
        out["hostname"] = hostname
    return out


def _threat(alert: Alert) -> dict[str, Any]:
    techniques = [describe(t) for t in alert.techniques]
    tactics = {tactic.id: tactic for t in techniques for tactic in t.tactics}
    threat: dict[str, Any] = {
        "framework": FRAMEWORK,
        "technique": {
            "id": [t.id for t in techniques],
            "name": [t.name or t.id for t in techniques],
            "reference": [t.url for t in techniques],
        },
    }
    if tactics:
        threat["tactic"] = {
            "id": list(tactics),
            "name": [t.name for t in tactics.values()],
            "reference": [t.url for t in tactics.values()],
        }
    return threat

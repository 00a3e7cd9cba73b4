"""Alert -> OCSF 1.8.0 Detection Finding (class 2004, category 2 Findings).

Mapping (docs/detect-exports.md has the full table): one finding per alert, activity Create,
status New, ``finding_info.uid`` = the alert id so a SIEM can deduplicate re-exports; the rule is
the analytic (type Rule); ATT&CK for ICS techniques become ``finding_info.attacks``; the two
endpoints and the capture frames are one evidence artifact. Interlock watches passively, so the
security-control profile says action Observed, disposition Detected; what the *device* did with
the request (the alert's outcome) goes to ``status_detail`` and ``unmapped.interlock``.

Pure: the event depends only on the alert and the product version.
"""

from __future__ import annotations

from typing import Any, Final

from interlock import __version__
from interlock.detect.alert import Alert, AlertEndpoint, Severity
from interlock.detect.export.fields import (
    OUTCOME_TEXT,
    address_kind,
    epoch_ms,
    mac_colons,
    port_of,
)
from interlock.detect.export.techniques import ATTACK_VERSION, describe

OCSF_VERSION: Final = "1.8.0"
CATEGORY_UID: Final = 2  # Findings
CLASS_UID: Final = 2004  # Detection Finding = 2 * 1000 + 4
ACTIVITY_CREATE: Final = 1
STATUS_NEW: Final = 1
ANALYTIC_RULE: Final = 1
ACTION_OBSERVED: Final = 3
DISPOSITION_DETECTED: Final = 15
OBSERVABLE_IP: Final = 2
OBSERVABLE_MAC: Final = 3
ROLE_TARGET: Final = 1

SEVERITY_ID: Final[dict[Severity, tuple[int, str]]] = {
    "low": (2, "Low"),
    "medium": (3, "Medium"),
    "high": (4, "High"),
    "critical": (5, "Critical"),
}


def to_ocsf(alert: Alert) -> dict[str, Any]:
    severity_id, severity = SEVERITY_ID[alert.severity]
    first, last = epoch_ms(alert.first_seen), epoch_ms(alert.last_seen)
    return {
        "activity_id": ACTIVITY_CREATE,
        "activity_name": "Create",
        "category_uid": CATEGORY_UID,
        "category_name": "Findings",
        "class_uid": CLASS_UID,
        "class_name": "Detection Finding",
        "type_uid": CLASS_UID * 100 + ACTIVITY_CREATE,
        "type_name": "Detection Finding: Create",
        "severity_id": severity_id,
        "severity": severity,
        "time": first,
        "timezone_offset": 0,
        "start_time": first,
        "end_time": last,
        "duration": last - first,
        "count": alert.count,
        "message": alert.message or alert.title,
        "status_id": STATUS_NEW,
        "status": "New",
        "status_detail": OUTCOME_TEXT[alert.outcome],
        "is_alert": True,
        "action_id": ACTION_OBSERVED,
        "action": "Observed",
        "disposition_id": DISPOSITION_DETECTED,
        "disposition": "Detected",
        "metadata": _metadata(alert),
        "finding_info": _finding_info(alert, first, last),
        "evidences": [_evidence(alert)],
        "observables": _observables(alert),
        **_resources(alert),
        "unmapped": {
            "interlock": {
                "outcome": alert.outcome,
                "protocol": alert.protocol,
                "site": alert.site,
                "details": alert.details,
            }
        },
    }


def _metadata(alert: Alert) -> dict[str, Any]:
    return {
        "version": OCSF_VERSION,
        "product": {"name": "Interlock", "vendor_name": "Interlock", "version": __version__},
        "profiles": ["security_control"],
        "log_name": "alerts",
        "uid": alert.id,
    }


def _finding_info(alert: Alert, first: int, last: int) -> dict[str, Any]:
    info: dict[str, Any] = {
        "uid": alert.id,
        "title": alert.title,
        "types": [f"OT/ICS/{alert.protocol}"],
        "created_time": first,
        "first_seen_time": first,
        "last_seen_time": last,
        "analytic": {
            "uid": alert.rule,
            "name": alert.title,
            "type_id": ANALYTIC_RULE,
            "type": "Rule",
        },
    }
    if alert.message:
        info["desc"] = alert.message
    if alert.techniques:
        info["attacks"] = [_attack(t) for t in alert.techniques]
    return info


def _attack(technique_id: str) -> dict[str, Any]:
    technique = describe(technique_id)
    entry: dict[str, Any] = {
        "version": ATTACK_VERSION,
        "technique": {"uid": technique.id, "src_url": technique.url},
    }
    if technique.name:
        entry["technique"]["name"] = technique.name
    tactics = [{"uid": t.id, "name": t.name, "src_url": t.url} for t in technique.tactics]
    if tactics:
        entry["tactic"] = tactics[0]
        entry["tactics"] = tactics
    return entry


def _endpoint(endpoint: AlertEndpoint, service: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    kind = address_kind(endpoint.ip)
    if kind in ("ipv4", "ipv6"):
        out["ip"] = endpoint.ip
    elif kind == "mac":
        out["mac"] = mac_colons(endpoint.ip)
    elif endpoint.ip:
        out["name"] = endpoint.ip
    port = port_of(endpoint)
    if port is not None:
        out["port"] = port
    if endpoint.asset is not None:
        out["uid"] = str(endpoint.asset)
    if service:
        out["svc_name"] = service
    if not ({"ip", "name", "uid", "svc_name"} & out.keys()):
        out["name"] = "unknown"  # the class requires one identifying attribute
    return out


def _evidence(alert: Alert) -> dict[str, Any]:
    return {
        "name": f"{alert.protocol} traffic",
        "src_endpoint": _endpoint(alert.src),
        "dst_endpoint": _endpoint(alert.dst, alert.protocol),
        "data": {
            "protocol": alert.protocol,
            "frames": [item.as_dict() for item in alert.evidence],
        },
    }


def _observables(alert: Alert) -> list[dict[str, Any]]:
    out = []
    for side, endpoint in (("src_endpoint", alert.src), ("dst_endpoint", alert.dst)):
        kind = address_kind(endpoint.ip)
        if kind in ("ipv4", "ipv6"):
            out.append(
                {"name": f"evidences.{side}.ip", "type_id": OBSERVABLE_IP, "value": endpoint.ip}
            )
        elif kind == "mac":
            out.append(
                {
                    "name": f"evidences.{side}.mac",
                    "type_id": OBSERVABLE_MAC,
                    "value": mac_colons(endpoint.ip),
                }
            )
    return out


def _resources(alert: Alert) -> dict[str, Any]:
    """The targeted asset, when the inventory knows it (OCSF: the finding's affected resource)."""
    if alert.dst.asset is None:
        return {}
    resource: dict[str, Any] = {
        "uid": str(alert.dst.asset),
        "type": "asset",
        "name": alert.dst.ip,
        "role_id": ROLE_TARGET,
        "role": "Target",
    }
    if address_kind(alert.dst.ip) in ("ipv4", "ipv6"):
        resource["ip"] = alert.dst.ip
    return {"resources": [resource]}

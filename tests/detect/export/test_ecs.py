"""Elastic ECS export: one valid JSON document per line with ECS's fields and vocabularies."""

from __future__ import annotations

from datetime import datetime

import orjson
import pytest

from interlock.detect.export import render_alerts
from interlock.detect.export.ecs import to_ecs

from .conftest import alert_variants, make_alert

# Allowed values from ECS 9.x (schemas/event.yml), as listed in siem-formats.md
KINDS = {"alert", "asset", "enrichment", "event", "metric", "state", "pipeline_error", "signal"}
CATEGORIES = {
    "api", "authentication", "configuration", "database", "driver", "email", "file", "host",
    "iam", "intrusion_detection", "library", "malware", "network", "package", "process",
    "registry", "session", "threat", "vulnerability", "web",
}  # fmt: skip
TYPES = {
    "access", "admin", "allowed", "change", "connection", "creation", "deletion", "denied",
    "device", "end", "error", "group", "indicator", "info", "installation", "protocol", "start",
    "user",
}  # fmt: skip
OUTCOMES = {"failure", "success", "unknown"}


@pytest.mark.parametrize("alert", alert_variants(), ids=lambda a: a.protocol)
def test_lines_are_ecs_documents(alert) -> None:
    (line,) = render_alerts([alert], "ecs")
    assert "\n" not in line
    doc = orjson.loads(line)
    datetime.fromisoformat(doc["@timestamp"])
    assert doc["ecs"]["version"].startswith("9.")
    event = doc["event"]
    assert event["kind"] == "alert"
    assert set(event["category"]) <= CATEGORIES and set(event["type"]) <= TYPES
    assert event["kind"] in KINDS and event["outcome"] in OUTCOMES
    assert isinstance(event["severity"], int)
    assert doc["rule"]["id"] == alert.rule and doc["rule"]["name"] == alert.title
    assert doc["rule"]["description"]
    assert doc["network"]["protocol"] == alert.protocol.lower()
    assert doc["observer"]["product"] == "Interlock"
    assert doc["interlock"]["alert_id"] == alert.id
    assert doc["interlock"]["evidence"] == [e.as_dict() for e in alert.evidence]
    if alert.techniques:
        assert doc["threat"]["framework"] == "MITRE ATT&CK for ICS"
        assert doc["threat"]["technique"]["id"] == list(alert.techniques)
    else:
        assert "threat" not in doc


def test_mapping_of_the_alert() -> None:
    alert = make_alert(techniques=("T0816",), outcome="refused")
    doc = to_ecs(alert, observer_hostname="sensor-1")
    assert doc["@timestamp"] == "2024-05-31T16:08:37.250125Z"
    assert doc["event"]["start"] == doc["@timestamp"]
    assert doc["event"]["end"] == "2024-05-31T16:09:37.500000Z"
    assert doc["event"]["duration"] == 60_249_875_000  # nanoseconds
    assert doc["event"]["outcome"] == "failure"
    assert doc["source"] == {"ip": "10.10.1.20", "address": "10.10.1.20", "port": 51514}
    assert doc["destination"]["ip"] == "10.10.2.5" and doc["destination"]["port"] == 502
    assert doc["network"]["type"] == "ipv4"
    assert doc["threat"]["technique"]["name"] == ["Device Restart/Shutdown"]
    assert doc["threat"]["tactic"]["id"] == ["TA0107"]
    assert doc["observer"]["hostname"] == "sensor-1"
    assert doc["interlock"]["source_asset_id"] == 4


def test_severity_orders_and_outcomes_map() -> None:
    order = [
        to_ecs(make_alert(severity=s))["event"]["severity"]
        for s in ("low", "medium", "high", "critical")
    ]
    assert order == sorted(order) and len(set(order)) == 4
    outcomes = {
        o: to_ecs(make_alert(outcome=o))["event"]["outcome"]
        for o in ("attempted", "succeeded", "refused", "unknown")
    }
    assert outcomes == {
        "attempted": "unknown",
        "succeeded": "success",
        "refused": "failure",
        "unknown": "unknown",
    }


def test_mac_endpoints_use_ecs_notation() -> None:
    doc = to_ecs(alert_variants()[4])
    assert doc["source"]["mac"] == "00-1B-1B-AA-BB-01"
    assert "ip" not in doc["source"] and "type" not in doc["network"]

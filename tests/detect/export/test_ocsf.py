"""OCSF Detection Finding export, validated against the official OCSF 1.8.0 schema sources."""

from __future__ import annotations

import copy

import orjson
import pytest

from interlock import __version__
from interlock.detect.export import render_alerts
from interlock.detect.export.ocsf import to_ocsf

from .conftest import DETECTION_FINDING, alert_variants, make_alert
from .ocsf_schema import OcsfSchema


def test_schema_states_the_detection_finding_required_attributes(ocsf_schema: OcsfSchema) -> None:
    # The list the reference (siem-formats.md, OCSF 1.8) gives for every event, plus the
    # class's own finding_info: checks the resolver reads extends/includes/profiles right.
    compiled = ocsf_schema.event_class(DETECTION_FINDING)
    assert ocsf_schema.version == "1.8.0"
    assert compiled["class_uid"] == 2004 and compiled["category_uid"] == 2
    assert ocsf_schema.required(compiled) == {
        "activity_id", "category_uid", "class_uid", "type_uid", "severity_id", "time",
        "metadata", "finding_info",
    }  # fmt: skip
    metadata = ocsf_schema.object_type("metadata")
    assert ocsf_schema.required(metadata) == {"product", "version"}
    assert ocsf_schema.required(ocsf_schema.object_type("finding_info")) == {"uid"}
    assert ocsf_schema.required(ocsf_schema.object_type("analytic")) == {"type_id"}


@pytest.mark.parametrize("alert", alert_variants(), ids=lambda a: f"{a.protocol}-{a.severity}")
def test_every_alert_shape_is_a_valid_detection_finding(alert, ocsf_schema: OcsfSchema) -> None:
    event = orjson.loads(next(render_alerts([alert], "ocsf")))
    assert ocsf_schema.validate_event(event, DETECTION_FINDING) == []
    required = ocsf_schema.required(ocsf_schema.event_class(DETECTION_FINDING))
    assert required <= event.keys()


def test_validator_rejects_what_the_schema_forbids(ocsf_schema: OcsfSchema) -> None:
    good = to_ocsf(make_alert())
    breakages = {
        "time": lambda e: e.pop("time"),
        "finding_info.uid": lambda e: e["finding_info"].pop("uid"),
        "type_uid": lambda e: e.update(type_uid=200402),
        "severity": lambda e: e.update(severity="Severe"),
        "severity_id": lambda e: e.update(severity_id=7),
        "port": lambda e: e["evidences"][0]["src_endpoint"].update(port=70000),
        "ip": lambda e: e["evidences"][0]["src_endpoint"].update(ip="10.0.0.300"),
        "profile": lambda e: e["metadata"].update(profiles=[]),
        "unknown attribute": lambda e: e.update(plant="a"),
        "metadata.version": lambda e: e["metadata"].update(version="1.1.0"),
        "analytic.type_id": lambda e: e["finding_info"]["analytic"].update(type_id=12),
        "attack constraint": lambda e: e["finding_info"]["attacks"][0].clear(),
    }
    for name, breakage in breakages.items():
        event = copy.deepcopy(good)
        breakage(event)
        assert ocsf_schema.validate_event(event, DETECTION_FINDING), f"{name} not caught"


def test_mapping_of_the_alert() -> None:
    alert = make_alert(severity="critical", techniques=("T0858",), count=7)
    event = to_ocsf(alert)
    assert event["class_uid"] == 2004 and event["category_uid"] == 2
    assert event["type_uid"] == 2004 * 100 + event["activity_id"] == 200401
    assert (event["severity_id"], event["severity"]) == (5, "Critical")
    assert event["time"] == event["start_time"] == round(alert.first_seen * 1000)
    assert event["end_time"] == round(alert.last_seen * 1000)
    assert event["count"] == 7
    assert event["metadata"]["version"] == "1.8.0"
    assert event["metadata"]["product"] == {
        "name": "Interlock",
        "vendor_name": "Interlock",
        "version": __version__,
    }
    info = event["finding_info"]
    assert info["uid"] == alert.id and info["title"] == alert.title
    assert info["desc"] == alert.message
    assert info["first_seen_time"] == event["time"]
    assert info["last_seen_time"] == event["end_time"]
    assert info["analytic"] == {
        "uid": alert.rule,
        "name": alert.title,
        "type_id": 1,
        "type": "Rule",
    }
    (attack,) = info["attacks"]
    assert attack["technique"]["uid"] == "T0858"
    assert attack["technique"]["name"] == "Change Operating Mode"
    # T0858 sits under two tactics in ATT&CK for ICS v18.1: Execution and Evasion
    assert [t["uid"] for t in attack["tactics"]] == ["TA0104", "TA0103"]
    evidence = event["evidences"][0]
    assert evidence["src_endpoint"] == {"ip": "10.10.1.20", "port": 51514, "uid": "4"}
    assert evidence["dst_endpoint"]["ip"] == "10.10.2.5"
    assert evidence["dst_endpoint"]["port"] == 502
    assert evidence["data"]["frames"] == [e.as_dict() for e in alert.evidence]
    assert event["unmapped"]["interlock"]["outcome"] == "succeeded"
    assert event["status_detail"].startswith("succeeded")
    assert event["resources"][0]["uid"] == "9"


def test_severity_and_outcome_mappings() -> None:
    ids = {
        s: to_ocsf(make_alert(severity=s))["severity_id"]
        for s in ("low", "medium", "high", "critical")
    }
    assert ids == {"low": 2, "medium": 3, "high": 4, "critical": 5}
    for outcome in ("attempted", "succeeded", "refused", "unknown"):
        event = to_ocsf(make_alert(outcome=outcome))
        assert event["unmapped"]["interlock"]["outcome"] == outcome
        assert event["status_detail"].startswith(outcome)
        assert (event["action_id"], event["disposition_id"]) == (3, 15)  # passive: observed


def test_same_alert_gives_identical_events() -> None:
    first = list(render_alerts(alert_variants(), "ocsf"))
    assert first == list(render_alerts(alert_variants(), "ocsf"))


def test_unknown_technique_keeps_its_id() -> None:
    attacks = to_ocsf(make_alert(techniques=("T1692.001",)))["finding_info"]["attacks"]
    assert attacks == [
        {
            "version": "18.1",
            "technique": {
                "uid": "T1692.001",
                "src_url": "https://attack.mitre.org/techniques/T1692/001/",
            },
        }
    ]

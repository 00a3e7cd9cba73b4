"""Fixtures for the export tests: sample alerts and the official OCSF schema sources."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from interlock.detect.alert import Alert, AlertEndpoint, FrameEvidence
from tests_support import SHARED

from .ocsf_schema import OcsfSchema

DETECTION_FINDING = "events/findings/detection_finding.json"


def governance_dir() -> Path:
    """../shared/governance ($INTERLOCK_GOVERNANCE overrides), or a skip (a failure under CI)."""
    root = Path(os.environ.get("INTERLOCK_GOVERNANCE") or SHARED / "governance")
    if not (root / "schemas" / "ocsf" / DETECTION_FINDING).is_file():
        message = f"OCSF schema sources not found at {root}/schemas/ocsf (shared governance data)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI=true: it must be present)")
        pytest.skip(message)
    return root


@pytest.fixture(scope="session")
def ocsf_schema() -> OcsfSchema:
    return OcsfSchema(governance_dir() / "schemas" / "ocsf")


def make_alert(**changes: object) -> Alert:
    """A PLC restart seen on Modbus: every field set, overridable."""
    values: dict[str, object] = {
        "rule": "modbus.restart",
        "title": "Modbus device restart requested",
        "severity": "high",
        "techniques": ("T0816",),
        "outcome": "succeeded",
        "src": AlertEndpoint("10.10.1.20", 51514, 4),
        "dst": AlertEndpoint("10.10.2.5", 502, 9),
        "protocol": "modbus",
        "first_seen": 1_717_171_717.250125,
        "last_seen": 1_717_171_777.5,
        "site": "plant-a",
        "count": 3,
        "evidence": [FrameEvidence("7f" * 32, 118), FrameEvidence("7f" * 32, 240)],
        "message": "Restart Communications Option (FC 8/1) sent to 10.10.2.5 unit 1",
        "details": {"function": 8, "subfunction": 1, "unit": 1},
    }
    values.update(changes)
    return Alert(**values)  # type: ignore[arg-type]


def alert_variants() -> list[Alert]:
    """Shapes the exporters must all handle: IPv6, link layer, no port, no asset, no
    technique, an unknown technique, every severity and outcome, awkward text."""
    return [
        make_alert(),
        make_alert(severity="low", outcome="attempted", techniques=()),
        make_alert(severity="medium", outcome="refused", techniques=("T0858", "T0816")),
        make_alert(
            severity="critical",
            outcome="unknown",
            src=AlertEndpoint("2001:db8::20", 40000),
            dst=AlertEndpoint("2001:db8::5", 20000),
            protocol="dnp3",
            techniques=("T0814", "T1692.001"),
        ),
        make_alert(
            src=AlertEndpoint("00:1b:1b:aa:bb:01", None),
            dst=AlertEndpoint("01-0e-cf-00-00-00", None),
            protocol="pn_dcp",
            techniques=("T0846",),
            evidence=[],
        ),
        make_alert(
            title="Pipe | back\\slash = equals",
            message="line one\nline two\r\nkey=value | ünïcødé ✓",
            site="site with spaces = and \\",
            rule="custom.rule|x",
            details={"bytes": b"\x00\xff", "nested": {"a": [1, 2]}},
            src=AlertEndpoint("10.0.0.1", 0),
            dst=AlertEndpoint("10.0.0.2", None, None),
        ),
    ]

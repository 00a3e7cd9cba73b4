"""The baseline detector inside a detection run, beside the shipped rules, as
`interlock detect --baseline` and `analyze --baseline` will run it: its hits become alerts
of the contract shape (../shared/spec/detect.md), deterministic across runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from detect.baseline import plant
from detect.baseline.helpers import learn, reloaded
from interlock import dissect as job
from interlock.capture import open_capture
from interlock.detect.baseline import RULE_IDS, Baseline, BaselineDetector
from interlock.detect.baseline.captures import sha256_of
from interlock.detect.context import InventoryContext
from interlock.detect.engine import DetectionRun
from interlock.detect.job import DetectSink
from interlock.detect.loader import load_rules

CONTRACT = {"id", "rule", "severity", "techniques", "outcome", "src", "dst", "first_seen",
            "last_seen", "count", "evidence"}  # fmt: skip


def detect(baseline: Baseline, capture: Path) -> list[dict[str, Any]]:
    digest = sha256_of(capture)
    run = DetectionRun(
        load_rules(),
        InventoryContext(None, None),
        digest,
        "lab",
        extra=[BaselineDetector(baseline)],
    )
    result = job.run(open_capture(capture), DetectSink(run), {})
    assert result.error is None
    return [alert.as_contract() for alert in run.finish().alerts]


def test_baseline_alerts_beside_the_shipped_rules(
    normal_capture: Path, attack_capture: Path
) -> None:
    baseline = reloaded(learn(normal_capture))
    assert not [a for a in detect(baseline, normal_capture) if a["rule"].startswith("baseline.")]
    alerts = detect(baseline, attack_capture)
    ours = [a for a in alerts if a["rule"].startswith("baseline.")]
    assert {a["rule"] for a in ours} == set(RULE_IDS)
    for alert in ours:
        assert set(alert) >= CONTRACT
        assert alert["details"]["baseline_entry"]
        assert alert["evidence"][0]["capture"] == sha256_of(attack_capture)
    rogue = next(a for a in ours if a["rule"] == "baseline.unknown_client_command")
    assert rogue["src"]["ip"] == plant.ROGUE and rogue["techniques"] == ["T0848", "T0855"]
    assert rogue["severity"] == "critical" and rogue["outcome"] == "succeeded"
    assert detect(baseline, attack_capture) == alerts

"""The behaviour pack through the rule loader, its own tests file, and a detection run."""

from __future__ import annotations

import pytest

from interlock.capture.reader import open_capture
from interlock.detect.behaviour import KINDS
from interlock.detect.job import detect_frames
from interlock.detect.loader import load_rules, shipped_dir
from interlock.detect.testing import run_tests
from tests_support import corpus_dir


def test_every_behaviour_rule_loads_with_its_kind() -> None:
    rules = [r for r in load_rules().rules if r.info.id.startswith("behaviour.")]
    assert len(rules) == 21
    assert {r.kind for r in rules} == set(KINDS)
    assert all(r.info.techniques and r.info.description for r in rules)


def test_the_pack_passes_its_own_tests() -> None:
    pack = shipped_dir() / "behaviour.yaml"
    results, errors = run_tests([pack], load_rules())
    assert errors == []
    failed = [f"{r.where} {r.rule}: {r.name}: {r.problem}" for r in results if not r.passed]
    assert failed == []
    assert len(results) >= 40


@pytest.mark.corpus
def test_a_detection_run_aggregates_the_nmap_sweep_into_one_alert() -> None:
    capture = corpus_dir() / "pcaps" / "scan" / "zeek_nmap_version_scan.pcap"
    result, run = detect_frames(open_capture(capture), load_rules(), "nmap")
    assert run.error is None
    [alert] = result.alerts
    assert alert.rule == "behaviour.discovery.arp-sweep" and alert.count == 2
    assert alert.as_contract()["techniques"] == ["T0846"]
    assert "c4:2c:03:3b:6c:aa (192.168.1.71) sent arp request to 64" in alert.message

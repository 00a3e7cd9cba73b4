"""The shipped rule packs: every rule's own tests pass, every rule has a firing and a
non-firing case, and every anomaly code a dissector emits is covered by a rule (or is
named as describing the capture rather than the peer)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from interlock.detect.anomalies import CAPTURE_ARTEFACTS, NOT_VIOLATIONS
from interlock.detect.context import InventoryContext
from interlock.detect.engine import DetectionRun
from interlock.detect.loader import load_rules, pack_files, shipped_dir
from interlock.detect.testing import CaseResult, run_tests
from interlock.model import Endpoint, OperationClass, Transaction

RULES = load_rules()
RESULTS, ERRORS = run_tests(pack_files(shipped_dir()), RULES)
PROTOCOLS = Path(__file__).resolve().parents[2] / "src" / "interlock" / "protocols"
TRANSACTION_PROTOCOL = {"cip": "enip"}


def test_the_tests_files_load_without_errors() -> None:
    assert [str(e) for e in ERRORS] == []


@pytest.mark.parametrize("result", RESULTS, ids=lambda r: f"{r.rule}: {r.name}")
def test_rule_case(result: CaseResult) -> None:
    assert result.passed, f"{result.where}: {result.problem}"


def test_every_shipped_rule_has_a_firing_and_a_non_firing_case() -> None:
    for rule in RULES.rules:
        mine = [r.case for r in RESULTS if r.case is not None and r.rule == rule.info.id]
        assert any(c.fires for c in mine), f"{rule.where}: {rule.info.id} has no firing case"
        assert any(not c.fires for c in mine), (
            f"{rule.where}: {rule.info.id} has no non-firing case"
        )


def test_a_failing_case_is_reported_at_its_line(tmp_path: Path) -> None:
    pack = tmp_path / "site.yaml"
    pack.write_text(
        "rules:\n  - id: site.fc17\n    title: t\n    severity: low\n    techniques: [T0888]\n"
        "    match: {protocol: modbus, function: 17}\n"
    )
    (tmp_path / "site.tests.yaml").write_text(
        "cases:\n"
        "  - rule: site.fc17\n    name: wrong expectation\n"
        "    transactions: [{protocol: modbus, function: 17, status: exception}]\n"
        "    expect: [{rule: site.fc17, outcome: succeeded}]\n"
    )
    results, errors = run_tests([pack], load_rules(pack))
    assert errors == []
    failed = [r for r in results if not r.passed]
    assert [(r.where, r.name, r.problem) for r in failed] == [
        (
            f"{tmp_path / 'site.tests.yaml'}:2",
            "wrong expectation",
            "expected site.fc17 succeeded; got site.fc17 refused x1",
        ),
        (f"{pack}:2", "needs a non-firing case", "no non-firing case in site.tests.yaml"),
    ]


def anomaly_codes() -> list[str]:
    """Every `proto.code` string literal in the dissectors (the anomaly vocabulary)."""
    found: set[str] = set()
    literal = re.compile(r'"([a-z0-9_]+(?:-plus)?)\.([a-z0-9_]+)"')
    for path in PROTOCOLS.rglob("*.py"):
        for proto, code in literal.findall(path.read_text()):
            if (PROTOCOLS / proto.replace("-", "_")).is_dir():
                found.add(f"{proto}.{code}")
    return sorted(found)


CODES = anomaly_codes()


def test_the_anomaly_vocabulary_is_found() -> None:
    assert {"modbus.length_mismatch", "dnp3.object_unknown", "cip.path_truncated"} <= set(CODES)
    assert len(CODES) > 150


@pytest.mark.parametrize("code", CODES)
def test_every_anomaly_code_raises_a_rule_unless_it_describes_the_capture(code: str) -> None:
    prefix = code.split(".")[0]
    tx = Transaction(
        TRANSACTION_PROTOCOL.get(prefix, prefix), Endpoint("10.0.0.1", 40000),
        Endpoint("10.0.0.2", 9999), 0x7F, "x", OperationClass.OTHER, "ok", 1, 2, 1.0, 1.1,
        anomalies=(code,),
    )  # fmt: skip
    run = DetectionRun(RULES, InventoryContext(), "c" * 64)
    run.transaction(tx)
    rules = [a.rule for a in run.finish().alerts]
    if code in CAPTURE_ARTEFACTS or code in NOT_VIOLATIONS:
        assert rules == []
    else:
        assert len(rules) == 1 and rules[0].endswith(
            ("protocol_violation", "excessive", "overflow")
        )

"""`interlock policy check|replay|suggest` as a user runs them: errors as FILE:LINE lines
(exit 2, the same for check and replay), the `replay --json` contract (docs/policy.md,
/work/shared/spec/policy.md), and suggest -> check -> replay round trips."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from tests_support import DATA, interlock_command

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "tank.policy.yaml"
ATTACK = DATA / "policy-attack.pcap"
NORMAL = DATA / "policy-normal.pcap"

BROKEN = """\
default: deny
assets: [{name: plc, protocol: modbus, unit: 1}]
tags:
  - {name: level_sp, space: holding_registers, address: 0, envelope: {min: 9, max: 1}}
rules:
  - {name: r, operations: [wrte], tags: [levl_sp]}
"""
BROKEN_LINES = [
    "{path}:4: the envelope of tag `level_sp` has min 9 above max 1",
    "{path}:6: rule `r` names tag `levl_sp`, which is not defined (did you mean `level_sp`?)",
    "{path}:6: unknown operation class `wrte` in rule `r` (did you mean `write`?)",
]

DECISION_KEYS = {
    "capture", "frame", "time", "client", "server", "protocol", "unit", "function",
    "function_name", "sub_function", "operation", "space", "address", "quantity", "values",
    "verdict", "rule", "reason", "mode", "exception_code", "asset", "tag", "tags", "hits",
}  # fmt: skip
SUMMARY_KEYS = {"requests", "allowed", "alerted", "blocked", "rules", "undecided", "captures"}


def interlock(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*interlock_command(), *args], capture_output=True, text=True, check=check, timeout=300
    )


def replay_json(policy: Path, *captures: Path, extra: tuple[str, ...] = ()) -> dict[str, Any]:
    done = interlock("policy", "replay", str(policy), *map(str, captures), "--json", *extra)
    return dict(json.loads(done.stdout))


def test_check_accepts_the_example() -> None:
    done = interlock("policy", "check", str(EXAMPLE))
    assert done.stdout == (
        f"{EXAMPLE}: valid: 1 assets, 12 tags, 4 rules, 3 interlocks, 1 windows "
        "(default deny, enforce)\n"
    )
    doc = json.loads(interlock("policy", "check", str(EXAMPLE), "--json").stdout)
    assert doc["valid"] is True and doc["errors"] == []
    assert doc["interlocks"] == [
        "inlet-valve-needs-pump", "pump-start-below-overflow", "setpoint-below-alarm",
    ]  # fmt: skip
    assert doc["assets"][0]["failure_mode"] == "closed" and doc["tags"] == 12


def test_check_lists_every_error_and_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN)
    done = interlock("policy", "check", str(path), check=False)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines() == [line.format(path=path) for line in BROKEN_LINES]
    as_json = interlock("policy", "check", str(path), "--json", check=False)
    assert as_json.returncode == 2
    doc = json.loads(as_json.stdout)
    assert doc["valid"] is False
    assert [(e["line"], e["file"]) for e in doc["errors"]] == [
        (4, str(path)),
        (6, str(path)),
        (6, str(path)),
    ]


def test_replay_refuses_a_broken_policy_with_the_same_lines(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN)
    done = interlock("policy", "replay", str(path), str(ATTACK), "--json", check=False)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines() == [
        "interlock: the policy has 3 errors:",
        *(line.format(path=path) for line in BROKEN_LINES),
    ]


def test_replay_json_contract() -> None:
    doc = replay_json(EXAMPLE, ATTACK)
    assert set(doc) == {"policy", "decisions", "summary"}
    assert set(doc["summary"]) == SUMMARY_KEYS
    decisions = doc["decisions"]
    assert len(decisions) == doc["summary"]["blocked"] + doc["summary"]["alerted"] == 16
    for d in decisions:
        assert set(d) == DECISION_KEYS
        assert d["verdict"] in ("block", "alert")
        assert isinstance(d["frame"], int) and d["client"].count(":") == 1
    first = decisions[0]
    assert first == {
        **first,
        "frame": 40, "client": "10.20.0.10:49152", "server": "10.10.0.5:502", "function": 6,
        "function_name": "write_single_register", "operation": "write",
        "space": "holding_registers", "address": 0, "values": [5000], "verdict": "block",
        "rule": "level_sp.max", "reason": "level_sp 500.0 % exceeds max 90.0 %", "tag": "level_sp",
        "exception_code": 3, "asset": "tank-plc", "capture": str(ATTACK),
    }  # fmt: skip
    assert [h["rule"] for h in first["hits"]] == [
        "level_sp.max",
        "level_sp.max_step",
        "level_sp.max_rate",
        "setpoint-below-alarm",
    ]
    stranger = [d for d in decisions if d["client"].startswith("10.20.0.66:")]
    assert {d["rule"] for d in stranger} == {"default"} and len(stranger) == 3
    rules = {(r["rule"], r["verdict"]): r["requests"] for r in doc["summary"]["rules"]}
    assert rules[("default", "block")] == 8 and rules[("inlet-valve-needs-pump", "block")] == 2
    assert doc["summary"]["requests"] == 173 and doc["summary"]["allowed"] == 157


def test_replay_is_byte_identical_across_runs_and_all_lists_allowed_requests() -> None:
    args = ("policy", "replay", str(EXAMPLE), str(ATTACK), "--json")
    assert interlock(*args).stdout == interlock(*args).stdout
    everything = replay_json(EXAMPLE, ATTACK, extra=("--all",))
    assert len(everything["decisions"]) == 173
    assert {d["verdict"] for d in everything["decisions"]} == {"allow", "block"}


def test_replay_exit_status_on_request() -> None:
    done = interlock("policy", "replay", str(EXAMPLE), str(ATTACK), "--fail-on-block", check=False)
    assert done.returncode == 1
    assert "173 requests: 157 allowed, 0 alerted, 16 blocked" in done.stdout
    assert "BLOCK by level_sp.max: level_sp 500.0 % exceeds max 90.0 %" in done.stdout
    clean = interlock("policy", "replay", str(EXAMPLE), str(NORMAL), "--fail-on-block")
    assert clean.stdout.strip() == "215 requests: 215 allowed, 0 alerted, 0 blocked"


def test_replay_of_a_missing_capture_is_a_usage_error() -> None:
    done = interlock("policy", "replay", str(EXAMPLE), "absent.pcap", check=False)
    assert done.returncode == 2
    assert done.stderr == "interlock: absent.pcap: no such file\n"


def test_suggest_check_replay_round_trip(tmp_path: Path) -> None:
    captures = [str(DATA / f"policy-{n}.pcap") for n in ("normal", "attack", "maintenance")]
    draft = interlock("policy", "suggest", *captures).stdout
    path = tmp_path / "draft.yaml"
    path.write_text(draft)
    assert "valid:" in interlock("policy", "check", str(path)).stdout
    doc = replay_json(path, *map(Path, captures))
    assert doc["decisions"] == []
    assert doc["summary"]["requests"] == 398 and doc["summary"]["allowed"] == 398
    out = tmp_path / "out.yaml"
    interlock("policy", "suggest", captures[0], "--out", str(out), "--margin", "0.5")
    assert "widened by a margin of 50 %" in out.read_text()

"""`interlock demo`, run in-process with a short duration: the JSON contract (docs/demo.md)
and what it must show: attacks refused, process kept inside its envelope, no legitimate
HMI request refused, the capture analyzed into the store."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest

from interlock.sim.tank.demo import DemoOptions, DemoResult, run_demo
from interlock.sim.tank.demo_report import demo_document
from interlock.sim.tank.scenarios import SCENARIOS
from tests_support import interlock_command

TOP_KEYS = {
    "version", "speed", "simulated_s", "real_s", "out", "policy", "tanks", "summary", "capture",
    "store", "next",
}  # fmt: skip
IMPACT_KEYS = {
    "damage", "envelope_breaches", "level_max", "level_min", "spilled_m3", "pump_starts",
    "plc_silent_s", "plc_restarted", "hmi_requests", "hmi_refused", "hmi_unanswered",
}  # fmt: skip
SUMMARY_KEYS = {
    "attacks", "harmed_tanks", "damaged_tanks", "attacks_stopped", "hmi", "legitimate_refused",
    "latency_added_us",
}  # fmt: skip


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[DemoResult, dict[str, Any]]:
    out = tmp_path_factory.mktemp("demo")
    # The CLI's speed: the policy's 2 s minimum interval is then 20 ms of wall time, well
    # above a round trip through the gateway even on a loaded machine. A longer client
    # timeout than the CLI's, so that a stall is not counted as a lost request (the
    # listen-only tank waits it out, which only slows that tank's clients).
    options = DemoOptions(out, None, speed=100.0, duration_s=300.0, client_timeout_s=2.0)
    result = run_demo(options)
    return result, json.loads(json.dumps(demo_document(result)))


def test_document_shape(demo: tuple[DemoResult, dict[str, Any]]) -> None:
    _, doc = demo
    assert set(doc) == TOP_KEYS
    assert doc["version"] == 1 and doc["speed"] == 100.0 and doc["simulated_s"] == 300.0
    assert set(doc["summary"]) == SUMMARY_KEYS
    assert set(doc["capture"]) == {"path", "frames", "normal"}
    assert set(doc["store"]) == {
        "db", "assets", "alerts", "new_alerts", "gateway_alerts", "detection_error", "capture_error",
    }  # fmt: skip
    assert set(doc["summary"]["latency_added_us"]) == {"p50", "p99", "max", "count"}
    assert [t["name"] for t in doc["tanks"]] == [f"T-{n}" for n in range(101, 109)]
    assert [t["scenario"] for t in doc["tanks"]] == [None, *SCENARIOS]
    for row in doc["tanks"]:
        assert set(row) == {"name", "scenario", "title", "technique", "unprotected", "protected"}
        assert set(row["unprotected"]) == {"impact", "tank"}
        assert set(row["protected"]) == {"impact", "tank", "gateway"}
        assert set(row["unprotected"]["impact"]) == IMPACT_KEYS
        assert set(row["protected"]["gateway"]) == {
            "audit", "forwarded", "refused", "attack_refusals",
        }  # fmt: skip


def test_without_the_gateway_the_attacks_do_damage(demo: tuple[DemoResult, dict[str, Any]]) -> None:
    _, doc = demo
    effect = {t["scenario"]: t["unprotected"]["impact"] for t in doc["tanks"]}
    assert effect[None]["damage"] == [] and effect[None]["envelope_breaches"] == []
    assert "overflow" in effect["out_of_range_setpoint"]["damage"]
    assert "overflow" in effect["too_large_step"]["damage"]
    assert "overflow" in effect["unknown_client_write"]["damage"]
    assert "pump_overstart" in effect["rapid_toggling"]["damage"]
    assert "interlock_bypassed" in effect["interlock_violation"]["envelope_breaches"]
    assert effect["diagnostics"]["plc_silent_s"] > 0
    assert effect["diagnostics"]["hmi_unanswered"] > 0
    assert effect["restart"]["plc_restarted"]
    assert len(doc["summary"]["harmed_tanks"]["unprotected"]) == 7


def test_with_the_gateway_attacks_are_refused_and_the_process_stays_in_its_envelope(
    demo: tuple[DemoResult, dict[str, Any]],
) -> None:
    _, doc = demo
    summary = doc["summary"]
    assert summary["harmed_tanks"]["protected"] == []
    assert summary["attacks_stopped"] == 7
    rules = {}
    for row in doc["tanks"][1:]:
        refusals = row["protected"]["gateway"]["attack_refusals"]
        assert refusals, row["name"]
        assert all(r["exception_code"] in (1, 2, 3) for r in refusals)
        rules[row["scenario"]] = {r["rule"] for r in refusals}
        # what the attacker saw: Modbus exception responses, not silence or resets
        for request in row["protected"]["tank"]["scenarios"][0]["requests"]:
            assert request["outcome"] in ("ok", "exception")
    assert rules["out_of_range_setpoint"] == {"level_sp.max"}
    assert rules["too_large_step"] == {"level_sp.max_step"}
    assert rules["rapid_toggling"] == {"pump_run.min_interval"}
    assert rules["interlock_violation"] == {"inlet-valve-needs-pump"}
    assert rules["unknown_client_write"] == rules["diagnostics"] == rules["restart"] == {"default"}


def test_no_legitimate_hmi_request_is_refused(demo: tuple[DemoResult, dict[str, Any]]) -> None:
    _, doc = demo
    summary = doc["summary"]
    assert summary["legitimate_refused"] == 0
    assert summary["hmi"]["protected"]["requests"] > 100
    writes = sum(t["protected"]["tank"]["hmi"]["writes"] for t in doc["tanks"])
    assert writes > 0  # the operator did write (setpoints, pump starts) through the gateway
    latency = summary["latency_added_us"]
    assert latency["count"] > 0 and 0 < latency["p50"] <= latency["p99"] <= latency["max"]


def test_the_capture_is_analyzed_into_the_store(demo: tuple[DemoResult, dict[str, Any]]) -> None:
    result, doc = demo
    store = doc["store"]
    assert store["capture_error"] is None and store["detection_error"] is None
    assert store["alerts"] >= 2  # the listen-only and restart commands on the unprotected run
    assets = subprocess.run(
        [*interlock_command(), "assets", "--db", store["db"], "--json"],
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    found = [sorted(a["ips"]) for a in json.loads(assets.stdout)["assets"]]
    plcs = [[f"10.10.0.{n}"] for n in range(11, 19)]
    assert all(plc in found for plc in plcs)
    assert ["10.20.0.10"] in found and ["10.20.0.66"] in found  # HMI, unknown host: apart
    assert store["assets"] == len(found)
    assert any(cmd.startswith("interlock assets --db ") for cmd in doc["next"])
    assert result.policy.read_text().startswith("# The tank process of `interlock demo`")


def test_demo_cli_refuses_a_duration_too_short_for_the_attacks() -> None:
    done = subprocess.run(
        [*interlock_command(), "demo", "--duration", "30"], capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert done.returncode == 2 and "--duration" in done.stderr

"""`interlock sim`: the command a person runs, its --json contract (docs/demo.md), refusals."""

from __future__ import annotations

import json
import subprocess
from typing import Any

from tests_support import interlock_command

TANK_KEYS = {"name", "plc", "clients_to", "process", "plc_comms", "hmi", "scenarios"}
PROCESS_KEYS = {
    "simulated_s", "level_pct", "outside_envelope_s", "spilled_m3", "pump_starts", "alarms",
    "damage", "envelope_breaches",
}  # fmt: skip
HMI_KEYS = {
    "requests", "writes", "ok", "exception", "no_response", "not_connected", "latency_ms",
    "failed",
}  # fmt: skip
SCENARIO_KEYS = {
    "name", "title", "technique", "source", "client", "started_s", "attack_requests", "refused",
    "requests",
}  # fmt: skip
REQUEST_KEYS = {
    "function", "address", "values", "what", "outcome", "exception_code", "latency_ms", "attack",
}  # fmt: skip


def interlock(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*interlock_command(), *args], capture_output=True, text=True, check=check, timeout=120
    )


def sim_json(*args: str) -> dict[str, Any]:
    out = interlock("sim", "--listen", "127.0.0.1:0", "--speed", "200", "--json", *args)
    doc: dict[str, Any] = json.loads(out.stdout)
    return doc


def test_sim_json_contract_with_workload_and_an_attack() -> None:
    doc = sim_json("--duration", "300", "--hmi", "--scenario", "out_of_range_setpoint")
    assert set(doc) == {"version", "speed", "real_s", "tank"}
    assert doc["version"] == 1 and doc["speed"] == 200.0
    tank = doc["tank"]
    assert set(tank) == TANK_KEYS
    assert set(tank["process"]) == PROCESS_KEYS
    assert set(tank["process"]["level_pct"]) == {"max", "min", "final"}
    assert set(tank["process"]["alarms"]) == {"high_alarm", "low_alarm"}
    assert set(tank["hmi"]) == HMI_KEYS
    assert set(tank["plc_comms"]) == {"silent_s", "events", "requests", "answered", "silenced"}
    assert tank["process"]["simulated_s"] >= 300
    # the attack landed on the unprotected PLC and overflowed the tank
    [record] = tank["scenarios"]
    assert set(record) == SCENARIO_KEYS
    assert all(set(r) == REQUEST_KEYS for r in record["requests"])
    assert record["requests"][0]["outcome"] == "ok"
    assert "overflow" in [e["kind"] for e in tank["process"]["damage"]]
    assert tank["process"]["level_pct"]["max"] == 100.0
    assert tank["hmi"]["requests"] > 0 and tank["hmi"]["exception"] == 0
    assert tank["plc_comms"]["requests"]["4"] > 0  # the HMI's polls reached the PLC


def test_sim_without_clients_serves_for_its_duration() -> None:
    doc = sim_json("--duration", "20")
    tank = doc["tank"]
    assert tank["hmi"] is None and tank["scenarios"] == []
    assert tank["process"]["damage"] == [] and tank["plc_comms"]["answered"] == 0


def test_sim_human_output_names_the_damage() -> None:
    out = interlock(
        "sim", "--listen", "127.0.0.1:0", "--speed", "200", "--duration", "250",
        "--scenario", "too_large_step",
    ).stdout  # fmt: skip
    assert "overflow" in out and "too_large_step" in out and "T0836" in out


def test_sim_refuses_unknown_scenarios_and_remote_targets() -> None:
    done = interlock("sim", "--scenario", "melt_down", check=False)
    assert done.returncode == 2
    assert done.stderr.startswith("interlock: unknown scenario melt_down; choose from: all,")
    done = interlock("sim", "--hmi", "--via", "192.0.2.7:502", "--duration", "1", check=False)
    assert done.returncode == 2
    assert "only run against loopback" in done.stderr
    done = interlock("sim", "--listen", "nonsense", check=False)
    assert done.returncode == 2 and "--listen wants HOST:PORT" in done.stderr

"""Replay of the example policy on the tank captures (real pymodbus clients and server):
every refusal by the rule the scenario names, every legitimate request allowed, the same
decisions every time, and state learnt only from what the policy let through."""

from __future__ import annotations

from pathlib import Path

import pytest

from interlock.capture import open_capture
from interlock.policy import DecisionCore, compile_policy, load_policy
from interlock.policy.replay import Replayed, replay
from policy.tank_traffic import SCENARIOS, Scenario
from tests_support import DATA

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "tank.policy.yaml"


def tank_core() -> DecisionCore:
    return compile_policy(load_policy(EXAMPLE))


def replayed(scenario: Scenario, core: DecisionCore | None = None) -> list[Replayed]:
    found: list[Replayed] = []
    result = replay(core or tank_core(), [open_capture(scenario.path)], found.append)
    assert not result.errors
    return found


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_each_request_gets_the_verdict_the_scenario_expects(name: str) -> None:
    scenario = SCENARIOS[name]()
    decisions = replayed(scenario)
    assert len(decisions) == len(scenario.steps)
    for step, seen in zip(scenario.steps, decisions, strict=True):
        got = None if seen.decision.verdict == "allow" else seen.decision.rule
        assert got == step.expect, (step, seen.decision.reason)
        assert seen.request.time == pytest.approx(scenario.start + step.at, abs=1e-6)
        assert seen.client.ip == {"hmi": "10.20.0.10", "engineering": "10.20.0.50",
                                  "attacker": "10.20.0.66"}[step.who]  # fmt: skip
        if step.expect is not None:
            assert seen.decision.verdict == "block"


def test_refusals_say_why_in_engineering_units() -> None:
    refusals = {
        r.decision.rule: r.decision
        for r in replayed(SCENARIOS["attack"]())
        if r.decision.verdict == "block"
    }
    assert refusals["level_sp.max"].reason == "level_sp 500.0 % exceeds max 90.0 %"
    assert refusals["level_sp.max_rate"].reason == (
        "level_sp changes at 5.0 %/s (55.0 to 60.0 % in 1.000 s), above max_rate 2.0 %/s"
    )
    assert refusals["outflow_limit.max"].reason == "outflow_limit 80.0 m3/h exceeds max 50.0 m3/h"
    assert refusals["pump_speed_sp.max_step"].reason == (
        "pump_speed_sp step 40.0 % (60.0 to 100.0 %) exceeds max_step 20.0 %"
    )
    assert refusals["level_sp.max"].exception_code == 3
    assert refusals["default"].exception_code in (1, 2)


def test_replaying_twice_gives_the_same_decisions() -> None:
    scenario = SCENARIOS["attack"]()
    first, second = replayed(scenario), replayed(scenario)
    assert [(r.frame, r.decision) for r in first] == [(r.frame, r.decision) for r in second]
    core = tank_core()
    once = replayed(scenario, core)
    core.reset()
    assert [r.decision for r in replayed(scenario, core)] == [r.decision for r in once]


def test_the_state_follows_the_process() -> None:
    core = tank_core()
    replayed(SCENARIOS["normal"](), core)
    assert core.value_of("level_sp") == 58.0  # the last setpoint written
    assert core.value_of("tank_level") == 60.0  # the level the process reached
    assert core.value_of("outflow_limit") == 15.0
    assert core.value_of("pump_run") is False and core.value_of("outlet_valve_open") is False


def test_a_blocked_write_teaches_nothing_even_when_the_plant_answered() -> None:
    # demo-modbus.pcap: an ungated session from 10.20.0.1 (a stranger to the example policy)
    # whose writes the pymodbus server accepted, holding 1 = 500 among them.
    core = tank_core()
    found: list[Replayed] = []
    replay(core, [open_capture(DATA / "demo-modbus.pcap")], found.append)
    speed = [r for r in found if r.request.function == 6 and r.request.address == 1]
    assert [r.decision.rule for r in speed] == ["default"]
    assert {r.decision.verdict for r in found} == {"block"}
    assert core.value_of("pump_speed_sp") is None

"""The tank model, pure: mass balance, the damage the attack inputs cause, none under the
normal workload with the controller, and determinism."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from interlock.sim.tank import offline
from interlock.sim.tank import registers as reg
from interlock.sim.tank.model import TankInputs, TankParams, TankState, command, steady_state, step
from interlock.sim.tank.operator import SETPOINT_CYCLE, NormalOperator, Write
from interlock.sim.tank.plant import Plant

PARAMS = TankParams()


def run(
    inputs: TankInputs, seconds: float, state: TankState | None = None
) -> tuple[TankState, list[str]]:
    state = state or steady_state(PARAMS)
    kinds: list[str] = []
    for _ in range(round(seconds / 0.1)):
        state, events = step(PARAMS, state, inputs, 0.1)
        kinds += [e.kind for e in events]
    return state, kinds


def test_mass_balance_volume_is_the_integral_of_inflow_minus_outflow() -> None:
    state = steady_state(PARAMS)
    start = state.volume_m3
    inputs = TankInputs(level_sp=80.0, outflow_limit=25.0)
    net = 0.0
    for _ in range(3000):
        state, _ = step(PARAMS, state, inputs, 0.1)
        net += (state.inflow_m3h - state.outflow_m3h) / 3600 * 0.1
    assert state.inflow_m3h != state.outflow_m3h or net != 0.0
    assert state.volume_m3 + state.spilled_m3 == pytest.approx(start + net, abs=1e-9)


def test_mass_balance_holds_through_an_overflow() -> None:
    state = steady_state(PARAMS)
    start = state.volume_m3
    inputs = TankInputs(outlet_valve_open=False, level_sp=120.0)
    net = 0.0
    for _ in range(6000):
        state, _ = step(PARAMS, state, inputs, 0.1)
        net += (state.inflow_m3h - state.outflow_m3h) / 3600 * 0.1
    assert state.spilled_m3 > 0.5
    assert state.volume_m3 == pytest.approx(PARAMS.capacity_m3)
    assert state.volume_m3 + state.spilled_m3 == pytest.approx(start + net, abs=1e-9)


def test_steady_state_stays_put() -> None:
    state, kinds = run(TankInputs(), 3600)
    assert state.level_pct(PARAMS) == pytest.approx(50.0, abs=1e-6)
    assert kinds == []


def test_outflow_is_limited_by_gravity_and_the_limit() -> None:
    low = replace(steady_state(PARAMS), volume_m3=0.02)  # 1 cm of water
    state, _ = step(PARAMS, low, TankInputs(pump_run=False, inlet_valve_open=False), 0.1)
    assert state.outflow_m3h == pytest.approx(PARAMS.gravity_coeff * math.sqrt(0.01), rel=1e-3)
    state, _ = step(PARAMS, steady_state(PARAMS), TankInputs(outflow_limit=float("nan")), 0.1)
    assert state.outflow_m3h == 0.0


def test_setpoint_beyond_full_scale_overflows_the_tank() -> None:
    state, kinds = run(TankInputs(level_sp=120.0), 600)
    assert "overflow" in kinds
    assert state.spilled_m3 > 0


def test_setpoint_jump_winds_the_controller_up_into_an_overflow() -> None:
    # 85 % is a setpoint the tank can hold; reached in one jump, the PI overshoots past 100 %.
    _, kinds = run(TankInputs(level_sp=85.0), 900)
    assert "overflow" in kinds
    # the same setpoint approached in 5 % steps stays below the envelope's top
    state, kinds = steady_state(PARAMS), []
    for target in (55.0, 60.0, 65.0, 70.0, 75.0, 80.0, 85.0):
        state, more = run(TankInputs(level_sp=target), 300, state)
        kinds += more
    assert "overflow" not in kinds and "level_above_envelope" not in kinds


def test_emptying_setpoint_runs_the_pump_dry() -> None:
    _, kinds = run(TankInputs(level_sp=0.0), 900)
    assert "pump_dry_run" in kinds and "low_alarm" in kinds


def test_pump_against_a_closed_inlet_counts_as_dry_run_after_ten_seconds() -> None:
    _, kinds = run(TankInputs(inlet_valve_open=False), 9.5)
    assert "pump_dry_run" not in kinds
    _, kinds = run(TankInputs(inlet_valve_open=False), 10.5)
    assert "pump_dry_run" in kinds


def test_rapid_toggling_over_starts_the_motor_and_single_starts_do_not() -> None:
    state = steady_state(PARAMS)
    on, off = TankInputs(), TankInputs(pump_run=False)
    for _ in range(PARAMS.max_starts):
        state, _ = command(PARAMS, state, on, off)
        state, _ = command(PARAMS, state, off, on)
    state, events = step(PARAMS, state, on, 0.1)
    assert "pump_overstart" not in [e.kind for e in events]
    state, _ = command(PARAMS, state, on, off)
    state, _ = command(PARAMS, state, off, on)
    state, events = step(PARAMS, state, on, 0.1)
    assert "pump_overstart" in [e.kind for e in events]
    assert len(state.starts) <= PARAMS.max_starts + 1  # bounded


def test_opening_the_inlet_against_the_interlock_is_an_envelope_breach() -> None:
    state = steady_state(PARAMS)
    closed, stopped = (
        TankInputs(inlet_valve_open=False),
        TankInputs(inlet_valve_open=False, pump_run=False),
    )
    _, events = command(PARAMS, state, closed, TankInputs())  # pump running, level 50 %
    assert events == []
    _, events = command(PARAMS, state, stopped, TankInputs(pump_run=False))
    assert [e.kind for e in events] == ["interlock_bypassed"]
    high = replace(state, volume_m3=PARAMS.capacity_m3 * 0.92)
    _, events = command(PARAMS, high, closed, TankInputs())
    assert [e.kind for e in events] == ["interlock_bypassed"]
    # stopping the pump with the inlet left open is no breach: the interlock guards opening
    _, events = command(PARAMS, state, TankInputs(), TankInputs(pump_run=False))
    assert events == []


@pytest.mark.parametrize("poll_s", [0.5, 2.5, 25.0])
def test_normal_workload_with_the_controller_never_damages_or_leaves_the_envelope(
    poll_s: float,
) -> None:
    plant = offline.run(Plant(), 4 * 3600, NormalOperator(), poll_s=poll_s)
    doc = plant.trajectory.document()
    assert doc["damage"] == [] and doc["envelope_breaches"] == []
    assert doc["alarms"] == {"high_alarm": 0, "low_alarm": 0}
    assert doc["pump_starts"] >= 15  # the routine did stop and start the pump
    assert doc["level_pct"]["min"] >= 20 and doc["level_pct"]["max"] <= 80


def test_operator_setpoints_stay_within_40_70_in_steps_of_5() -> None:
    values = [50.0, *SETPOINT_CYCLE]
    assert all(40 <= v <= 70 for v in values)
    assert all(abs(a - b) <= 5 for a, b in zip(values, values[1:] + values[1:2]))


@pytest.mark.parametrize(
    ("raw", "damage"),
    [(1200, "overflow"), (850, "overflow"), (950, "overflow"), (0, "pump_dry_run")],
)
def test_attack_setpoints_damage_the_tank_despite_the_operator(raw: int, damage: str) -> None:
    attack = Write("holding", reg.LEVEL_SP, raw, "attack")
    plant = offline.run(Plant(), 600, NormalOperator(), [(60.0, attack)], poll_s=25.0)
    assert damage in [e["kind"] for e in plant.trajectory.document()["damage"]]


def test_the_model_is_deterministic() -> None:
    attack = Write("holding", reg.LEVEL_SP, 850, "attack")

    def once() -> tuple[object, ...]:
        plant = offline.run(Plant(), 3600, NormalOperator(), [(100.0, attack)], poll_s=2.5)
        return plant.state, plant.trajectory.document(), plant.trajectory.events

    assert once() == once()

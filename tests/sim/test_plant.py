"""The simulated PLC without a network: its register image, writes, diagnostics."""

from __future__ import annotations

import pytest

from interlock.sim.tank import registers as reg
from interlock.sim.tank.plant import Plant


def test_register_image_follows_tank_md() -> None:
    plant = Plant()
    assert plant.coils() == [True, True, True]
    assert [plant.holding(a) for a in (0, 1, 10)] == [500, 500, 850]
    assert reg.words_to_float(plant.holding(2), plant.holding(3)) == pytest.approx(60.0)
    assert plant.input_registers() == [500, 600, 600]  # 50.0 %, 60.0 m3/h in and out
    assert plant.discrete_inputs() == [False, False]


def test_writes_change_the_model_inputs_in_engineering_units() -> None:
    plant = Plant()
    plant.write_holding(reg.LEVEL_SP, [1200])
    plant.write_holding(reg.OUTFLOW_LIMIT, list(reg.float_to_words(25.5)))
    plant.write_coils(reg.OUTLET_VALVE_OPEN, [False])
    assert plant.inputs.level_sp == 120.0
    assert plant.inputs.outflow_limit == 25.5
    assert not plant.inputs.outlet_valve_open
    assert plant.holding(reg.LEVEL_SP) == 1200  # read back as written
    plant.write_holding(reg.OUTFLOW_LIMIT + 1, [0])  # half a float: the PLC takes it as is
    assert plant.inputs.outflow_limit == reg.words_to_float(plant.holding(2), 0)


def test_writes_outside_the_map_are_ignored() -> None:
    plant = Plant()
    before = plant.inputs
    plant.write_holding(5, [1, 2, 3])
    plant.write_coils(7, [False])
    assert plant.inputs == before


def test_alarm_limit_drives_the_high_alarm_input() -> None:
    plant = Plant()
    plant.write_holding(reg.HIGH_ALARM_LIMIT, [400])
    plant.advance(0.1)
    assert plant.discrete_inputs() == [True, False]


def test_listen_only_silences_until_restart_which_drops_the_outputs() -> None:
    plant = Plant(restart_s=30.0)
    plant.force_listen_only()
    assert not plant.answering
    plant.advance(20.0)
    assert plant.silent_s == pytest.approx(20.0)
    plant.restart()
    assert not plant.listen_only and not plant.answering
    assert plant.coils() == [False, False, True]  # pump stopped, inlet closed, outlet kept
    assert plant.holding(reg.LEVEL_SP) == 500  # setpoints survive
    plant.advance(30.0)
    assert plant.answering
    assert plant.silent_s == pytest.approx(50.0)
    assert [k for _, k in plant.plc_events] == ["listen_only", "restart", "answering_again"]


def test_advance_runs_whole_steps_and_keeps_the_remainder() -> None:
    plant = Plant()
    for _ in range(25):
        plant.advance(0.04)
    assert plant.now == pytest.approx(1.0)

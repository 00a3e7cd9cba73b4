"""The simulated PLC: the tank model, its Modbus register image, and its comms state.

Writes change the model's inputs at once; the model advances in fixed steps of simulated
time when the owner calls `advance`. Diagnostics follow the Modbus application protocol
(v1.1b3, section 6.8.1): after "force listen only" (FC 8 sub 4) the device answers
nothing until "restart communications" (FC 8 sub 1), which this PLC, like many, carries out
as a restart: it stops answering for `restart_s` and comes back with its outputs
de-energised (pump stopped, inlet valve closed), setpoints kept. Pure: time is given.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Final, Literal

from interlock.sim.tank import registers as reg
from interlock.sim.tank.model import (
    TankInputs,
    TankParams,
    TankState,
    command,
    steady_state,
    step,
)
from interlock.sim.tank.trajectory import Trajectory

PlcEventKind = Literal["listen_only", "restart", "answering_again"]
MAX_PLC_EVENTS: Final = 50
DEFAULT_DT: Final = 0.1


class Plant:
    def __init__(
        self,
        params: TankParams | None = None,
        inputs: TankInputs | None = None,
        dt: float = DEFAULT_DT,
        restart_s: float = 45.0,
    ) -> None:
        self.params = params or TankParams()
        self.inputs = inputs or TankInputs()
        self.dt = dt
        self.restart_s = restart_s
        self.state: TankState = steady_state(self.params, self.inputs)
        self.trajectory = Trajectory.starting(self.params, self.state)
        self.listen_only = False
        self.restart_until: float | None = None
        self.silent_s = 0.0
        self.plc_events: list[tuple[float, PlcEventKind]] = []
        self._holding = {
            reg.LEVEL_SP: reg.to_x10(self.inputs.level_sp),
            reg.PUMP_SPEED_SP: reg.to_x10(self.inputs.pump_speed_sp),
            reg.HIGH_ALARM_LIMIT: reg.to_x10(self.inputs.high_alarm_limit),
        }
        words = reg.float_to_words(self.inputs.outflow_limit)
        self._holding[reg.OUTFLOW_LIMIT], self._holding[reg.OUTFLOW_LIMIT + 1] = words
        self._pending = 0.0

    @property
    def now(self) -> float:
        return self.state.time_s

    @property
    def level_pct(self) -> float:
        return self.state.level_pct(self.params)

    @property
    def answering(self) -> bool:
        return not self.listen_only and self.restart_until is None

    def advance(self, seconds: float) -> None:
        """Run the process for `seconds` of simulated time, in whole model steps."""
        self._pending += seconds
        while self._pending >= self.dt - 1e-9:
            self._pending -= self.dt
            if not self.answering:
                self.silent_s += self.dt
            before = self.state
            self.state, events = step(self.params, before, self.inputs, self.dt)
            self.trajectory.add(before, self.state, events)
            if self.restart_until is not None and self.now >= self.restart_until:
                self.restart_until = None
                self._plc_event("answering_again")

    def _plc_event(self, kind: PlcEventKind) -> None:
        if len(self.plc_events) < MAX_PLC_EVENTS:
            self.plc_events.append((round(self.now, 1), kind))

    # register image, as the Modbus server shows it

    def coils(self) -> list[bool]:
        i = self.inputs
        return [i.pump_run, i.inlet_valve_open, i.outlet_valve_open]

    def holding(self, address: int) -> int:
        return self._holding.get(address, 0)

    def input_registers(self) -> list[int]:
        s = self.state
        return [reg.to_x10(self.level_pct), reg.to_x10(s.inflow_m3h), reg.to_x10(s.outflow_m3h)]

    def discrete_inputs(self) -> list[bool]:
        return ["high_alarm" in self.state.active, "low_alarm" in self.state.active]

    # what clients do to it

    def write_coils(self, address: int, values: list[bool]) -> None:
        coils = self.coils()
        for offset, value in enumerate(values):
            if 0 <= address + offset < reg.COIL_COUNT:
                coils[address + offset] = bool(value)
        self._set(
            replace(
                self.inputs,
                pump_run=coils[0],
                inlet_valve_open=coils[1],
                outlet_valve_open=coils[2],
            )
        )

    def write_holding(self, address: int, values: list[int]) -> None:
        for offset, value in enumerate(values):
            if address + offset in reg.HOLDING_ADDRESSES:
                self._holding[address + offset] = value & reg.RAW_MAX
        h = self._holding
        self._set(
            replace(
                self.inputs,
                level_sp=reg.from_x10(h[reg.LEVEL_SP]),
                pump_speed_sp=reg.from_x10(h[reg.PUMP_SPEED_SP]),
                outflow_limit=reg.words_to_float(h[reg.OUTFLOW_LIMIT], h[reg.OUTFLOW_LIMIT + 1]),
                high_alarm_limit=reg.from_x10(h[reg.HIGH_ALARM_LIMIT]),
            )
        )

    def _set(self, inputs: TankInputs) -> None:
        self.state, events = command(self.params, self.state, self.inputs, inputs)
        self.trajectory.add_events(events)
        self.inputs = inputs

    def force_listen_only(self) -> None:
        if not self.listen_only:
            self.listen_only = True
            self._plc_event("listen_only")

    def restart(self) -> None:
        """FC 8 sub 1: leave listen-only and restart, outputs de-energised."""
        self.listen_only = False
        self.restart_until = self.now + self.restart_s
        self.inputs = replace(self.inputs, pump_run=False, inlet_valve_open=False)
        self.state = replace(self.state, integral=0.0)
        self._plc_event("restart")

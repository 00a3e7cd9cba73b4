"""The HMI operator's routine (TANK.md's normal workload), as pure decisions.

The same object drives the network HMI (which feeds it what its polls read) and the model
tests (which feed it the model's state), so "the normal workload never damages the
process" is tested on exactly the logic the demo runs. Decisions are paced on the plant's
simulated clock, so a faster simulation does not make the operator relatively slower.

The routine: every `setpoint_every_s` move level_sp one step of 5 % along a cycle inside
40-70 %; every `stop_every_s` stop the pump (close the inlet valve, then stop the pump) and
start it again (pump, then inlet valve: the interlock's order) when the level has fallen to
`restart_below_pct` or after `max_stop_s`; and if the pump should be filling but inflow
reads zero on two polls in a row (it tripped, or someone stopped it), start it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from interlock.sim.tank import registers as reg

SETPOINT_CYCLE: Final = (55.0, 60.0, 65.0, 70.0, 65.0, 60.0, 55.0, 50.0, 45.0, 40.0, 45.0, 50.0)


@dataclass(frozen=True, slots=True)
class Write:
    """One Modbus write the operator makes: a coil (FC 5) or a holding register (FC 6)."""

    space: Literal["coil", "holding"]
    address: int
    value: int
    why: str


def start_pump(why: str) -> list[Write]:
    return [
        Write("coil", reg.PUMP_RUN, 1, why),
        Write("coil", reg.INLET_VALVE_OPEN, 1, why),
    ]


def stop_pump(why: str) -> list[Write]:
    return [
        Write("coil", reg.INLET_VALVE_OPEN, 0, why),
        Write("coil", reg.PUMP_RUN, 0, why),
    ]


class NormalOperator:
    def __init__(
        self,
        setpoint_every_s: float = 300.0,
        first_stop_s: float = 400.0,
        stop_every_s: float = 900.0,
        restart_below_pct: float = 40.0,
        max_stop_s: float = 45.0,
        recovery_cooldown_s: float = 60.0,
        level_sp: float = 50.0,
    ) -> None:
        self.setpoint_every_s = setpoint_every_s
        self.stop_every_s = stop_every_s
        self.restart_below_pct = restart_below_pct
        self.max_stop_s = max_stop_s
        self.recovery_cooldown_s = recovery_cooldown_s
        self.level_sp = level_sp
        self.pump_wanted = True
        self._next_setpoint = setpoint_every_s
        self._cycle = 0
        self._next_stop = first_stop_s
        self._stopped_at = 0.0
        self._last_recovery = -recovery_cooldown_s
        self._starved = 0

    def decide(self, now: float, level_pct: float | None, inflow_m3h: float | None) -> list[Write]:
        """What to write now, given what the HMI last read (None: the PLC did not answer)."""
        writes: list[Write] = []
        if now >= self._next_setpoint:
            self._next_setpoint += self.setpoint_every_s
            self.level_sp = SETPOINT_CYCLE[self._cycle % len(SETPOINT_CYCLE)]
            self._cycle += 1
            writes.append(Write("holding", reg.LEVEL_SP, reg.to_x10(self.level_sp), "setpoint"))
        if self.pump_wanted and now >= self._next_stop:
            self.pump_wanted = False
            self._stopped_at = now
            self._next_stop += self.stop_every_s
            return [*writes, *stop_pump("planned stop")]
        if not self.pump_wanted:
            low = level_pct is not None and level_pct <= self.restart_below_pct
            if low or now - self._stopped_at >= self.max_stop_s:
                self.pump_wanted = True
                self._last_recovery = now
                writes += start_pump("planned start")
            return writes
        starved = level_pct is not None and inflow_m3h == 0 and level_pct < self.level_sp
        self._starved = self._starved + 1 if starved else 0
        # two readings in a row, as a person confirms before acting
        if self._starved >= 2 and now - self._last_recovery >= self.recovery_cooldown_s:
            self._last_recovery = now
            self._starved = 0
            writes += start_pump("pump found stopped")
        return writes

"""The tank process: a pure, deterministic, time-stepped first-order model.

    dV/dt = inflow - outflow            level % = V / capacity * 100
    inflow  = pump_max * speed / 100    only while pump_run AND inlet_valve_open
    outflow = min(outflow_limit, k * sqrt(h))   only while outlet_valve_open (gravity)
    speed   = clamp(pump_speed_sp + kp * e + I, 0, 100),  e = level_sp - level,
              dI/dt = ki * e while the pump moves water (the PLC's naive PI: no anti-windup)

The controller is what a plain PLC program would hold: a PI loop on pump speed, with
pump_speed_sp as its bias (the speed that balances the normal outflow). It trusts every
value written to it, as real controllers do; that is what the gateway is for.

Damage and envelope conditions (TANK.md) are edges of the state, reported as events:
overflow (level reaches 100 % with inflow), pump dry-run (running with level below 5 %, or
running with the inlet valve closed for more than 10 s), pump over-start (more starts in
ten minutes than the motor is rated for: the thermal limit rapid toggling breaks), alarms,
level outside the operating envelope, and the inlet valve opened against the interlock
(while the pump is stopped or the tank is at 90 % or more: `command`, when a write lands).
Pure: no clock, no randomness, no I/O.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Final, Literal

EventKind = Literal[
    "overflow",
    "pump_dry_run",
    "pump_overstart",
    "high_alarm",
    "low_alarm",
    "level_above_envelope",
    "level_below_envelope",
    "interlock_bypassed",
]
INTERLOCK_LEVEL_PCT: Final = 90.0
DAMAGE: Final[frozenset[str]] = frozenset({"overflow", "pump_dry_run", "pump_overstart"})
ENVELOPE: Final[frozenset[str]] = frozenset(
    {"level_above_envelope", "level_below_envelope", "interlock_bypassed"}
)


@dataclass(frozen=True, slots=True)
class TankParams:
    area_m2: float = 2.0
    height_m: float = 2.5
    pump_max_m3h: float = 120.0
    gravity_coeff: float = 400.0  # outlet flow at full opening: m3/h per sqrt(m of head)
    kp: float = 3.0  # % speed per % level error
    ki: float = 0.05  # % speed per (% level error * s)
    dry_level_pct: float = 5.0
    dead_head_limit_s: float = 10.0
    low_alarm_pct: float = 10.0
    envelope_pct: tuple[float, float] = (10.0, 90.0)
    max_starts: int = 4  # per start_window_s: the motor's thermal rating
    start_window_s: float = 600.0

    @property
    def capacity_m3(self) -> float:
        return self.area_m2 * self.height_m


@dataclass(frozen=True, slots=True)
class TankInputs:
    """What the PLC's clients set: coils and holding registers, in engineering units."""

    pump_run: bool = True
    inlet_valve_open: bool = True
    outlet_valve_open: bool = True
    level_sp: float = 50.0  # %
    pump_speed_sp: float = 50.0  # %
    outflow_limit: float = 60.0  # m3/h
    high_alarm_limit: float = 85.0  # %


@dataclass(frozen=True, slots=True)
class TankState:
    time_s: float = 0.0
    volume_m3: float = 2.5
    integral: float = 0.0
    speed_pct: float = 50.0
    inflow_m3h: float = 60.0
    outflow_m3h: float = 60.0
    spilled_m3: float = 0.0
    dead_head_s: float = 0.0
    starts: tuple[float, ...] = ()  # recent pump starts, bounded
    start_count: int = 0
    active: frozenset[str] = field(default_factory=frozenset)

    def level_pct(self, params: TankParams) -> float:
        return self.volume_m3 / params.capacity_m3 * 100


@dataclass(frozen=True, slots=True)
class Event:
    time_s: float
    kind: EventKind
    level_pct: float


def steady_state(params: TankParams = TankParams(), inputs: TankInputs = TankInputs()) -> TankState:
    """The plant at rest at its setpoint, pumping exactly what flows out."""
    volume = params.capacity_m3 * inputs.level_sp / 100
    outflow = _outflow(params, inputs, volume)
    speed = min(100.0, outflow / params.pump_max_m3h * 100)
    return TankState(
        volume_m3=volume,
        integral=speed - inputs.pump_speed_sp,
        speed_pct=speed,
        inflow_m3h=outflow,
        outflow_m3h=outflow,
    )


def _finite(value: float, default: float) -> float:
    return value if math.isfinite(value) else default


def _outflow(params: TankParams, inputs: TankInputs, volume: float) -> float:
    if not inputs.outlet_valve_open:
        return 0.0
    head = max(0.0, volume / params.area_m2)
    limit = max(0.0, _finite(inputs.outflow_limit, 0.0))
    return min(limit, params.gravity_coeff * math.sqrt(head))


def _controller(
    params: TankParams, state: TankState, inputs: TankInputs, level: float, dt: float
) -> tuple[float, float]:
    """Pump speed and the new integral; the integral holds while no water moves."""
    error = _finite(inputs.level_sp, 0.0) - level
    integral = state.integral
    if inputs.pump_run and inputs.inlet_valve_open:
        integral += params.ki * error * dt
    bias = _finite(inputs.pump_speed_sp, 0.0)
    speed = min(100.0, max(0.0, bias + params.kp * error + integral))
    return (speed if inputs.pump_run else 0.0), integral


def command(
    params: TankParams, state: TankState, before: TankInputs, after: TankInputs
) -> tuple[TankState, list[Event]]:
    """The inputs changed (a write landed). A pump start counts the moment it is commanded,
    however briefly it lasts, as the motor's contactor sees it; opening the inlet valve while
    the pump is stopped or the tank at 90 % or more is the interlock's breach (TANK.md)."""
    events: list[Event] = []
    level = state.level_pct(params)
    opened = after.inlet_valve_open and not before.inlet_valve_open
    if opened and (not after.pump_run or level >= INTERLOCK_LEVEL_PCT):
        events.append(Event(state.time_s, "interlock_bypassed", level))
    if after.pump_run and not before.pump_run:
        # bounded: only whether the count exceeds the rating matters
        starts = (*state.starts, state.time_s)[-(params.max_starts + 1) :]
        state = replace(state, starts=starts, start_count=state.start_count + 1)
    return state, events


def _recent(params: TankParams, starts: tuple[float, ...], now: float) -> tuple[float, ...]:
    return tuple(t for t in starts if now - t < params.start_window_s)


def _conditions(
    params: TankParams,
    inputs: TankInputs,
    level: float,
    inflow: float,
    dead_head: float,
    starts: int,
) -> frozenset[str]:
    low, high = params.envelope_pct
    held = {
        "overflow": level >= 100.0 and inflow > 0,
        "pump_dry_run": inputs.pump_run
        and (level < params.dry_level_pct or dead_head > params.dead_head_limit_s),
        "pump_overstart": starts > params.max_starts,
        "high_alarm": level > _finite(inputs.high_alarm_limit, 0.0),
        "low_alarm": level < params.low_alarm_pct,
        "level_above_envelope": level > high,
        "level_below_envelope": level < low,
    }
    return frozenset(kind for kind, on in held.items() if on)


def step(
    params: TankParams, state: TankState, inputs: TankInputs, dt: float
) -> tuple[TankState, list[Event]]:
    """Advance dt seconds; return the new state and the conditions that began in it."""
    now = state.time_s + dt
    level = state.level_pct(params)
    speed, integral = _controller(params, state, inputs, level, dt)
    flowing = inputs.pump_run and inputs.inlet_valve_open
    inflow = params.pump_max_m3h * speed / 100 if flowing else 0.0
    outflow = _outflow(params, inputs, state.volume_m3)
    volume = state.volume_m3 + (inflow - outflow) / 3600 * dt
    spilled = max(0.0, volume - params.capacity_m3)
    volume = min(params.capacity_m3, max(0.0, volume))
    dead_head = state.dead_head_s + dt if inputs.pump_run and not inputs.inlet_valve_open else 0.0
    starts = _recent(params, state.starts, now)
    new_level = volume / params.capacity_m3 * 100
    active = _conditions(params, inputs, new_level, inflow, dead_head, len(starts))
    events = [Event(now, kind, new_level) for kind in sorted(active - state.active)]  # type: ignore[arg-type]
    new_state = replace(
        state,
        time_s=now,
        volume_m3=volume,
        integral=integral,
        speed_pct=speed,
        inflow_m3h=inflow,
        outflow_m3h=outflow,
        spilled_m3=state.spilled_m3 + spilled,
        dead_head_s=dead_head,
        starts=starts,
        active=active,
    )
    return new_state, events

"""What happened to the process over a run: extremes, alarms, damage and envelope breaches.

Fed one model step at a time; holds a bounded record (the first events of each kind and
counts for all), so a long run cannot grow it. Pure: no clock, no I/O.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Final

from interlock.sim.tank.model import DAMAGE, ENVELOPE, Event, TankParams, TankState

MAX_EVENTS_PER_KIND: Final = 20


@dataclass
class Trajectory:
    params: TankParams
    start_s: float = 0.0
    end_s: float = 0.0
    level_max: float = 0.0
    level_min: float = 100.0
    level_final: float = 0.0
    outside_envelope_s: float = 0.0
    spilled_m3: float = 0.0
    first_start_count: int = 0
    starts: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    events: list[Event] = field(default_factory=list)

    @classmethod
    def starting(cls, params: TankParams, state: TankState) -> Trajectory:
        level = state.level_pct(params)
        return cls(
            params,
            state.time_s,
            state.time_s,
            level,
            level,
            level,
            first_start_count=state.start_count,
        )

    def add(self, before: TankState, after: TankState, events: list[Event]) -> None:
        level = after.level_pct(self.params)
        self.end_s = after.time_s
        self.level_max = max(self.level_max, level)
        self.level_min = min(self.level_min, level)
        self.level_final = level
        low, high = self.params.envelope_pct
        if not low <= level <= high:
            self.outside_envelope_s += after.time_s - before.time_s
        self.spilled_m3 = after.spilled_m3
        self.starts = after.start_count - self.first_start_count
        self.add_events(events)

    def add_events(self, events: list[Event]) -> None:
        for event in events:
            self.counts[event.kind] += 1
            if self.counts[event.kind] <= MAX_EVENTS_PER_KIND:
                self.events.append(event)

    @property
    def damage(self) -> list[Event]:
        return [e for e in self.events if e.kind in DAMAGE]

    @property
    def breaches(self) -> list[Event]:
        return [e for e in self.events if e.kind in ENVELOPE]

    def document(self) -> dict[str, Any]:
        """The JSON shape documented in docs/demo.md ("process")."""

        def event(e: Event) -> dict[str, Any]:
            return {
                "kind": e.kind,
                "time_s": round(e.time_s, 1),
                "level_pct": round(e.level_pct, 1),
            }

        return {
            "simulated_s": round(self.end_s - self.start_s, 1),
            "level_pct": {
                "max": round(self.level_max, 1),
                "min": round(self.level_min, 1),
                "final": round(self.level_final, 1),
            },
            "outside_envelope_s": round(self.outside_envelope_s, 1),
            "spilled_m3": round(self.spilled_m3, 3),
            "pump_starts": self.starts,
            "alarms": {k: self.counts[k] for k in ("high_alarm", "low_alarm")},
            "damage": [event(e) for e in self.damage],
            "envelope_breaches": [event(e) for e in self.breaches],
        }

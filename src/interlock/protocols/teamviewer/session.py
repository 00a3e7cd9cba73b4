"""One TeamViewer or AnyDesk flow: units and bytes per direction, first seen, and the
moment both sides have spoken (reported once). Bounded: four counters."""

from __future__ import annotations

from typing import NamedTuple

from interlock.protocols.teamviewer.units import OpaqueUnit


class FlowSeen(NamedTuple):
    from_client: bool
    first_frame: int
    first_ts: float
    units: tuple[int, int]
    octets: tuple[int, int]
    both_sides: bool
    """True on the first unit by which both directions have sent something."""


class OpaqueSession:
    __slots__ = ("first", "octets", "reported", "units")

    def __init__(self) -> None:
        self.first: tuple[int, float] | None = None
        self.units = [0, 0]
        self.octets = [0, 0]
        self.reported = False

    def observe(self, unit: OpaqueUnit, is_request: bool, frame: int, ts: float) -> FlowSeen:
        if self.first is None:
            self.first = (frame, ts)
        side = 0 if is_request else 1
        self.units[side] += 1
        self.octets[side] += unit.length
        both = not self.reported and all(self.units)
        self.reported = self.reported or both
        frame0, ts0 = self.first
        units = (self.units[0], self.units[1])
        return FlowSeen(is_request, frame0, ts0, units, (self.octets[0], self.octets[1]), both)

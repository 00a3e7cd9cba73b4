"""Capture-time minutes for rates, shared by the learner and the detector so both cut a
capture into the same windows and agree on which ones count.

A minute is the window [60 w, 60 w + 60) of capture time. It ends when a transaction two
minutes later arrives (one minute of grace, as transactions are emitted when answered, not
strictly in order); a transaction for a minute that has ended is not counted. A minute is
*full* when the capture covers all of it: the first and last minutes of a capture are
partial and never compared with anything.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from typing import Final, Generic, TypeVar

from interlock.detect.baseline.model import WINDOW_SECONDS

K = TypeVar("K", bound=Hashable)
WIDTH: Final = WINDOW_SECONDS


def minute_of(ts: float) -> int:
    return math.floor(ts / WIDTH)


class MinuteCounter(Generic[K]):
    """Messages per key per minute, for the minutes that have not ended yet."""

    def __init__(self) -> None:
        self.first: float | None = None
        self.last: float | None = None
        self.newest: int | None = None
        self.open: dict[K, dict[int, int]] = {}

    def tick(self, ts: float) -> tuple[int, int] | None:
        """Note a transaction's time; the minutes (first, last) that ended because of it."""
        self.first = ts if self.first is None else min(self.first, ts)
        self.last = ts if self.last is None else max(self.last, ts)
        minute = minute_of(ts)
        if self.newest is None:
            self.newest = minute
            return None
        if minute <= self.newest:
            return None
        ended = (self.newest - 1, minute - 2)
        self.newest = minute
        return ended if ended[0] <= ended[1] else None

    def count(self, key: K, ts: float) -> bool:
        """Count one message; False when its minute has already ended."""
        minute = minute_of(ts)
        if self.newest is not None and minute <= self.newest - 2:
            return False
        per_minute = self.open.setdefault(key, {})
        per_minute[minute] = per_minute.get(minute, 0) + 1
        return True

    def take(self, key: K, upto: int) -> list[tuple[int, int]]:
        """The (minute, messages) of key up to minute upto, forgotten here."""
        per_minute = self.open.get(key)
        if not per_minute:
            return []
        taken = sorted((m, n) for m, n in per_minute.items() if m <= upto)
        for minute, _ in taken:
            del per_minute[minute]
        if not per_minute:
            del self.open[key]
        return taken

    def is_full(self, minute: int, start: float | None = None, end: float | None = None) -> bool:
        """Whether the capture (clipped to [start, end]) covers the whole minute."""
        first = self.first if start is None or self.first is None else max(self.first, start)
        if first is None or minute * WIDTH < first:
            return False
        return end is None or (minute + 1) * WIDTH <= end

    def full_minutes(self, start: float | None = None, end: float | None = None) -> int:
        """How many full minutes the capture (clipped to [start, end]) covers."""
        if self.first is None or self.last is None:
            return 0
        first = self.first if start is None else max(self.first, start)
        last = self.last if end is None else min(self.last, end)
        return max(0, math.floor(last / WIDTH) - math.ceil(first / WIDTH))

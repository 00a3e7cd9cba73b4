"""Maintenance windows: is a request's time (epoch seconds, from the request, never the
clock) inside a window? Weekly windows use a fixed UTC offset, not a time-zone database, so
the answer depends on the policy and the request alone."""

from __future__ import annotations

import math
from typing import Final

from interlock.policy.model import Window

DAY: Final = 86400
DAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EPOCH_WEEKDAY: Final = 3  # 1970-01-01 was a Thursday (Monday = 0)


LATEST: Final = 1e15
"""Seconds since the epoch (some 31 million years) beyond which no time is in a window: the
weekly arithmetic would overflow a float, and no request comes from then."""


def inside(window: Window, time: float) -> bool:
    if not math.isfinite(time) or abs(time) > LATEST:
        return False
    if not window.weekly:
        return window.start <= time < window.end
    local = time + window.utc_offset * 60
    day = math.floor(local / DAY)
    weekday = (day + EPOCH_WEEKDAY) % 7
    minute = (local - day * DAY) / 60
    if window.start <= window.end:
        return weekday in window.days and window.start <= minute < window.end
    # The span crosses midnight: it starts on a listed day and runs into the next one.
    return (weekday in window.days and minute >= window.start) or (
        (weekday - 1) % 7 in window.days and minute < window.end
    )

"""Bounded summaries the baseline keeps: merged address ranges, running value statistics
and a small histogram of per-minute counts. Each stays the same size however much traffic
goes through it, and two of each merge (re-learning adds a capture to a file).

Pure: no I/O.
"""

from __future__ import annotations

import bisect
import math
from typing import Final

from interlock.detect.baseline.model import PointValues

MAX_RANGES: Final = 64
"""Ranges per space; beyond, the two closest are joined (the baseline gets looser, never
stricter, so a full table cannot raise false alarms)."""
MAX_HISTOGRAM: Final = 64
"""Distinct per-minute counts kept per rate; beyond, the two closest are joined."""

Range = tuple[int, int]


def add_range(ranges: list[Range], low: int, high: int) -> bool:
    """Add [low, high] to sorted disjoint ranges, joining touching ones; True if it changed."""
    index = bisect.bisect_left(ranges, (low, high))
    if index > 0 and ranges[index - 1][1] >= low - 1:
        index -= 1
    end = index
    while end < len(ranges) and ranges[end][0] <= high + 1:
        end += 1
    if end == index + 1 and ranges[index][0] <= low and ranges[index][1] >= high:
        return False
    if end > index:
        low = min(low, ranges[index][0])
        high = max(high, ranges[end - 1][1])
    ranges[index:end] = [(low, high)]
    return True


def coarsen(ranges: list[Range], limit: int = MAX_RANGES) -> int:
    """Join the closest neighbours until at most limit ranges remain; return joins made."""
    joins = 0
    while len(ranges) > limit:
        gaps = [ranges[i + 1][0] - ranges[i][1] for i in range(len(ranges) - 1)]
        i = gaps.index(min(gaps))
        ranges[i : i + 2] = [(ranges[i][0], ranges[i + 1][1])]
        joins += 1
    return joins


def uncovered(ranges: list[Range], low: int, high: int) -> list[Range]:
    """The parts of [low, high] that no range covers."""
    gaps: list[Range] = []
    start = low
    index = max(bisect.bisect_right(ranges, (low, math.inf)) - 1, 0)
    for r_low, r_high in ranges[index:]:
        if r_low > high:
            break
        if r_high < start:
            continue
        if r_low > start:
            gaps.append((start, r_low - 1))
        start = max(start, r_high + 1)
        if start > high:
            return gaps
    if start <= high:
        gaps.append((start, high))
    return gaps


def subtract(parts: list[Range], holes: list[Range]) -> list[Range]:
    """parts with every hole taken out."""
    for h_low, h_high in holes:
        kept: list[Range] = []
        for low, high in parts:
            if high < h_low or low > h_high:
                kept.append((low, high))
                continue
            if low < h_low:
                kept.append((low, h_low - 1))
            if high > h_high:
                kept.append((h_high + 1, high))
        parts = kept
    return parts


def in_holes(address: int, holes: list[Range]) -> bool:
    return any(low <= address <= high for low, high in holes)


def add_value(stats: PointValues, value: int) -> None:
    """Welford's update: the mean and spread of a point without keeping its values."""
    if stats.count == 0:
        stats.seen_min = stats.seen_max = value
    else:
        stats.seen_min = min(stats.seen_min, value)
        stats.seen_max = max(stats.seen_max, value)
    stats.count += 1
    delta = value - stats.mean
    stats.mean += delta / stats.count
    stats.m2 += delta * (value - stats.mean)


def merge_values(into: PointValues, other: PointValues) -> None:
    """Chan's parallel combination of two running summaries."""
    if other.count == 0:
        return
    if into.count == 0:
        into.count, into.mean, into.m2 = other.count, other.mean, other.m2
        into.seen_min, into.seen_max = other.seen_min, other.seen_max
        return
    total = into.count + other.count
    delta = other.mean - into.mean
    into.m2 += other.m2 + delta * delta * into.count * other.count / total
    into.mean += delta * other.count / total
    into.count = total
    into.seen_min = min(into.seen_min, other.seen_min)
    into.seen_max = max(into.seen_max, other.seen_max)


def widened(low: int, high: int, margin_pct: float) -> Range:
    """[low, high] widened by margin_pct of its span (of its magnitude when it is one value).

    Whole units only: a margin under 1 adds nothing, so a coil seen at 1 stays [1, 1].
    """
    if margin_pct <= 0:
        return low, high
    basis = high - low if high > low else max(abs(low), abs(high))
    extra = math.floor(basis * margin_pct / 100)
    return low - extra, high + extra


def add_to_histogram(histogram: dict[int, int], count: int, windows: int = 1) -> None:
    histogram[count] = histogram.get(count, 0) + windows
    while len(histogram) > MAX_HISTOGRAM:
        keys = sorted(histogram)
        gaps = [keys[i + 1] - keys[i] for i in range(len(keys) - 1)]
        i = gaps.index(min(gaps))
        low, high = keys[i], keys[i + 1]
        a, b = histogram.pop(low), histogram.pop(high)
        # The joined bin sits at their weighted mean (Ben-Haim and Tom-Tov's streaming
        # histogram): the median stays close instead of drifting towards one end.
        histogram[round((low * a + high * b) / (a + b))] = a + b

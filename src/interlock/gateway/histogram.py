"""Latency histograms with log-linear buckets and a fixed footprint.

Buckets follow HdrHistogram's idea in decimal: each decade from 100 ns to 1000 s is split
into 90 linear steps of two significant digits (1.0, 1.1, ... 9.9 times the decade), so a
quantile is known to within 10 % at worst and 1 % at best, and every round decimal bound
that an operator writes (250 µs, 1 ms) is a bucket edge: the Prometheus export and a budget
verdict need no interpolation. 902 counters (with under- and overflow) whatever the
traffic: memory is bounded.

Values are integer nanoseconds. One writer per histogram (the thread that owns it); readers
merge copies, so the hot path takes no lock.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from typing import Final

LOWEST_NS: Final = 100
DECADES: Final = 10
STEPS: Final = 90


def _edges() -> tuple[int, ...]:
    edges: list[int] = []
    for decade in range(DECADES):
        scale = LOWEST_NS * 10**decade  # the decade's first edge, e.g. 100 ns
        edges.extend(scale * (10 + step) // 10 for step in range(STEPS))
    edges.append(LOWEST_NS * 10**DECADES)
    return tuple(edges)


EDGES: Final = _edges()
"""Upper-exclusive bucket edges in ns: bucket i holds values in [EDGES[i-1], EDGES[i])."""
BUCKETS: Final = len(EDGES) + 1
"""Bucket 0 holds values below 100 ns; the last one holds values of 1000 s and more."""


class LatencyHistogram:
    """Counts of nanosecond durations in log-linear buckets, plus count, sum and max."""

    __slots__ = ("count", "counts", "max_ns", "sum_ns")

    def __init__(self) -> None:
        self.counts = [0] * BUCKETS
        self.count = 0
        self.sum_ns = 0
        self.max_ns = 0

    def record(self, ns: int) -> None:
        ns = max(ns, 0)
        self.counts[bucket(ns)] += 1
        self.count += 1
        self.sum_ns += ns
        if ns > self.max_ns:
            self.max_ns = ns

    def merge(self, other: LatencyHistogram) -> None:
        counts = self.counts
        for i, n in enumerate(other.counts):
            if n:
                counts[i] += n
        self.count += other.count
        self.sum_ns += other.sum_ns
        self.max_ns = max(self.max_ns, other.max_ns)

    def copy(self) -> LatencyHistogram:
        out = LatencyHistogram()
        out.merge(self)
        return out

    def quantile(self, q: float) -> int | None:
        """The upper edge of the bucket holding quantile q, in ns (None when empty).

        Upper edges make the answer conservative: a budget that holds here holds.
        """
        if not self.count:
            return None
        # round() first: 0.99 * 100 is 99.00000000000001 in floats, and its ceiling 100.
        rank = max(1, math.ceil(round(q * self.count, 6)))
        seen = 0
        for i, n in enumerate(self.counts):
            seen += n
            if seen >= rank:
                return min(upper_edge(i), self.max_ns) if i < BUCKETS - 1 else self.max_ns
        return self.max_ns

    def count_below(self, bound_ns: int) -> int:
        """Values strictly below bound_ns; exact when bound_ns is a bucket edge."""
        return sum(self.counts[: bisect_right(EDGES, bound_ns)])

    def sparse(self) -> dict[str, int]:
        """Non-empty buckets as {index: count}, the form kept in stats files."""
        return {str(i): n for i, n in enumerate(self.counts) if n}

    @classmethod
    def from_sparse(
        cls, buckets: Mapping[str, int], *, sum_ns: int = 0, max_ns: int = 0
    ) -> LatencyHistogram:
        out = cls()
        for key, n in buckets.items():
            index = int(key)
            if not 0 <= index < BUCKETS or n < 0:
                raise ValueError(f"bucket {key}={n} is outside the histogram")
            out.counts[index] += int(n)
            out.count += int(n)
        out.sum_ns = sum_ns
        out.max_ns = max_ns
        return out


def bucket(ns: int) -> int:
    """The bucket holding ns: ``bisect_right(EDGES, ns)``, computed from the decade (a
    search over the 901 edges made ten generic comparisons per latency recorded)."""
    if ns < LOWEST_NS:
        return 0
    scale, decade = LOWEST_NS, 0
    while ns >= scale * 10:
        scale *= 10
        decade += 1
        if decade == DECADES:
            return BUCKETS - 1
    # The decade's edges are scale // 10 * (10 + step): those at or below ns number
    # ns // (scale // 10) - 9 (ns < 10 * scale keeps it at most STEPS).
    return decade * STEPS + ns // (scale // 10) - 9


def upper_edge(index: int) -> int:
    """The exclusive upper bound of bucket index, in ns."""
    return EDGES[min(index, len(EDGES) - 1)]


def merged(histograms: Iterable[LatencyHistogram]) -> LatencyHistogram:
    out = LatencyHistogram()
    for histogram in histograms:
        out.merge(histogram)
    return out

"""Bounded per-key state for detectors that count over capture time.

``LruTable`` keeps at most a fixed number of keys (the least recently touched goes first),
so traffic from many spoofed sources cannot grow memory. ``DistinctWindow`` counts the
distinct items of one key seen in the last window; ``RateWindow`` estimates events per
window in constant memory; ``Escalation`` says when a growing count deserves another hit.
Times are capture timestamps handed in by the caller, never the clock.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LruTable(Generic[K, V]):
    """A dict of per-key state holding at most ``cap`` keys."""

    __slots__ = ("cap", "evicted", "factory", "items")

    def __init__(self, cap: int, factory: Callable[[], V]) -> None:
        self.cap = cap
        self.factory = factory
        self.items: OrderedDict[K, V] = OrderedDict()
        self.evicted = 0
        """Keys forgotten to stay within the cap (reported in hit details by some kinds)."""

    def get(self, key: K) -> V:
        """The key's state, created when missing; the key becomes the most recent."""
        value = self.items.get(key)
        if value is None:
            value = self.factory()
            self.items[key] = value
            if len(self.items) > self.cap:
                self.items.popitem(last=False)
                self.evicted += 1
        else:
            self.items.move_to_end(key)
        return value

    def peek(self, key: K) -> V | None:
        return self.items.get(key)

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[K]:
        return iter(self.items)


class SeenRecently:
    """Whether a key was reported less than ``repeat_after`` seconds ago (bounded)."""

    __slots__ = ("repeat_after", "table")

    def __init__(self, cap: int, repeat_after: float) -> None:
        self.repeat_after = repeat_after
        self.table: LruTable[Hashable, list[float]] = LruTable(cap, lambda: [float("-inf")])

    def first_in_a_while(self, key: Hashable, ts: float) -> bool:
        """True (and remember ts) when the key was not reported within repeat_after."""
        last = self.table.get(key)
        # abs: a transaction reported late (its flow closed later) can be older than the
        # last report; it is as close to it either way.
        if last[0] != float("-inf") and abs(ts - last[0]) < self.repeat_after:
            return False
        last[0] = max(ts, last[0])
        return True


class DistinctWindow:
    """The distinct items of one key seen in the last ``window`` seconds (at most ``cap``).

    Items are kept in order of last sighting; old ones fall off the front. A timestamp
    older than the newest seen (flows reported out of order) is counted at the newest.
    """

    __slots__ = ("items", "newest")

    def __init__(self) -> None:
        self.items: OrderedDict[Hashable, float] = OrderedDict()
        self.newest = float("-inf")

    def add(self, item: Hashable, ts: float, window: float, cap: int) -> int:
        """Record item at ts; return how many distinct items the window now holds."""
        self.newest = ts = max(ts, self.newest)
        self.items[item] = ts
        self.items.move_to_end(item)
        horizon = ts - window
        items = self.items
        while items:
            oldest = next(iter(items.values()))
            if oldest >= horizon and len(items) <= cap:
                break
            items.popitem(last=False)
        return len(items)


class RateWindow:
    """Events per ``window`` seconds, estimated from two window-aligned buckets.

    The estimate is the current bucket's count plus the previous bucket's count weighted
    by how much of it still lies within one window of now (the sliding-window
    approximation rate limiters use). Constant memory per key; exact for steady rates.
    """

    __slots__ = ("current", "index", "previous")

    def __init__(self) -> None:
        self.index = -1
        self.current = 0
        self.previous = 0

    def add(self, ts: float, window: float) -> float:
        """Count one event at ts; return the estimated events in the window ending at ts."""
        index = int(ts // window)
        if index == self.index:
            self.current += 1
        elif index == self.index + 1:
            self.previous, self.current, self.index = self.current, 1, index
        elif index > self.index:
            self.previous, self.current, self.index = 0, 1, index
        else:
            # Older than the current bucket (out-of-order input): count it where it fits.
            if index == self.index - 1:
                self.previous += 1
            return float(self.current + self.previous)
        overlap = 1.0 - (ts - index * window) / window
        return self.current + self.previous * max(0.0, min(1.0, overlap))


class Escalation:
    """When a growing count deserves another hit.

    An episode starts when the count first reaches the threshold (one hit), and hits again
    each time the count doubles, so a sweep or flood makes a handful of hits, not one per
    probe. The episode ends once the count has stayed under the threshold for a whole
    window; the next crossing starts a new one.
    """

    __slots__ = ("active", "last_over", "next_at", "reports", "started")

    def __init__(self) -> None:
        self.active = False
        self.started = 0.0
        self.last_over = float("-inf")
        self.next_at = 0
        self.reports = 0

    def over(self, ts: float, window: float) -> bool:
        """Note that the count is at or over the threshold at ts; True when a new episode
        starts here (the caller resets its episode totals)."""
        fresh = not self.active or ts - self.last_over > window
        if fresh:
            self.active, self.started, self.next_at, self.reports = True, ts, 0, 0
        self.last_over = max(ts, self.last_over)
        return fresh

    def ended(self, ts: float, window: float) -> bool:
        """Whether the episode (if any) is over by ts."""
        if self.active and ts - self.last_over > window:
            self.active = False
        return not self.active

    def due(self, total: int) -> bool:
        """Whether total (the episode's count so far) deserves a hit now."""
        if total < self.next_at:
            return False
        self.reports += 1
        self.next_at = max(total * 2, 2)
        return True

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
from typing import Final, Generic, TypeVar

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

    def touch(self, key: K) -> V | None:
        """The key's state if it has one (the key becomes the most recent); no creation."""
        value = self.items.get(key)
        if value is not None:
            self.items.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> None:
        """Set the key's state (a new key becomes the most recent, within the cap)."""
        items = self.items
        fresh = key not in items
        items[key] = value
        if fresh and len(items) > self.cap:
            items.popitem(last=False)
            self.evicted += 1

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[K]:
        return iter(self.items)


class FirstSightings(Generic[K, V]):
    """Keys seen once so far, holding at most ``cap`` of them, for tables where most keys
    are never seen again (a point written once): ``take`` hands a key's value back on its
    second sighting.

    Two generations of plain dicts: new keys go into the young one; once it holds half the
    cap, the old one is forgotten and the young one becomes old. So a key is forgotten
    after between cap/2 and cap newer ones, at the price of plain dict operations: an
    LruTable pays an ordered insert and an eviction for each such key.
    """

    __slots__ = ("evicted", "half", "old", "young")

    def __init__(self, cap: int) -> None:
        self.half = max(1, cap // 2)
        self.young: dict[K, V] = {}
        self.old: dict[K, V] = {}
        self.evicted = 0
        """Keys forgotten to stay within the cap."""

    def take(self, key: K) -> V | None:
        """The key's value, which is forgotten (the caller keeps the key elsewhere now)."""
        # get and del, not pop(key, None): mypyc compiles these two, and calls pop as a
        # method; most keys asked for are missing.
        young = self.young
        value = young.get(key)
        if value is not None:
            del young[key]
            return value
        old = self.old
        value = old.get(key)
        if value is not None:
            del old[key]
        return value

    def put(self, key: K, value: V) -> None:
        """Hold a key that ``take`` has just missed."""
        young = self.young
        young[key] = value
        if len(young) >= self.half:
            self.evicted += len(self.old)
            self.old, self.young = young, {}

    def __len__(self) -> int:
        return len(self.young) + len(self.old)


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
    """Events per ``window`` seconds, counted in ten slots of a tenth of a window each.

    The estimate for the window ending at an event is the count of the slots wholly inside
    it plus the oldest slot's count weighted by how much of it still overlaps (the
    sliding-window approximation rate limiters use, with finer slots). Constant memory per
    key (eleven counters); off by at most a tenth of a window's events.
    """

    SLOTS: Final = 10
    __slots__ = ("counts", "newest", "total")

    def __init__(self) -> None:
        self.counts = [0] * (self.SLOTS + 1)
        self.newest = -1
        """Index (ts // slot width) of the newest slot counted."""
        self.total = 0
        """The sum of counts (kept, so an estimate is constant time)."""

    def add(self, ts: float, window: float) -> float:
        """Count one event at ts; return the estimated events in the window ending at ts."""
        width = window / self.SLOTS
        index = int(ts // width)
        counts = self.counts
        ring = len(counts)
        if index > self.newest:
            if index - self.newest >= ring:
                counts[:] = [0] * ring
                self.total = 0
            else:
                for stale in range(self.newest + 1, index + 1):
                    self.total -= counts[stale % ring]
                    counts[stale % ring] = 0
            self.newest = index
        if index > self.newest - ring:
            counts[index % ring] += 1
            self.total += 1
        oldest = self.newest - ring + 1
        overlap = ((oldest + 1) * width - (ts - window)) / width
        partial = counts[oldest % ring]
        return self.total - partial + partial * max(0.0, min(1.0, overlap))


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

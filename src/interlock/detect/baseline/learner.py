"""Learning a baseline from the engine's transactions (docs/detect-baseline.md).

    transactions -> talkers (+ functions) , points (address ranges), values, rates

Every table is bounded (``LIMITS``): when one is full, what does not fit is counted in
``Baseline.dropped`` and left out, and the ``learn`` command says so. Address ranges and
rate histograms never drop anything; they merge their closest parts instead.

Entries marked ``manual`` are left exactly as a person wrote them. Pure: no I/O, no clock.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Final

from interlock.detect.baseline import stats
from interlock.detect.baseline.exclusions import (
    Exclusion,
    ExclusionSet,
    address_holes,
    skips_learning,
)
from interlock.detect.baseline.minutes import MinuteCounter
from interlock.detect.baseline.model import (
    Access,
    Baseline,
    CaptureRecord,
    FunctionKey,
    FunctionSpec,
    Points,
    PointValues,
    Rate,
    RateKey,
    SpaceKey,
    Talker,
    TalkerKey,
    ValueGroup,
)
from interlock.model import OperationClass, Target, Transaction

LIMITS: Final = {
    "talkers": 10_000,
    "functions": 256,
    "points": 20_000,
    "values": 50_000,
    "rates": 20_000,
}
"""Talkers in all; functions per talker; point spaces, valued points and rates in all."""

ACCESS_OF: Final[dict[OperationClass, Access]] = {
    OperationClass.READ: "read",
    OperationClass.WRITE: "write",
}


def moment(tx: Transaction) -> tuple[float, int] | None:
    """When and in which frame a transaction happened (its request, else its response)."""
    if tx.request_ts is not None and tx.request_frame is not None:
        return tx.request_ts, tx.request_frame
    if tx.response_ts is not None and tx.response_frame is not None:
        return tx.response_ts, tx.response_frame
    return None


NAME_KEPT: Final = 120
"""Characters of a function name kept (a name is a key in the file; FTP verbs and HTTP
methods come from the peer)."""


def function_key(tx: Transaction) -> FunctionKey:
    name = tx.function_name
    if len(name) > NAME_KEPT:
        name = name[:NAME_KEPT]
    return (tx.function, tx.sub_function, name, tx.operation.value)


def space_key(tx: Transaction, target: Target, access: Access) -> SpaceKey:
    return (tx.server.ip, tx.protocol, target.unit, target.space, access)


def target_range(target: Target) -> tuple[int, int]:
    """A target's addresses; a quantity of 0 ("all of the space", DNP3) is its start."""
    return target.start, target.start + max(target.quantity, 1) - 1


def attributed(tx: Transaction) -> Iterator[tuple[Target, int, int]]:
    """(target, address, value) when the values line up with the targets one to one.

    When they do not (a DNP3 class poll, a Modbus read/write multiple whose values are the
    read half), no value can be tied to a point and none is learned or checked.
    """
    if not tx.values or not tx.targets:
        return
    if any(t.quantity < 1 for t in tx.targets):
        return
    if sum(t.quantity for t in tx.targets) != len(tx.values):
        return
    values = iter(tx.values)
    coil_on = tx.protocol == "modbus" and tx.function == 5
    for target in tx.targets:
        for offset in range(target.quantity):
            value = next(values)
            if coil_on and value == 0xFF00:
                value = 1  # Write Single Coil says ON as 0xFF00; every other coil value is 1
            if isinstance(value, int):
                yield target, target.start + offset, value


class Learner:
    """Feeds transactions into a baseline (a new one, or one loaded to be updated)."""

    def __init__(
        self, baseline: Baseline, start: float | None = None, end: float | None = None
    ) -> None:
        self.baseline = baseline
        self.exclusions = ExclusionSet(baseline.exclusions)
        self.start = -math.inf if start is None else start
        self.end = math.inf if end is None else end
        self.value_points = baseline.value_count()
        self.rate_keys: set[RateKey] = {
            r.key for rs in baseline.rates.values() for r in rs.values()
        }
        self._begin("", "")

    def _begin(self, name: str, sha256: str) -> None:
        self.name, self.sha256 = name, sha256
        self.minutes: MinuteCounter[RateKey] = MinuteCounter()
        self.seen: set[TalkerKey] = set()
        self.busy_minutes: dict[RateKey, int] = {}
        self.transactions = self.learned = 0
        self.first: float | None = None
        self.last: float | None = None

    def begin_capture(self, name: str, sha256: str) -> None:
        self._begin(name, sha256)

    def transaction(self, tx: Transaction) -> None:
        when = moment(tx)
        if when is None:
            return
        ts = when[0]
        self.transactions += 1
        ended = self.minutes.tick(ts)
        if ended is not None:
            self._flush(ended[1], self.end)
        if not self.start <= ts <= self.end:
            return
        matched = self.exclusions.matching(tx)
        if skips_learning(matched):
            return
        self.learned += 1
        self.first = ts if self.first is None else min(self.first, ts)
        self.last = ts if self.last is None else max(self.last, ts)
        key: TalkerKey = (tx.client.ip, tx.server.ip, tx.protocol)
        if self._talker(key, tx, ts) is not None:
            self.seen.add(key)
            self._count_rate((*key, function_key(tx)), ts)
        access = ACCESS_OF.get(tx.operation)
        if access is not None:
            self._points(tx, access, matched)
            self._values(tx, access, matched)

    def end_capture(self) -> CaptureRecord:
        """Close the capture: its last full minutes, its quiet minutes, its record."""
        end = self.end if self.minutes.last is None else min(self.end, self.minutes.last)
        self._flush(self.minutes.newest if self.minutes.newest is not None else 0, end)
        full = self.minutes.full_minutes(self.start, self.end)
        for key in self.seen:
            for function, rate in self.baseline.rates.get(key, {}).items():
                quiet = full - self.busy_minutes.get((*key, function), 0)
                if quiet > 0 and not rate.manual:
                    _add_minutes(rate, 0, quiet)
        record = CaptureRecord(
            self.name, self.sha256, self.first, self.last, self.transactions, self.learned
        )
        self.baseline.captures.append(record)
        return record

    def finish(self) -> Baseline:
        """Set the allowed value ranges from what was seen (widened by the margin)."""
        margin = self.baseline.settings.margin_pct
        for group in self.baseline.values.values():
            for point in group.points.values():
                if point.manual or point.count == 0:
                    continue
                low, high = stats.widened(point.seen_min, point.seen_max, margin)
                point.min = low if point.min is None else min(point.min, low)
                point.max = high if point.max is None else max(point.max, high)
        return self.baseline

    def _drop(self, table: str) -> None:
        self.baseline.dropped[table] = self.baseline.dropped.get(table, 0) + 1

    def _talker(self, key: TalkerKey, tx: Transaction, ts: float) -> Talker | None:
        talkers = self.baseline.talkers
        talker = talkers.get(key)
        if talker is None:
            if len(talkers) >= LIMITS["talkers"]:
                self._drop("talkers")
                return None
            talker = talkers[key] = Talker(*key)
        if talker.manual:
            return talker
        talker.count += 1
        talker.first_seen = ts if talker.first_seen is None else min(talker.first_seen, ts)
        talker.last_seen = ts if talker.last_seen is None else max(talker.last_seen, ts)
        function = function_key(tx)
        spec = talker.function_for(function)
        if spec is None:
            if len(talker.functions) >= LIMITS["functions"]:
                self._drop("functions")
                return talker
            spec = FunctionSpec(*function)
            talker.functions.append(spec)
        spec.count += 1
        return talker

    def _count_rate(self, key: RateKey, ts: float) -> None:
        if key not in self.rate_keys:
            if len(self.rate_keys) >= LIMITS["rates"]:
                self._drop("rates")
                return
            self.rate_keys.add(key)
        self.minutes.count(key, ts)

    def _flush(self, upto: int, end: float) -> None:
        for key in list(self.minutes.open):
            for minute, messages in self.minutes.take(key, upto):
                if self.minutes.is_full(minute, self.start, end):
                    self._add_busy_minute(key, messages)

    def _add_busy_minute(self, key: RateKey, messages: int) -> None:
        talker, function = key[:3], key[3]
        rates = self.baseline.rates.setdefault(talker, {})
        rate = rates.get(function)
        if rate is None:
            rate = rates[function] = Rate(*key)
        self.busy_minutes[key] = self.busy_minutes.get(key, 0) + 1
        if not rate.manual:
            _add_minutes(rate, messages, 1)

    def _points(self, tx: Transaction, access: Access, matched: list[Exclusion]) -> None:
        for target in tx.targets:
            key = space_key(tx, target, access)
            points = self.baseline.points.get(key)
            if points is None:
                if len(self.baseline.points) >= LIMITS["points"]:
                    self._drop("points")
                    continue
                points = self.baseline.points[key] = Points(*key)
            if points.manual:
                continue
            low, high = target_range(target)
            parts = stats.subtract([(low, high)], address_holes(matched, target, None))
            for part in parts:
                stats.add_range(points.ranges, *part)
            if parts:
                points.count += 1
            joins = stats.coarsen(points.ranges)
            if joins:
                self.baseline.dropped["range_joins"] = (
                    self.baseline.dropped.get("range_joins", 0) + joins
                )

    def _values(self, tx: Transaction, access: Access, matched: list[Exclusion]) -> None:
        holes: dict[Target, list[tuple[int, int]]] = {}
        for target, address, value in attributed(tx):
            if target not in holes:
                holes[target] = address_holes(matched, target, None)
            if stats.in_holes(address, holes[target]):
                continue
            key = space_key(tx, target, access)
            group = self.baseline.values.get(key)
            point = group.points.get(address) if group is not None else None
            if point is None:
                if self.value_points >= LIMITS["values"]:
                    self._drop("values")
                    continue
                self.value_points += 1
                if group is None:
                    group = self.baseline.values[key] = ValueGroup(*key)
                point = group.points[address] = PointValues()
            if not point.manual:
                stats.add_value(point, value)


def _add_minutes(rate: Rate, messages: int, minutes: int) -> None:
    if rate.windows == 0:
        rate.min = rate.max = messages
    else:
        rate.min = min(rate.min, messages)
        rate.max = max(rate.max, messages)
    rate.windows += minutes
    stats.add_to_histogram(rate.histogram, messages, minutes)

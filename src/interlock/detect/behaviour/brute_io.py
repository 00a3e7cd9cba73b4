"""Kind ``brute_force_io``: one point written over and over, or flipped back and forth (T0806).

Keys are (client, server, protocol, unit, address space, start address) for each target
of a write. Two rates are kept per point over a sliding window of capture time: writes,
and toggles (a value going back to the one it had two writes before: A, B, A). A rule
sets ``min_toggles`` (flipping a point: brute force proper), ``min_writes`` (one point
written over and over, whatever the value: forcing it), or both; either reaching its
threshold starts an episode. A heartbeat toggled once a second and setpoints refreshed
every half second stay under the shipped thresholds.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from interlock.detect.behaviour.evidence import is_request, time_of, tx_hit
from interlock.detect.behaviour.params import Params, bad_param
from interlock.detect.behaviour.windows import Escalation, FirstSightings, LruTable, RateWindow
from interlock.detect.hits import FlowSeen, Hit, PlantContext, RuleInfo, Screen
from interlock.model import Target, Transaction

NOTHING: Final[tuple[Hit, ...]] = ()
TARGETS_PER_WRITE: Final = 8
"""Points followed per write (a multi-point write beyond this counts its first ones)."""
VALUES_KEPT: Final = 16

PointKey = tuple[str, str, str, int, str, int]
FirstWrite = tuple[float, int]
"""A point written once so far: when, and the value's hash (most points never get more)."""
NEVER: Final = float("inf")


class PointState(RateWindow):
    """A point's write rate and last two values; its toggle rate once it has toggled and
    its episodes once it has had one (most points never do)."""

    __slots__ = ("before_last", "episodes", "last", "toggle_rate")

    def __init__(self) -> None:
        super().__init__()  # the point's write rate
        self.toggle_rate: RateWindow | None = None
        self.last: int | None = None
        self.before_last: int | None = None
        self.episodes: list[PointEpisode | None] | None = None
        """One per rule of the detector, by position."""


class PointEpisode:
    __slots__ = ("escalation", "toggles", "values", "writes")

    def __init__(self) -> None:
        self.escalation = Escalation()
        self.writes = 0
        self.toggles = 0
        self.values: dict[int, None] = {}


class Thresholds:
    """One rule's part of a detector: its identity and what makes it fire."""

    __slots__ = ("min_toggles", "min_writes", "rule")

    def __init__(self, rule: RuleInfo, min_writes: int | None, min_toggles: int | None) -> None:
        self.rule = rule
        self.min_writes = min_writes
        self.min_toggles = min_toggles

    def over(self, writes: float, toggles: float) -> bool:
        return (self.min_writes is not None and writes >= self.min_writes) or (
            self.min_toggles is not None and toggles >= self.min_toggles
        )


class BruteForceIO:
    """The kind's detector. Rules that follow points alike (same window, operations,
    protocols and bound) share one: the run hands it the others (``absorb``), so a write
    updates each point's rates once, whatever the number of such rules."""

    def __init__(self, rule: RuleInfo, params: dict[str, Any], context: PlantContext) -> None:
        p = Params(
            params,
            ("window", "min_writes", "min_toggles", "operations", "protocols", "max_points"),
        )
        self.rule = rule
        self.window = p.seconds("window", 10.0)
        min_writes = p.integer("min_writes", 0) if "min_writes" in params else None
        min_toggles = p.integer("min_toggles", 0) if "min_toggles" in params else None
        if min_writes is None and min_toggles is None:
            raise bad_param("min_writes", "give min_writes, min_toggles or both")
        if min_writes is not None and (min_toggles or 0) > min_writes:
            raise bad_param(
                "min_toggles", f"cannot exceed min_writes ({min_writes}): a toggle is a write"
            )
        self.rules = [Thresholds(rule, min_writes, min_toggles)]
        self.operations = p.operations("operations", ("write",))
        self.protocols = frozenset(p.protocols("protocols", ())) if "protocols" in params else None
        self.watches = self.protocols
        """Protocols whose transactions can make it fire (None: every protocol)."""
        self.screen = Screen(operations=self.operations)
        max_points = p.integer("max_points", 20_000)
        self.points: LruTable[PointKey, PointState] = LruTable(max_points, PointState)
        """Points written more than once."""
        self.first_writes: FirstSightings[PointKey, FirstWrite] = FirstSightings(max_points)
        """Points written once so far, kept apart: most points never get a second write."""
        self.least_writes, self.least_toggles = self._least()

    def absorb(self, other: object) -> bool:
        """Take over another rule of this kind that follows points alike; False if it
        cannot (its hits then come from its own detector)."""
        if not (
            isinstance(other, BruteForceIO)
            and other.window == self.window
            and other.operations == self.operations
            and other.protocols == self.protocols
            and other.points.cap == self.points.cap
        ):
            return False
        self.rules.extend(other.rules)
        self.least_writes, self.least_toggles = self._least()
        return True

    def _least(self) -> tuple[float, float]:
        """The lowest thresholds: a point under both fires no rule."""
        writes = [t.min_writes for t in self.rules if t.min_writes is not None]
        toggles = [t.min_toggles for t in self.rules if t.min_toggles is not None]
        return min(writes, default=NEVER), min(toggles, default=NEVER)

    def transaction(self, tx: Transaction) -> Iterable[Hit]:
        if tx.operation not in self.operations or not tx.targets or not is_request(tx):
            return NOTHING
        if self.protocols is not None and tx.protocol not in self.protocols:
            return NOTHING
        ts = time_of(tx)
        value = hash(tx.values)
        client, server, protocol = tx.client.ip, tx.server.ip, tx.protocol
        hits: list[Hit] | None = None
        targets = tx.targets
        for at in range(min(len(targets), TARGETS_PER_WRITE)):
            target = targets[at]
            key = (client, server, protocol, target.unit, target.space, target.start)
            state = self._state(key, value, ts)
            if state is None:
                continue
            found = self._point(tx, target, state, value, ts)
            if found is not None:
                hits = found if hits is None else [*hits, *found]
        return NOTHING if hits is None else hits

    def _state(self, key: PointKey, value: int, ts: float) -> PointState | None:
        """The point's state, made on its second write by replaying the first (what the
        first write did to a PointState: its write rate and last value); None on the first
        write when that cannot fire."""
        found = self.points.touch(key)
        if found is not None:
            return found
        first = self.first_writes.take(key)
        if first is None and self.least_writes > 1 and self.least_toggles > 0:
            self.first_writes.put(key, (ts, value))
            return None
        state = PointState()
        if first is not None:
            first_ts, first_value = first
            state.add(first_ts, self.window)
            state.last = first_value
        self.points.put(key, state)
        return state

    def _point(
        self, tx: Transaction, target: Target, state: PointState, value: int, ts: float
    ) -> list[Hit] | None:
        writes = state.add(ts, self.window)
        toggled = state.last is not None and value != state.last and value == state.before_last
        state.before_last, state.last = state.last, value
        toggles = 0.0
        if toggled:
            if state.toggle_rate is None:
                state.toggle_rate = RateWindow()
            toggles = state.toggle_rate.add(ts, self.window)
        if state.episodes is None:
            if writes < self.least_writes and toggles < self.least_toggles:
                return None
            state.episodes = [None] * len(self.rules)
        hits: list[Hit] | None = None
        episodes = state.episodes
        for n, rule in enumerate(self.rules):
            hit = self._rule_point(
                rule, episodes, n, tx, target, ts, writes, toggles, toggled, value
            )
            if hit is not None:
                hits = [hit] if hits is None else [*hits, hit]
        return hits

    def _rule_point(
        self,
        rule: Thresholds,
        episodes: list[PointEpisode | None],
        n: int,
        tx: Transaction,
        target: Target,
        ts: float,
        writes: float,
        toggles: float,
        toggled: bool,
        value: int,
    ) -> Hit | None:
        """One rule's judgement of a write to a point that has reached some threshold
        (episodes[n] is the rule's episode on the point; writes and toggles, its rates)."""
        episode = episodes[n]
        if episode is not None:
            episode.escalation.ended(ts, self.window)
        if rule.over(writes, toggles):
            if episode is None:
                episode = episodes[n] = PointEpisode()
            if episode.escalation.over(ts, self.window):
                episode.writes, episode.toggles = int(writes) - 1, int(toggles) - toggled
                episode.values.clear()
        if episode is None or not episode.escalation.active:
            return None
        episode.writes += 1
        episode.toggles += toggled
        if len(episode.values) < VALUES_KEPT:
            episode.values[value] = None
        if not episode.escalation.due(
            episode.writes if rule.min_writes is not None else episode.toggles
        ):
            return None
        return self._hit(rule, tx, target, episode, ts)

    def flow(self, flow: FlowSeen) -> Iterable[Hit]:
        return NOTHING

    def finish(self) -> Iterable[Hit]:
        return NOTHING

    def _hit(
        self, rule: Thresholds, tx: Transaction, target: Target, state: PointEpisode, ts: float
    ) -> Hit:
        point = f"{target.space} {target.start}"
        if target.quantity > 1:
            point += f"-{target.start + target.quantity - 1}"
        flips = f", flipping its value {state.toggles} times" if state.toggles else ""
        limits = [f"{rule.min_writes} writes"] if rule.min_writes is not None else []
        limits += [f"{rule.min_toggles} flips"] if rule.min_toggles is not None else []
        message = (
            f"{tx.client.ip} wrote {point} (unit {target.unit}) on {tx.server.ip} "
            f"{state.writes} times{flips} (threshold: {' or '.join(limits)} per "
            f"{self.window:g} s)"
        )
        details: dict[str, Any] = {
            "unit": target.unit,
            "space": target.space,
            "start": target.start,
            "quantity": target.quantity,
            "writes": state.writes,
            "toggles": state.toggles,
            "distinct_values": len(state.values),
            "function": tx.function_name,
            "min_writes": rule.min_writes,
            "min_toggles": rule.min_toggles,
            "window_seconds": self.window,
            "episode_start": state.escalation.started,
            "report": state.escalation.reports,
        }
        return tx_hit(rule.rule, tx, message, details)

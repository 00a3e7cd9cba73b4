"""Kind ``discovery_sweep``: one client asking many targets who they are (T0846).

Counts, per client, the distinct targets of chosen discovery requests (ENIP ListIdentity,
Modbus FC 43/14, S7 SZL reads, BACnet Who-Is, PROFINET DCP Identify, ARP) within a window
of capture time. A request to a broadcast or multicast address reaches a whole segment
at once and is counted as one target named by that address (rules that only want
broadcasts say ``destinations: broadcast`` and ``min_targets: 1``).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any, Final

from interlock.detect.alert import Outcome
from interlock.detect.behaviour.addresses import reach_of
from interlock.detect.behaviour.evidence import frame_of, is_request, time_of
from interlock.detect.behaviour.params import REQUIRED, Params, bad_param
from interlock.detect.behaviour.windows import DistinctWindow, Escalation, LruTable
from interlock.detect.hits import FlowSeen, Hit, PlantContext, RuleInfo, Screen
from interlock.model import Endpoint, Transaction

NOTHING: Final[tuple[Hit, ...]] = ()
SAMPLE: Final = 10
"""Targets named in a hit's details (the rest are counted)."""

V19_BY_REACH: Final = {"broadcast": "T0846.002", "multicast": "T0846.003"}


class SweepState(DistinctWindow):
    """A client's distinct targets in the window (it is that window: one object less per
    client), its episode, and when it last had an answer."""

    __slots__ = ("answered_at", "episode")

    def __init__(self) -> None:
        super().__init__()
        self.episode: SweepEpisode | None = None
        """Made when the client first reaches the threshold (most never do)."""
        self.answered_at = float("-inf")
        """When a target last answered: a sweep that got answers found something."""


class SweepEpisode:
    __slots__ = ("anchor", "escalation", "targets")

    def __init__(self, anchor: Endpoint) -> None:
        self.escalation = Escalation()
        self.targets: dict[Hashable, None] = {}
        self.anchor = anchor


class DiscoverySweep:
    def __init__(self, rule: RuleInfo, params: dict[str, Any], context: PlantContext) -> None:
        p = Params(
            params,
            (
                "protocol",
                "functions",
                "operations",
                "match",
                "distinct_by",
                "destinations",
                "min_targets",
                "window",
                "max_sources",
                "max_targets",
            ),
        )
        self.rule = rule
        self.protocol = p.protocol("protocol", REQUIRED)
        self.watches = frozenset({self.protocol})
        self.functions = frozenset(p.names("functions", REQUIRED, what="function name"))
        self.operations = p.operations("operations", ()) if "operations" in params else None
        self.match = p.mapping("match")
        self.distinct_by = p.names("distinct_by", ("host",), what="target field")
        for field in self.distinct_by:
            if field not in ("host", "port", "unit") and not field.startswith("details."):
                raise bad_param(
                    "distinct_by", f"{field!r} is not host, port, unit or details.<key>"
                )
        self.destinations = p.choice("destinations", "any", ("any", "unicast", "broadcast"))
        self.min_targets = p.integer("min_targets", 10)
        self.window = p.seconds("window", 60.0)
        max_targets = p.integer("max_targets", 4096)
        if max_targets < self.min_targets:
            raise bad_param("max_targets", f"must be at least min_targets ({self.min_targets})")
        self.max_targets = max_targets
        self.screen = Screen(self.operations, self.functions)
        self.sources: LruTable[str, SweepState] = LruTable(
            p.integer("max_sources", 10_000), SweepState
        )

    def transaction(self, tx: Transaction) -> Iterable[Hit]:
        if tx.protocol != self.protocol or tx.function_name not in self.functions:
            return NOTHING
        if not is_request(tx) or (
            self.operations is not None and tx.operation not in self.operations
        ):
            return NOTHING
        if self.match and any(tx.details.get(k) != v for k, v in self.match.items()):
            return NOTHING
        reach = reach_of(tx.server.ip)
        if self.destinations == "unicast" and reach != "unicast":
            return NOTHING
        if self.destinations == "broadcast" and reach == "unicast":
            return NOTHING
        target = tuple([_field(tx, name) for name in self.distinct_by])
        ts = time_of(tx)
        state = self.sources.get(tx.client.ip)
        count = state.add(target, ts, self.window, self.max_targets)
        if tx.status == "ok":
            state.answered_at = max(state.answered_at, ts)
        episode = state.episode
        if episode is not None:
            episode.escalation.ended(ts, self.window)
        if count >= self.min_targets:
            if episode is None:
                episode = state.episode = SweepEpisode(tx.server)
            if episode.escalation.over(ts, self.window):
                episode.targets = dict.fromkeys(state.items)
                episode.anchor = tx.server
        if episode is None or not episode.escalation.active:
            return NOTHING
        if len(episode.targets) < self.max_targets:
            episode.targets[target] = None
        if not episode.escalation.due(len(episode.targets)):
            return NOTHING
        return (self._hit(tx, state, episode, reach, ts),)

    def flow(self, flow: FlowSeen) -> Iterable[Hit]:
        return NOTHING

    def finish(self) -> Iterable[Hit]:
        return NOTHING

    def _hit(
        self, tx: Transaction, state: SweepState, episode: SweepEpisode, reach: str, ts: float
    ) -> Hit:
        targets = len(episode.targets)
        what = f"{tx.protocol} {tx.function_name}"
        sender = tx.details.get("sender_ip")  # ARP names the asker's IP beside its MAC
        client = f"{tx.client.ip} ({sender})" if isinstance(sender, str) else tx.client.ip
        if targets == 1 and reach != "unicast":
            message = f"{client} sent {what} to the {reach} address {tx.server.ip}"
        else:
            saturated = "at least " if targets >= self.max_targets else ""
            message = (
                f"{client} sent {what} to {saturated}{targets} distinct targets "
                f"(by {', '.join(self.distinct_by)}) within {self.window:g} s"
            )
        details: dict[str, Any] = {
            "targets": targets,
            "threshold": self.min_targets,
            "window_seconds": self.window,
            "episode_start": episode.escalation.started,
            "report": episode.escalation.reports,
            "distinct_by": list(self.distinct_by),
            "sample": [_text(t) for t in list(episode.targets)[:SAMPLE]],
            "destination": reach,
        }
        if reach in V19_BY_REACH:
            details["v19_subtechnique"] = V19_BY_REACH[reach]
        answered = state.answered_at >= episode.escalation.started - self.window
        details["answered"] = answered
        outcome: Outcome = "succeeded" if answered else "attempted"
        return Hit(
            self.rule,
            tx.protocol,
            tx.client,
            episode.anchor,
            ts,
            frame_of(tx),
            outcome,
            message,
            details,
        )


def _field(tx: Transaction, name: str) -> Hashable:
    if name == "host":
        return tx.server.ip
    if name == "port":
        return tx.server.port
    if name == "unit":
        unit = tx.details.get("unit_id")
        if unit is None and tx.targets:
            unit = tx.targets[0].unit
        return unit if isinstance(unit, int) else None
    value = tx.details.get(name.removeprefix("details."))
    return value if isinstance(value, str | int | float | bool | None) else repr(value)[:64]


def _text(target: Hashable) -> str:
    if isinstance(target, tuple):
        return "/".join("-" if part is None else str(part) for part in target)
    return str(target)

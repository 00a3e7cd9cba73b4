"""One detection run over one capture (or live session): transactions and flows in, alerts out.

    transactions ─┬─ dispatch index (match rules) ─┐
                  └─ behavioural detectors ────────┼─ hits ─ suppressions ─ aggregator ─ alerts
    flows ───────── behavioural detectors ─────────┘

Deterministic: the run reads no clock, randomness or environment; time comes from the
packets, and hits are handled in the order the engine reports transactions and flows, so
the same capture gives the same alerts, byte for byte. Bounded: see the aggregator, the
suppressor and the link taps.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Protocol, TypeVar

from interlock.detect.aggregate import Aggregator
from interlock.detect.alert import Alert, AlertEndpoint
from interlock.detect.hits import Detector, FlowSeen, Hit, PlantContext, Screen
from interlock.detect.links import Dnp3LinkResets
from interlock.detect.match import OUTCOME_OF_STATUS, MatchRule
from interlock.detect.pending import PendingAlert
from interlock.detect.ruleset import DEFAULT_WINDOW, RuleSet
from interlock.detect.suppress import Suppression, Suppressor, Swallowed
from interlock.model import Endpoint, Transaction
from interlock.net.flows import ETHER, TCP, UDP, Flow

TRANSPORTS: Final = {TCP: "tcp", UDP: "udp", ETHER: "ether"}
MAX_WATCH_KEYS: Final = 4096
"""Combinations filed (protocol x function name x operation x status: a few hundred in
practice); beyond, a transaction's detectors are picked each time."""

WatchKey = tuple[str, str, str, str]


@dataclass
class DetectionResult:
    pending: list[PendingAlert]
    """The run's alerts, compact (the store writes them as they are), in a stable order."""
    hits: int
    swallowed: dict[int, Swallowed] = field(default_factory=dict)
    """Suppression id -> the hits it covered in this run."""
    over_limit: dict[str, int] = field(default_factory=dict)
    """Rule id -> hits not kept because the run reached its alert limit."""
    stored: dict[int, Alert] = field(default_factory=dict)
    """Position in ``pending`` -> the stored alert it was merged into, once saved."""
    _alerts: list[Alert] | None = field(default=None, repr=False)

    @property
    def alerts(self) -> list[Alert]:
        """The run's alerts as full values (built on first use), as stored where they
        joined an alert already in the store."""
        if self._alerts is None:
            self._alerts = [
                self.stored[n] if n in self.stored else alert.alert()
                for n, alert in enumerate(self.pending)
            ]
        return self._alerts

    @property
    def suppressed(self) -> int:
        return sum(s.hits for s in self.swallowed.values())

    def by_severity(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for alert in self.pending:
            found[alert.rule.severity] = found.get(alert.rule.severity, 0) + 1
        return found


class DetectionRun:
    def __init__(
        self,
        rules: RuleSet,
        context: PlantContext,
        capture: str,
        site: str = "default",
        suppressions: Sequence[Suppression] = (),
        extra: Sequence[Detector] = (),
    ) -> None:
        self.index = rules.index
        self.detectors = sharing([detector for _rule, detector in rules.detectors(context)])
        self.detectors.extend(extra)  # e.g. the learned baseline's deviations
        self._watching: dict[WatchKey, list[Detector]] = {}
        """(protocol, function name, operation, status) -> the detectors such transactions
        can make fire, as the index files rules (a detector's ``watches``: its protocols, or
        None for all; its ``screen``: see ``Screen``)."""
        self.aggregator = Aggregator(capture, site, rules.windows(), DEFAULT_WINDOW)
        self.suppressor = Suppressor(list(suppressions), context) if suppressions else None
        self.hits = 0
        self.links = Dnp3LinkResets(self.transaction)
        self.unit_taps: Final = frozenset({"dnp3"})
        """Engine protocols whose units `unit` wants to see (the DNP3 link layer)."""

    def transaction(self, tx: Transaction) -> None:
        for rule, fired in self.index.matches(tx):
            self._match(rule, fired)
        key = (tx.protocol, tx.function_name, tx.operation, tx.status)
        watching = self._watching.get(key)
        if watching is None:
            watching = [d for d in self.detectors if _watches(d, *key)]
            if len(self._watching) < MAX_WATCH_KEYS:
                self._watching[key] = watching
        for detector in watching:
            for hit in detector.transaction(tx):
                self.hit(hit)

    def unit(self, frame: int, ts: float, flow: Flow, direction: int, message: Any) -> None:
        """A unit of a flow whose protocol is in unit_taps (the engine sink's call)."""
        self.links.unit(frame, ts, flow, direction, message)

    def flow(self, seen: FlowSeen) -> None:
        for detector in self.detectors:
            for hit in detector.flow(seen):
                self.hit(hit)

    def flow_closed(self, flow: Flow) -> None:
        """The engine forgot a flow: link resets still waiting are unanswered, and the
        behavioural detectors see the flow."""
        if flow.spec is not None and flow.spec.name in self.unit_taps:
            self.links.flow_closed(flow)
        if self.detectors and flow.packets:
            self.flow(flow_seen(flow))

    def hit(self, hit: Hit) -> None:
        self.hits += 1
        suppressed_by = None
        if self.suppressor is not None:
            suppressed_by = self.suppressor.check(hit.rule.id, hit.src.ip, hit.dst.ip, hit.ts)
        self.aggregator.add(hit, suppressed_by)

    def _match(self, rule: MatchRule, tx: Transaction) -> None:
        """A match rule fired: a repeat of an open alert is counted without building a Hit
        (its message and details are the first hit's)."""
        self.hits += 1
        ts = tx.request_ts if tx.request_ts is not None else tx.response_ts
        ts = ts if ts is not None else 0.0
        rule_id = rule.info.id
        suppressed_by = None
        if self.suppressor is not None:
            suppressed_by = self.suppressor.check(rule_id, tx.client.ip, tx.server.ip, ts)
        frame = tx.request_frame if tx.request_frame is not None else tx.response_frame
        outcome = OUTCOME_OF_STATUS.get(tx.status, "unknown")
        joined = self.aggregator.join(
            rule_id, tx.client, tx.server, ts, frame or 0, outcome, suppressed_by
        )
        if not joined:
            self.aggregator.start(rule.hit(tx), suppressed_by)

    def finish(self) -> DetectionResult:
        self.links.finish()
        for detector in self.detectors:
            for hit in detector.finish():
                self.hit(hit)
        swallowed = self.suppressor.swallowed if self.suppressor is not None else {}
        result = DetectionResult(
            self.aggregator.pending(),
            self.hits,
            dict(sorted(swallowed.items())),
            dict(sorted(self.aggregator.over_limit.items())),
        )
        # A run is over once finished: its per-key state (tens of MB on a big capture)
        # goes now, not when the caller drops the run.
        self.detectors, self._watching = [], {}
        self.aggregator = Aggregator(self.aggregator.capture, self.aggregator.site, {}, 0.0)
        return result


class Tee:
    """Hands each transaction to the inventory's consumer, then to detection's (a compiled
    call per transaction, where a closure would run as bytecode)."""

    __slots__ = ("first", "second")

    def __init__(
        self, first: Callable[[Transaction], None], second: Callable[[Transaction], None]
    ) -> None:
        self.first = first
        self.second = second

    def __call__(self, tx: Transaction) -> None:
        self.first(tx)
        self.second(tx)


def sharing(detectors: list[Detector]) -> list[Detector]:
    """The detectors, each folded into an earlier one that can take it over (a detector
    with an ``absorb`` method, such as brute_force_io's, serves several rules at once)."""
    kept: list[Detector] = []
    for detector in detectors:
        if not any(_absorbs(keeper, detector) for keeper in kept):
            kept.append(detector)
    return kept


def _absorbs(keeper: Detector, other: Detector) -> bool:
    absorb = getattr(keeper, "absorb", None)
    return absorb is not None and bool(absorb(other))


def flow_seen(flow: Flow) -> FlowSeen:
    """What behavioural detectors see of a flow the engine is done with."""
    client_dir = flow.client_dir if flow.client_dir >= 0 else 0
    client, cport, server, sport = flow.text[client_dir]
    protocol = flow.spec.name if flow.spec is not None and flow.units else None
    return FlowSeen(
        transport=TRANSPORTS.get(flow.transport, str(flow.transport)),
        client=Endpoint(client, cport),
        server=Endpoint(server, sport),
        protocol=protocol,
        first_seen=flow.first_seen,
        last_seen=flow.last_seen,
        packets=flow.packets,
        octets=flow.octets,
        # The engine does not record a flow's first frame yet (see docs/detect.md).
        first_frame=flow.first_frame,
    )


class HasEndpoints(Protocol):
    src: AlertEndpoint
    dst: AlertEndpoint


Alerted = TypeVar("Alerted", bound=HasEndpoints)


def with_assets(alerts: list[Alerted], context: PlantContext) -> list[Alerted]:
    """The alerts with each endpoint's asset id, as the context (the inventory) knows it."""
    # Alerts share endpoint objects (the aggregator makes one per endpoint), so each is
    # looked up once; and one object per (address, port, asset) comes out: a server is the
    # end of thousands of alerts.
    # Keyed by identity, with the original kept so that no id is reused meanwhile.
    looked_up: dict[int, tuple[AlertEndpoint, AlertEndpoint]] = {}
    made: dict[tuple[str, int | None, int], AlertEndpoint] = {}
    for alert in alerts:
        for side in (alert.src, alert.dst):
            if id(side) not in looked_up:
                looked_up[id(side)] = (side, _with_asset(side, context, made))
        alert.src = looked_up[id(alert.src)][1]
        alert.dst = looked_up[id(alert.dst)][1]
    return alerts


def _with_asset(
    endpoint: AlertEndpoint,
    context: PlantContext,
    made: dict[tuple[str, int | None, int], AlertEndpoint],
) -> AlertEndpoint:
    asset = context.asset_at(endpoint.ip)
    if asset is None or endpoint.asset == asset.id:
        return endpoint
    key = (endpoint.ip, endpoint.port, asset.id)
    found = made.get(key)
    if found is None:
        found = made[key] = AlertEndpoint(endpoint.ip, endpoint.port, asset.id)
    return found


def _watches(
    detector: Detector, protocol: str, function_name: str, operation: str, status: str
) -> bool:
    watched: frozenset[str] | None = getattr(detector, "watches", None)
    if watched is not None and protocol not in watched:
        return False
    screen: Screen | None = getattr(detector, "screen", None)
    return screen is None or screen.admits(function_name, operation, status)

"""Kind ``request_flood``: more requests per window than a device should see (T0814).

Counts requests (transactions whose request the capture holds) per client and server,
per client, or per server, optionally only some statuses (``unanswered`` for a flood the
device could not keep up with, ``exception`` for an exception storm), protocols,
operation classes or functions. The rate is estimated over a sliding window of capture
time in constant memory per key.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable
from typing import Any, Final

from interlock.detect.alert import Outcome
from interlock.detect.behaviour.evidence import frame_of, is_request, time_of
from interlock.detect.behaviour.params import REQUIRED, STATUSES, Params
from interlock.detect.behaviour.windows import Escalation, LruTable, RateWindow
from interlock.detect.hits import FlowSeen, Hit, PlantContext, RuleInfo, Screen
from interlock.model import Endpoint, Transaction

NOTHING: Final[tuple[Hit, ...]] = ()
PEERS_KEPT: Final = 64


class FloodState(RateWindow):
    """A key's request rate (it is its rate window: one object less per key), and its
    episode once it has had one (most keys never do)."""

    __slots__ = ("episode",)

    def __init__(self) -> None:
        super().__init__()
        self.episode: FloodEpisode | None = None


class FloodEpisode:
    """What a flood's hits report, from the crossing of the threshold on."""

    __slots__ = ("anchor", "escalation", "peak", "peers", "protocols", "requests", "statuses")

    def __init__(self, anchor: tuple[Endpoint, Endpoint]) -> None:
        self.escalation = Escalation()
        self.anchor = anchor
        self.requests = 0
        self.peak = 0.0
        self.statuses: Counter[str] = Counter()
        self.peers: dict[str, None] = {}
        self.protocols: dict[str, None] = {}


class RequestFlood:
    def __init__(self, rule: RuleInfo, params: dict[str, Any], context: PlantContext) -> None:
        p = Params(
            params,
            (
                "min_requests",
                "window",
                "per",
                "statuses",
                "protocols",
                "operations",
                "functions",
                "max_keys",
            ),
        )
        self.rule = rule
        self.min_requests = p.integer("min_requests", REQUIRED)
        self.window = p.seconds("window", 1.0)
        self.per = p.choice("per", "client_server", ("client_server", "client", "server"))
        self.statuses = p.statuses("statuses", sorted(STATUSES))
        self.protocols = frozenset(p.protocols("protocols", ())) if "protocols" in params else None
        self.watches = self.protocols
        """Protocols whose transactions can make it fire (None: every protocol)."""
        self.operations = p.operations("operations", ()) if "operations" in params else None
        self.functions = (
            frozenset(p.names("functions", (), what="function name"))
            if "functions" in params
            else None
        )
        self.screen = Screen(self.operations, self.functions, self.statuses)
        self.keys: LruTable[Hashable, FloodState] = LruTable(
            p.integer("max_keys", 10_000), FloodState
        )
        self.outcome: Outcome = "refused" if self.statuses == {"exception"} else "attempted"
        self.last_client: str | None = None
        self.last_server: str | None = None
        self.last_state = FloodState()

    def transaction(self, tx: Transaction) -> Iterable[Hit]:
        if tx.status not in self.statuses or not is_request(tx):
            return NOTHING
        if self.protocols is not None and tx.protocol not in self.protocols:
            return NOTHING
        if self.operations is not None and tx.operation not in self.operations:
            return NOTHING
        if self.functions is not None and tx.function_name not in self.functions:
            return NOTHING
        ts = time_of(tx)
        client_ip, server_ip = tx.client.ip, tx.server.ip
        if client_ip is self.last_client and server_ip is self.last_server:
            # The same pair as the last request (its flow's address strings): the state the
            # table handed out last, still its most recent key, so still held.
            state = self.last_state
        else:
            key: Hashable
            if self.per == "client_server":
                key = (client_ip, server_ip)
            else:
                key = client_ip if self.per == "client" else server_ip
            state = self.last_state = self.keys.get(key)
            self.last_client, self.last_server = client_ip, server_ip
        rate = state.add(ts, self.window)
        episode = state.episode
        if episode is not None:
            episode.escalation.ended(ts, self.window)
        if rate >= self.min_requests:
            if episode is None:
                episode = state.episode = FloodEpisode((tx.client, tx.server))
            if episode.escalation.over(ts, self.window):
                episode.anchor = (tx.client, tx.server)
                episode.requests, episode.peak = int(rate) - 1, 0.0
                episode.statuses.clear()
                episode.peers.clear()
                episode.protocols.clear()
        if episode is None or not episode.escalation.active:
            return NOTHING
        episode.requests += 1
        episode.peak = max(episode.peak, rate)
        episode.statuses[tx.status] += 1
        peer = tx.client.ip if self.per == "server" else tx.server.ip
        if len(episode.peers) < PEERS_KEPT:
            episode.peers[peer] = None
        episode.protocols[tx.protocol] = None
        if not episode.escalation.due(episode.requests):
            return NOTHING
        return (self._hit(tx, episode, ts),)

    def flow(self, flow: FlowSeen) -> Iterable[Hit]:
        return NOTHING

    def finish(self) -> Iterable[Hit]:
        return NOTHING

    def _hit(self, tx: Transaction, state: FloodEpisode, ts: float) -> Hit:
        client, server = state.anchor
        protocols = ", ".join(state.protocols)
        peak = f"{state.peak:.0f}"
        if self.statuses == {"exception"}:
            subject = f"{protocols} exception responses"
        elif self.statuses == {"unanswered"}:
            subject = f"unanswered {protocols} requests"
        else:
            subject = f"{protocols} requests"
        if self.per == "client_server":
            where = f"from {client.ip} to {server.ip}"
        elif self.per == "client":
            where = f"from {client.ip} ({_count(len(state.peers), 'server')})"
        else:
            where = f"to {server.ip} ({_count(len(state.peers), 'client')})"
        message = (
            f"{state.requests} {subject} {where}, peaking at {peak} per {self.window:g} s "
            f"(threshold {self.min_requests})"
        )
        details: dict[str, Any] = {
            "requests": state.requests,
            "peak_rate": round(state.peak, 1),
            "threshold": self.min_requests,
            "window_seconds": self.window,
            "per": self.per,
            "statuses_after_threshold": dict(sorted(state.statuses.items())),
            "episode_start": state.escalation.started,
            "report": state.escalation.reports,
        }
        if self.per != "client_server":
            details["peers"] = len(state.peers)
        return Hit(
            self.rule, tx.protocol, client, server, ts, frame_of(tx), self.outcome, message, details
        )


def _count(n: int, noun: str) -> str:
    saturated = "at least " if n >= PEERS_KEPT else ""
    return f"{saturated}{n} {noun}{'' if n == 1 else 's'}"

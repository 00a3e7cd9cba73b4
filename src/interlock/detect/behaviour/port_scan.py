"""Kind ``port_scan``: one source probing many (host, ICS port) pairs (T0846, v19 T0846.001).

Works on the flows the engine forgets, so connection attempts that never carried data
(a SYN answered by RST, a SYN never answered) count as much as banner grabs. A flow is a
probe when it is short (at most ``max_packets`` frames) and did not speak the protocol
its port is registered for: a SCADA master polling a PLC over Modbus, even with one
connection per poll, is a conversation, not a probe.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final, cast

from interlock.detect.behaviour.evidence import endpoint_text
from interlock.detect.behaviour.params import Params, bad_param
from interlock.detect.behaviour.windows import DistinctWindow, Escalation, LruTable
from interlock.detect.hits import FlowSeen, Hit, PlantContext, RuleInfo
from interlock.model import Endpoint, Transaction
from interlock.protocols.registry import PROTOCOLS

NOTHING: Final[tuple[Hit, ...]] = ()
Pair = tuple[str, int]
"""A probed service: (host, port)."""
SAMPLE: Final = 10

ICS_PORTS: Final = (
    102,  # ISO-TSAP: S7comm, S7comm-plus, MMS
    502,  # Modbus/TCP
    789,  # Red Lion Crimson
    "1089-1091",  # Foundation Fieldbus HSE
    1217,  # CODESYS V3 gateway
    1911,  # Niagara Fox
    1962,  # PCWorx
    2222,  # EtherNet/IP implicit I/O
    2404,  # IEC 60870-5-104
    2455,  # CODESYS V2
    4840,  # OPC UA
    4911,  # Niagara Fox over TLS
    "5006-5007",  # MELSEC-Q
    5094,  # HART-IP
    9600,  # OMRON FINS
    "18245-18246",  # GE SRTP
    20000,  # DNP3
    20547,  # ProConOS
    "34962-34964",  # PROFINET RT/CM
    44818,  # EtherNet/IP explicit
    47808,  # BACnet/IP
    48898,  # Beckhoff ADS/AMS
)


def registered(transport: str) -> dict[int, frozenset[str]]:
    """Each port and the protocols registered for it on that transport."""
    out: dict[int, set[str]] = {}
    for name, spec in PROTOCOLS.items():
        for port in spec.tcp_ports if transport == "tcp" else spec.udp_ports:
            out.setdefault(port, set()).add(name)
    return {port: frozenset(names) for port, names in out.items()}


class ScanState:
    __slots__ = ("anchor", "episode", "escalation", "window")

    def __init__(self) -> None:
        self.window = DistinctWindow()
        self.escalation = Escalation()
        self.episode: dict[Pair, None] = {}
        self.anchor = Endpoint("", 0)


class PortScan:
    watches: Final[frozenset[str]] = frozenset()  # flows only

    def __init__(self, rule: RuleInfo, params: dict[str, Any], context: PlantContext) -> None:
        p = Params(
            params,
            (
                "ports",
                "transports",
                "max_packets",
                "min_pairs",
                "window",
                "max_sources",
                "max_pairs",
            ),
        )
        self.rule = rule
        self.ports = p.ports("ports", ICS_PORTS)
        self.transports = frozenset(
            p.names("transports", ("tcp", "udp"), ("tcp", "udp"), "transport")
        )
        self.max_packets = p.integer("max_packets", 12)
        self.min_pairs = p.integer("min_pairs", 10)
        self.window = p.seconds("window", 60.0)
        self.max_pairs = p.integer("max_pairs", 4096)
        if self.max_pairs < self.min_pairs:
            raise bad_param("max_pairs", f"must be at least min_pairs ({self.min_pairs})")
        self.sources: LruTable[str, ScanState] = LruTable(
            p.integer("max_sources", 10_000), ScanState
        )
        self.expected = {t: registered(t) for t in ("tcp", "udp")}

    def transaction(self, tx: Transaction) -> Iterable[Hit]:
        return NOTHING

    def flow(self, flow: FlowSeen) -> Iterable[Hit]:
        port = flow.server.port
        if port not in self.ports or flow.transport not in self.transports:
            return NOTHING
        if flow.packets > self.max_packets:
            return NOTHING
        if flow.protocol is not None and flow.protocol in self.expected[flow.transport].get(
            port, ()
        ):
            return NOTHING
        pair = (flow.server.ip, port)
        ts = flow.first_seen
        state = self.sources.get(flow.client.ip)
        count = state.window.add(pair, ts, self.window, self.max_pairs)
        escalation = state.escalation
        escalation.ended(ts, self.window)
        if count >= self.min_pairs and escalation.over(ts, self.window):
            state.episode = dict.fromkeys(cast("Iterable[Pair]", state.window.items))
            state.anchor = flow.server
        if not escalation.active:
            return NOTHING
        if len(state.episode) < self.max_pairs:
            state.episode[pair] = None
        if not escalation.due(len(state.episode)):
            return NOTHING
        return (self._hit(flow, state, ts),)

    def finish(self) -> Iterable[Hit]:
        return NOTHING

    def _hit(self, flow: FlowSeen, state: ScanState, ts: float) -> Hit:
        pairs = list(state.episode)
        hosts = len({host for host, _ in pairs})
        ports = sorted({port for _, port in pairs})
        saturated = "at least " if len(pairs) >= self.max_pairs else ""
        message = (
            f"{flow.client.ip} probed {saturated}{len(pairs)} ICS services "
            f"({hosts} hosts, ports {', '.join(map(str, ports[:8]))}"
            f"{'...' if len(ports) > 8 else ''}) within {self.window:g} s"
        )
        details: dict[str, Any] = {
            "pairs": len(pairs),
            "hosts": hosts,
            "ports": ports[:64],
            "threshold": self.min_pairs,
            "window_seconds": self.window,
            "episode_start": state.escalation.started,
            "report": state.escalation.reports,
            "sample": [endpoint_text(Endpoint(h, p)) for h, p in pairs[:SAMPLE]],
            "v19_subtechnique": "T0846.001",
        }
        return Hit(
            self.rule,
            flow.transport,
            flow.client,
            state.anchor,
            ts,
            flow.first_frame,
            "attempted",
            message,
            details,
        )

"""A capture through the engine into behavioural detectors: the transactions and flows
they see, as the detection run hands them over (flows when the engine forgets them)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from interlock import dissect as job
from interlock.capture.reader import open_capture
from interlock.detect.hits import AssetView, Detector, FlowSeen, Hit
from interlock.model import Endpoint, Transaction
from interlock.net.flows import ETHER, TCP, UDP, Flow
from interlock.transactions import TransactionSink

TRANSPORTS = {TCP: "tcp", UDP: "udp", ETHER: "ether"}


class Plant:
    """A plant context from plain tables: address -> asset, (client, server) -> verdict."""

    def __init__(
        self,
        assets: dict[str, AssetView] | None = None,
        conduits: dict[tuple[str, str], bool] | None = None,
    ) -> None:
        self.assets = assets or {}
        self.conduits = conduits or {}
        self.asked: list[tuple[str, str, str, str]] = []

    def asset_at(self, ip: str) -> AssetView | None:
        return self.assets.get(ip)

    def conduit_allows(
        self, client_ip: str, server_ip: str, protocol: str, operation: str
    ) -> bool | None:
        self.asked.append((client_ip, server_ip, protocol, operation))
        return self.conduits.get((client_ip, server_ip))


def flow_seen(flow: Flow) -> FlowSeen:
    client_dir = flow.client_dir if flow.client_dir >= 0 else 0
    client, cport, server, sport = flow.text[client_dir]
    protocol = flow.spec.name if flow.spec is not None and flow.units else None
    return FlowSeen(
        TRANSPORTS.get(flow.transport, str(flow.transport)),
        Endpoint(client, cport),
        Endpoint(server, sport),
        protocol,
        flow.first_seen,
        flow.last_seen,
        flow.packets,
        flow.octets,
        flow.first_frame,
    )


class _Sink:
    def __init__(self, detectors: list[Detector], hits: list[Hit]) -> None:
        self.detectors = detectors
        self.hits = hits
        self.transactions = TransactionSink(self.transaction)

    def transaction(self, tx: Transaction) -> None:
        for detector in self.detectors:
            self.hits.extend(detector.transaction(tx))

    def unit(
        self, frame: int, ts: float, flow: Flow, direction: int, message: Any, answered: Any
    ) -> None:
        self.transactions.unit(frame, ts, flow, direction, message, answered)

    def flow_closed(self, flow: Flow) -> None:
        self.transactions.flow_closed(flow)
        if flow.packets:
            seen = flow_seen(flow)
            for detector in self.detectors:
                self.hits.extend(detector.flow(seen))


def replay(capture: Path, detectors: Iterable[Detector]) -> list[Hit]:
    """Every hit the detectors make over the capture, in the order they were made."""
    chosen = list(detectors)
    hits: list[Hit] = []
    result = job.run(open_capture(capture), _Sink(chosen, hits), {})
    assert result.error is None, result.error
    for detector in chosen:
        hits.extend(detector.finish())
    return hits


def feed(detector: Detector, items: Iterable[Transaction | FlowSeen]) -> list[Hit]:
    """Transactions and flows straight into one detector, then its finish."""
    hits: list[Hit] = []
    for item in items:
        hits.extend(
            detector.flow(item) if isinstance(item, FlowSeen) else detector.transaction(item)
        )
    hits.extend(detector.finish())
    return hits

"""The `analyze` job: captures through the engine into the inventory store.

    capture -> engine -> transactions + flows -> run observations -> merge -> store
                                              -> detection run -> alerts ------^

Each capture is merged and saved in its own transaction, so an interrupted run keeps the
captures already done and never half of one. A capture already merged for the site is
skipped: merging it again would count its traffic twice. A capture's alerts are saved in
the same transaction as its inventory, with the asset ids the merged inventory gives them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine

from interlock import dissect as job
from interlock.capture.frames import Frame
from interlock.detect.baseline import Baseline, BaselineDetector
from interlock.detect.context import InventoryContext
from interlock.detect.engine import DetectionResult, DetectionRun, with_assets
from interlock.detect.ruleset import RuleSet
from interlock.detect.suppress import Suppression
from interlock.errors import CaptureError
from interlock.health import CaptureHealth
from interlock.inventory.merge import merge
from interlock.inventory.model import CaptureRecord, Change, Inventory
from interlock.inventory.observations import RunObservations
from interlock.model import Transaction
from interlock.net.flows import Flow
from interlock.store import alerts as alerts_store
from interlock.store import repository
from interlock.transactions import TransactionSink
from interlock.zones.model import ZoneModel


class AnalyzeSink:
    """Engine sink: transactions and every forgotten flow go to the run's observations and,
    when detection runs, to the detection run too."""

    def __init__(
        self, observations: RunObservations, detection: DetectionRun | None = None
    ) -> None:
        self.observations = observations
        self.detection = detection
        if detection is None:
            self.transactions = TransactionSink(observations.transaction)
            self.taps: frozenset[str] = frozenset()
        else:
            observe, detect = observations.transaction, detection.transaction

            def both(tx: Transaction) -> None:
                observe(tx)
                detect(tx)

            self.transactions = TransactionSink(both)
            self.taps = detection.unit_taps

    def unit(
        self, frame: int, ts: float, flow: Flow, direction: int, message: Any, answered: Any
    ) -> None:
        self.observations.unit_sent(frame, flow, direction)
        self.transactions.unit(frame, ts, flow, direction, message, answered)
        if self.taps and flow.spec.name in self.taps:  # type: ignore[union-attr]
            self.detection.unit(frame, ts, flow, direction, message)  # type: ignore[union-attr]

    def flow_closed(self, flow: Flow) -> None:
        self.transactions.flow_closed(flow)
        self.observations.flow(flow)
        if self.detection is not None:
            self.detection.flow_closed(flow)


@dataclass(frozen=True)
class DetectionSetup:
    """What detection needs besides the capture: the rules, the zones, the suppressions."""

    rules: RuleSet
    zones: ZoneModel | None = None
    suppressions: tuple[Suppression, ...] = ()
    baseline: Baseline | None = None
    """A learned baseline (docs/detect-baseline.md): deviations from it are alerts too."""


@dataclass
class CaptureOutcome:
    name: str
    sha256: str
    skipped: bool
    health: CaptureHealth | None = None
    changes: list[Change] = field(default_factory=list)
    error: CaptureError | None = None
    detection: DetectionResult | None = None
    """None when detection did not run (--no-detect, or the capture was skipped)."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def analyze_frames(
    store: Engine,
    inventory: Inventory,
    frames: Iterable[Frame],
    name: str,
    identity: str,
    site: str,
    decode_as: dict[int, str],
    on_progress: Callable[[int], None] | None = None,
    detection: DetectionSetup | None = None,
) -> CaptureOutcome:
    """Run one capture (or live session) and merge it into inventory and store."""
    observations = RunObservations(identity, site)
    run = None
    if detection is not None:
        before = InventoryContext(inventory, detection.zones)
        extra = [BaselineDetector(detection.baseline)] if detection.baseline is not None else []
        run = DetectionRun(
            detection.rules, before, identity, site, detection.suppressions, extra=extra
        )
    result = job.run(frames, AnalyzeSink(observations, run), decode_as, on_progress)
    # Detection ends with the capture: its per-key state is freed before the merge needs
    # the memory (its context is a snapshot of the inventory, so the order changes nothing).
    found = run.finish() if run is not None else None
    run = None
    record = CaptureRecord(
        identity, name, site, result.health.frames, observations.first_ts, observations.last_ts
    )
    changes = merge(inventory, observations, record)
    if found is not None and detection is not None:
        with_assets(found.alerts, InventoryContext(inventory, detection.zones))
        windows = detection.rules.windows()

        def write_alerts(c: Connection) -> None:
            assert found is not None
            found.alerts = alerts_store.save_alerts(c, found.alerts, windows)
            alerts_store.record_swallowed(c, found.swallowed)

        repository.save(store, inventory, write_alerts)
    else:
        repository.save(store, inventory)
    return CaptureOutcome(name, identity, False, result.health, changes, result.error, found)

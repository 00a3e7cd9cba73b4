"""The `analyze` job: captures through the engine into the inventory store.

    capture -> engine -> transactions + flows -> run observations -> slices -> merge -> store
                                              -> detection run -> alerts ---------------^

The run's observations are merged into the store slice by slice as they grow
(``interlock.inventory.slices``): memory stays bounded however long the capture. Each
capture's slices are written in one store transaction, committed at its end with the
capture's record, so an interrupted run keeps the captures already done and never half of
one. A live tap (``live``) commits after each slice instead, the capture's record updated
with it: what it saw until then is kept. A capture already merged for the site is skipped:
merging it again would count its traffic twice. A capture's alerts are saved in the same
transaction as its inventory, with the asset ids the merged inventory gives them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine

from interlock import dissect as job
from interlock.capture.frames import Frame
from interlock.detect.context import InventoryContext
from interlock.detect.engine import DetectionResult, DetectionRun, Tee, with_assets
from interlock.detect.hits import AssetView
from interlock.detect.ruleset import RuleSet
from interlock.detect.suppress import Suppression
from interlock.errors import CaptureError
from interlock.gc_pause import paused_gc
from interlock.health import CaptureHealth
from interlock.inventory.model import CaptureRecord, Change
from interlock.inventory.observations import RunObservations
from interlock.inventory.slices import SLICE_KEYS, SlicedMerge
from interlock.net.flows import Flow
from interlock.store import alerts as alerts_store
from interlock.store import repository
from interlock.store.workspace import StoreWorkspace
from interlock.transactions import TransactionSink

if TYPE_CHECKING:
    from interlock.detect.baseline import Baseline
from interlock.zones.model import ZoneModel

SLICE_CHECK_UNITS = 4096
"""Units between two looks at the observations' size (a flow closing is a look too)."""


class AnalyzeSink:
    """Engine sink: transactions and every forgotten flow go to the run's observations and,
    when detection runs, to the detection run too. With ``slices``, the observations are
    merged into the store whenever they hold a slice's worth."""

    def __init__(
        self,
        observations: RunObservations,
        detection: DetectionRun | None = None,
        slices: SlicedMerge | None = None,
    ) -> None:
        self.observations = observations
        self.detection = detection
        self.slices = slices
        self.last_frame = 0
        self._units = 0
        if detection is None:
            self.transactions = TransactionSink(observations.transaction)
            self.taps: frozenset[str] = frozenset()
        else:
            self.transactions = TransactionSink(
                Tee(observations.transaction, detection.transaction)
            )
            self.taps = detection.unit_taps

    def unit(
        self, frame: int, ts: float, flow: Flow, direction: int, message: Any, answered: Any
    ) -> None:
        self.observations.unit_sent(frame, flow, direction, ts, message)
        self.transactions.unit(frame, ts, flow, direction, message, answered)
        if self.taps and flow.spec.name in self.taps:  # type: ignore[union-attr]
            self.detection.unit(frame, ts, flow, direction, message)  # type: ignore[union-attr]
        self.last_frame = frame
        self._units += 1
        if self._units >= SLICE_CHECK_UNITS:
            self._units = 0
            self._maybe_slice()

    def flow_closed(self, flow: Flow) -> None:
        self.transactions.flow_closed(flow)
        self.observations.flow(flow)
        if self.detection is not None:
            self.detection.flow_closed(flow)
        self._maybe_slice()

    def _maybe_slice(self) -> None:
        if self.slices is not None and self.slices.due():
            self.slices.flush()


class AssetIds:
    """The store's answer to ``with_assets`` once a capture is merged: the asset id of each
    alert's addresses, without loading the assets."""

    def __init__(self, owners: dict[str, int]) -> None:
        self.owners = owners

    def asset_at(self, ip: str) -> AssetView | None:
        found = self.owners.get(ip)
        return None if found is None else AssetView(found)

    def conduit_allows(
        self, client_ip: str, server_ip: str, protocol: str, operation: str
    ) -> bool | None:
        return None


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
    """Left empty by ``analyze_frames``: a large run's changes are in the store only
    (``repository.changes(store, capture=(sha256, site))``)."""
    error: CaptureError | None = None
    detection: DetectionResult | None = None
    """None when detection did not run (--no-detect, or the capture was skipped)."""
    change_counts: dict[str, int] = field(default_factory=dict)
    """The changes the run recorded, by kind."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _baseline_detector(baseline: Baseline) -> Any:
    # Imported here: the baseline machinery (YAML reading and writing) costs a run without
    # a baseline a tenth of a second of imports.
    from interlock.detect.baseline import BaselineDetector

    return BaselineDetector(baseline)


def analyze_frames(
    store: Engine,
    frames: Iterable[Frame],
    name: str,
    identity: str,
    site: str,
    decode_as: dict[int, str],
    on_progress: Callable[[int], None] | None = None,
    detection: DetectionSetup | None = None,
    live: bool = False,
    slice_keys: int = SLICE_KEYS,
) -> CaptureOutcome:
    """Run one capture (or live session) and merge it into the store, a slice whenever the
    observations hold ``slice_keys`` keys."""
    observations = RunObservations(identity, site)
    with store.connect() as connection:
        run = None
        if detection is not None:
            before = InventoryContext(repository.plant(connection), detection.zones)
            extra = [] if detection.baseline is None else [_baseline_detector(detection.baseline)]
            run = DetectionRun(
                detection.rules, before, identity, site, detection.suppressions, extra=extra
            )
        workspace = StoreWorkspace(connection)
        slices = SlicedMerge(workspace, observations, slice_keys)
        sink = AnalyzeSink(observations, run, slices)
        if live:

            def checkpoint() -> None:
                workspace.record_capture(
                    CaptureRecord(
                        identity, name, site, sink.last_frame, observations.first_ts,
                        observations.last_ts,
                    )
                )  # fmt: skip
                connection.commit()

            slices.on_slice = checkpoint
        result = job.run(frames, sink, decode_as, on_progress)
        # The rest builds rows from what the run holds, and makes no garbage cycles: the
        # collector would only walk the run's alerts and the store's objects again.
        with paused_gc():
            # Detection ends with the capture: its per-key state is freed before the last
            # slice is merged (its context is a snapshot of the store, so the order
            # changes nothing).
            found = run.finish() if run is not None else None
            run = sink.detection = None
            record = CaptureRecord(
                identity, name, site, result.health.frames, observations.first_ts,
                observations.last_ts,
            )  # fmt: skip
            slices.finish(record)
            if found is not None and detection is not None:
                addresses = {e.ip for a in found.pending for e in (a.src, a.dst)}
                with_assets(found.pending, AssetIds(repository.owners(connection, addresses)))
                found.stored = alerts_store.save_alerts(
                    connection, found.pending, detection.rules.windows()
                )
                alerts_store.record_swallowed(connection, found.swallowed)
            connection.commit()
    outcome = CaptureOutcome(name, identity, False, result.health, [], result.error, found)
    outcome.change_counts = slices.counts
    return outcome

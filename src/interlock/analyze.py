"""The `analyze` job: captures through the engine into the inventory store.

    capture -> engine -> transactions + flows -> run observations -> merge -> store

Each capture is merged and saved in its own transaction, so an interrupted run keeps the
captures already done and never half of one. A capture already merged for the site is
skipped: merging it again would count its traffic twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from interlock import dissect as job
from interlock.capture.frames import Frame
from interlock.errors import CaptureError
from interlock.health import CaptureHealth
from interlock.inventory.merge import merge
from interlock.inventory.model import CaptureRecord, Change, Inventory
from interlock.inventory.observations import RunObservations
from interlock.net.flows import Flow
from interlock.store import repository
from interlock.transactions import TransactionSink


class AnalyzeSink:
    """Engine sink: transactions and every forgotten flow go to the run's observations."""

    def __init__(self, observations: RunObservations) -> None:
        self.observations = observations
        self.transactions = TransactionSink(observations.transaction)

    def unit(
        self, frame: int, ts: float, flow: Flow, direction: int, message: Any, answered: Any
    ) -> None:
        self.observations.unit_sent(frame, flow, direction)
        self.transactions.unit(frame, ts, flow, direction, message, answered)

    def flow_closed(self, flow: Flow) -> None:
        self.transactions.flow_closed(flow)
        self.observations.flow(flow)


@dataclass
class CaptureOutcome:
    name: str
    sha256: str
    skipped: bool
    health: CaptureHealth | None = None
    changes: list[Change] = field(default_factory=list)
    error: CaptureError | None = None


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
) -> CaptureOutcome:
    """Run one capture (or live session) and merge it into inventory and store."""
    observations = RunObservations(identity, site)
    result = job.run(frames, AnalyzeSink(observations), decode_as, on_progress)
    record = CaptureRecord(
        identity, name, site, result.health.frames, observations.first_ts, observations.last_ts
    )
    changes = merge(inventory, observations, record)
    repository.save(store, inventory)
    return CaptureOutcome(name, identity, False, result.health, changes, result.error)

"""Captures through the engine into the learner or the detector: the ``baseline learn`` and
``baseline compare`` jobs, minus the CLI (the same pipeline as ``analyze``: frames ->
engine -> TransactionSink -> transactions)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from interlock import dissect as job
from interlock.capture.frames import Frame
from interlock.detect.baseline.detector import BaselineDetector
from interlock.detect.baseline.learner import Learner
from interlock.detect.baseline.model import Baseline, CaptureRecord
from interlock.detect.hits import Hit
from interlock.errors import CaptureError
from interlock.health import CaptureHealth
from interlock.model import Transaction
from interlock.transactions import TransactionSink


@dataclass
class Learned:
    """What learning one capture did (skipped: the baseline already holds it)."""

    name: str
    sha256: str
    skipped: bool
    record: CaptureRecord | None = None
    health: CaptureHealth | None = None
    error: CaptureError | None = None


def learn_frames(
    learner: Learner,
    frames: Iterable[Frame],
    name: str,
    sha256: str,
    decode_as: Mapping[int, str],
    on_progress: Callable[[int], None] | None = None,
) -> Learned:
    """Learn one capture; a capture error ends it but keeps what was read (and says so)."""
    learner.begin_capture(name, sha256)
    result = job.run(frames, TransactionSink(learner.transaction), decode_as, on_progress)
    record = learner.end_capture()
    if result.error is not None and record.transactions == 0:
        learner.baseline.captures.remove(record)  # unreadable: nothing learned, nothing noted
        return Learned(name, sha256, False, None, result.health, result.error)
    return Learned(name, sha256, False, record, result.health, result.error)


def sha256_of(path: Path) -> str:
    """The capture's identity, as analyze records it (same digest, without the store's
    imports: learning a baseline needs no database)."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def already_learned(baseline: Baseline, sha256: str) -> bool:
    return any(c.sha256 == sha256 for c in baseline.captures)


MAX_DEVIATIONS: Final = 10_000
"""Distinct deviations a comparison keeps; beyond, they are only counted."""


@dataclass
class Deviation:
    """Hits of one rule about one baseline entry between two hosts: the first, and a count."""

    first: Hit
    count: int
    last_seen: float
    capture: str


@dataclass
class Deviations:
    """A bounded summary of many hits (a storm is one Deviation with a large count)."""

    found: dict[tuple[str, str, str, str], Deviation] = field(default_factory=dict)
    overflow: int = 0

    def add(self, hit: Hit, capture: str) -> None:
        key = (hit.rule.id, str(hit.details.get("baseline_entry")), hit.src.ip, hit.dst.ip)
        seen = self.found.get(key)
        if seen is not None:
            seen.count += 1
            seen.last_seen = max(seen.last_seen, hit.ts)
        elif len(self.found) < MAX_DEVIATIONS:
            self.found[key] = Deviation(hit, 1, hit.ts, capture)
        else:
            self.overflow += 1

    def total(self) -> int:
        return sum(d.count for d in self.found.values()) + self.overflow


def compare_frames(
    baseline: Baseline,
    frames: Iterable[Frame],
    capture: str,
    deviations: Deviations,
    decode_as: Mapping[int, str],
    on_progress: Callable[[int], None] | None = None,
) -> job.RunResult:
    """Run one capture past a fresh detector; its hits go into deviations."""
    detector = BaselineDetector(baseline)

    def take(tx: Transaction) -> None:
        for hit in detector.transaction(tx):
            deviations.add(hit, capture)

    result = job.run(frames, TransactionSink(take), decode_as, on_progress)
    for hit in detector.finish():
        deviations.add(hit, capture)
    return result

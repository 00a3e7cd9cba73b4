"""The `detect` job: a capture through the engine into a detection run, nothing stored.

    capture -> engine -> transactions + flows -> detection run -> alerts

For `interlock detect` (no inventory store: endpoints carry no asset ids) and for the
rule benchmarks. `analyze` runs detection beside the inventory instead
(``interlock.analyze.AnalyzeSink``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from interlock import dissect as job
from interlock.capture.frames import Frame
from interlock.detect.baseline import Baseline, BaselineDetector
from interlock.detect.context import InventoryContext
from interlock.detect.engine import DetectionResult, DetectionRun
from interlock.detect.ruleset import RuleSet
from interlock.dissect import RunResult
from interlock.net.flows import Flow
from interlock.transactions import TransactionSink
from interlock.zones.model import ZoneModel


class DetectSink:
    """Engine sink feeding one detection run: transactions, link units, forgotten flows."""

    def __init__(self, run: DetectionRun) -> None:
        self.run = run
        self.transactions = TransactionSink(run.transaction)
        self.taps = run.unit_taps

    def unit(
        self, frame: int, ts: float, flow: Flow, direction: int, message: Any, answered: Any
    ) -> None:
        self.transactions.unit(frame, ts, flow, direction, message, answered)
        if flow.spec is not None and flow.spec.name in self.taps:
            self.run.unit(frame, ts, flow, direction, message)

    def flow_closed(self, flow: Flow) -> None:
        self.transactions.flow_closed(flow)
        self.run.flow_closed(flow)


def detect_frames(
    frames: Iterable[Frame],
    rules: RuleSet,
    capture: str,
    site: str = "default",
    zones: ZoneModel | None = None,
    decode_as: Mapping[int, str] | None = None,
    on_progress: Callable[[int], None] | None = None,
    baseline: Baseline | None = None,
) -> tuple[DetectionResult, RunResult]:
    # A fresh baseline detector per capture: it holds that run's minute counts.
    extra = [BaselineDetector(baseline)] if baseline is not None else []
    run = DetectionRun(rules, InventoryContext(None, zones), capture, site, extra=extra)
    result = job.run(frames, DetectSink(run), decode_as or {}, on_progress)
    return run.finish(), result

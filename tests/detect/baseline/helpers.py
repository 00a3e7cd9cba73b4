"""Learning and comparing captures in tests, as the CLI does it (no CLI in between)."""

from __future__ import annotations

from pathlib import Path

from interlock.capture import open_capture
from interlock.detect.baseline import Baseline, Learner, parse_baseline, to_yaml
from interlock.detect.baseline.captures import (
    Deviations,
    compare_frames,
    learn_frames,
    sha256_of,
)


def learn(*captures: Path, baseline: Baseline | None = None, **period: float) -> Baseline:
    baseline = baseline if baseline is not None else Baseline()
    learner = Learner(baseline, period.get("start"), period.get("end"))
    for capture in captures:
        outcome = learn_frames(learner, open_capture(capture), capture.name,
                               sha256_of(capture), {})  # fmt: skip
        assert outcome.error is None
    return learner.finish()


def reloaded(baseline: Baseline) -> Baseline:
    """The baseline after a trip through its YAML file, as detection will see it."""
    result = parse_baseline(to_yaml(baseline), "baseline.yaml")
    assert isinstance(result, Baseline), [str(e) for e in result]
    return result


def compare(baseline: Baseline, *captures: Path) -> Deviations:
    deviations = Deviations()
    for capture in captures:
        result = compare_frames(baseline, open_capture(capture), capture.name, deviations, {})
        assert result.error is None
    return deviations


def found(deviations: Deviations) -> dict[tuple[str, str], int]:
    """(rule, baseline entry) -> hits."""
    out: dict[tuple[str, str], int] = {}
    for (rule, entry, _, _), deviation in deviations.found.items():
        out[(rule, entry)] = out.get((rule, entry), 0) + deviation.count
    return out

"""The dissect benchmark's report: the machine it ran on and the results, as Markdown."""

from __future__ import annotations

import os
import platform
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from measure import Sample
from peers import FIELDS, Tally

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Capture:
    path: Path
    frames: int
    sessions: int
    size: int
    created: bool

    def describe(self) -> str:
        size = self.size / 1e6
        rel = self.path.relative_to(ROOT) if self.path.is_relative_to(ROOT) else self.path
        return f"`{rel}`: {self.frames:,} frames, {self.sessions:,} sessions, {size:,.1f} MB"


def machine(tshark: str, interlock: str) -> list[tuple[str, str]]:
    """Facts about this machine and these versions, for the report."""
    affinity = len(os.sched_getaffinity(0))
    return [
        ("CPU", _cpu_model()),
        ("nproc", f"{affinity} (os.cpu_count {os.cpu_count()})"),
        ("memory", _mem_total()),
        ("kernel", platform.release()),
        ("python", platform.python_version()),
        ("tshark", tshark),
        ("dpkt / orjson", f"{metadata.version('dpkt')} / {metadata.version('orjson')}"),
        ("interlock", interlock),
    ]


def _cpu_model() -> str:
    with open("/proc/cpuinfo") as fh:
        for line in fh:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _mem_total() -> str:
    with open("/proc/meminfo") as fh:
        kib = int(fh.readline().split()[1])
    return f"{kib / 1024 / 1024:.1f} GiB"


def results_table(
    samples: Mapping[str, Sequence[Sample]], tallies: Mapping[str, Tally | str], frames: int
) -> str:
    """Median wall time, packets/s, speed relative to tshark and peak RSS per tool."""
    rows = [
        "| tool | median wall (s) | min–max (s) | packets/s | vs tshark | peak RSS (MB) | Modbus units |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    base = _median(samples.get("tshark", []))
    for name, runs in samples.items():
        units = tallies.get(name, "")
        unit_text = f"{units.units:,}" if isinstance(units, Tally) else "failed"
        failed = [s.status for s in runs if s.status != 0]
        if failed or not runs:
            rows.append(f"| {name} | failed (exit {failed}) | | | | | {unit_text} |")
            continue
        walls = [s.wall for s in runs]
        med = statistics.median(walls)
        ratio = f"{base / med:.2f}×" if base else "n/a"
        peak = max(s.max_rss_mb for s in runs)
        rows.append(
            f"| {name} | {med:.2f} | {min(walls):.2f}–{max(walls):.2f} | {frames / med:,.0f}"
            f" | {ratio} | {peak:,.0f} | {unit_text} |"
        )
    return "\n".join(rows)


def rounds_table(samples: Mapping[str, Sequence[Sample]]) -> str:
    """Every timed run, so the spread is visible (wall seconds / peak RSS MB)."""
    rounds = max((len(runs) for runs in samples.values()), default=0)
    head = "| tool | " + " | ".join(f"round {i + 1}" for i in range(rounds)) + " |"
    rows = [head, "|---|" + "---:|" * rounds]
    for name, runs in samples.items():
        cells = [f"{s.wall:.2f} s / {s.max_rss_mb:,.0f} MB" for s in runs]
        rows.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def agreement_table(tallies: Mapping[str, Tally | str]) -> str:
    """Per tool: units found, and which contract fields agree with tshark in count and sum."""
    truth = tallies.get("tshark")
    rows = [
        "| tool | Modbus units | fields vs tshark (values given, sum of values) |",
        "|---|---:|---|",
    ]
    for name, tally in tallies.items():
        if isinstance(tally, str):
            rows.append(f"| {name} | failed: {tally[:200]} | |")
            continue
        if not tally.counts:
            note = "counts units only"
        elif name == "tshark" or not isinstance(truth, Tally):
            note = "reference" if name == "tshark" else "no tshark tally"
        else:
            note = _field_differences(tally, truth)
        rows.append(f"| {name} | {tally.units:,} | {note} |")
    return "\n".join(rows)


def _field_differences(tally: Tally, truth: Tally) -> str:
    diffs = []
    for name in FIELDS:
        ours = (tally.counts[name], tally.sums[name])
        theirs = (truth.counts[name], truth.sums[name])
        if ours != theirs:
            diffs.append(
                f"`{name}` {ours[0]:,} values (sum {ours[1]:,}) vs {theirs[0]:,} ({theirs[1]:,})"
            )
    return "; ".join(diffs) if diffs else f"all {len(FIELDS)} fields agree"


def single_runs_table(samples: Mapping[str, Sample], frames: int) -> str:
    rows = ["| tool | wall (s) | packets/s | peak RSS (MB) |", "|---|---:|---:|---:|"]
    for name, s in samples.items():
        if s.status != 0:
            rows.append(f"| {name} | failed (exit {s.status}) | | |")
            continue
        rows.append(f"| {name} | {s.wall:.2f} | {frames / s.wall:,.0f} | {s.max_rss_mb:,.0f} |")
    return "\n".join(rows)


def _median(runs: Sequence[Sample]) -> float:
    ok = [s.wall for s in runs if s.status == 0]
    return statistics.median(ok) if ok else 0.0

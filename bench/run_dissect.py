#!/usr/bin/env python3
"""Benchmark `interlock dissect --jsonl` against tshark, a dpkt reader and a bare struct loop.

    .venv/bin/python bench/run_dissect.py [--frames N] [--rounds R] [--rss-frames M] [--keep-data]
                                          [--rev COMMIT | --interlock CMD]

0. Copies src/interlock (the working tree, or COMMIT with --rev) to a temporary directory and
   runs every interlock process from that copy (snapshot.py), unless --interlock names a
   command to run as it is.
1. Makes a capture of about N frames in bench/data/ with `interlock sample` (a real pymodbus
   session recorded on loopback, 38 frames and 32 Modbus units, one copy per client) unless
   it is already there.
2. Runs every peer once with its output piped and tallied: the units each one found and,
   per contract field, how many values it gave. This run is untimed and warms the page cache.
3. Runs the peers in alternation (A B C D A B C D ...) for R rounds, output to /dev/null,
   measuring wall time and the peak RSS of each process (see measure.py).
4. Runs each peer once on a capture of about M frames, for peak RSS (the issue's targets:
   interlock at most 250 MB on 1.5M packets, and at least 5x tshark's packets/s).
5. Prints a Markdown report on stdout; progress goes to stderr. Captures this run made are
   deleted at the end unless --keep-data.
"""

from __future__ import annotations

import argparse
import datetime
import math
import os
import shlex
import statistics
import struct
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import snapshot
from measure import Sample, rss_method, run_measured
from peers import Peer, Tally, ensure_tshark, peers, run_tally, tshark_version
from report import (
    ROOT,
    Capture,
    agreement_table,
    machine,
    results_table,
    rounds_table,
    single_runs_table,
)

DATA: Final = ROOT / "bench" / "data"
FRAMES_PER_SESSION: Final = 38
SPEED_TARGET: Final = 5.0
RSS_TARGET_MB: Final = 250.0


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--frames", type=int, default=1_000_000, help="frames to compare on")
    parser.add_argument(
        "--rounds", type=int, default=5, help="timed rounds (3 or more for a report)"
    )
    parser.add_argument(
        "--rss-frames", type=int, default=1_500_000, help="frames for the RSS run (0: skip it)"
    )
    parser.add_argument("--keep-data", action="store_true", help="keep the captures made")
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "--rev", help="benchmark this commit of src/interlock (git archive), not the working tree"
    )
    which.add_argument(
        "--interlock",
        help="run this interlock command as it is (e.g. .venv/bin/interlock), not a snapshot",
    )
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.frames < FRAMES_PER_SESSION:
        parser.error("--rounds must be at least 1 and --frames at least one session")
    return args


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def pcap_frames(path: Path) -> int:
    """Records in a classic pcap file, counted from the record headers."""
    with open(path, "rb") as fh:
        little = fh.read(24)[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1")
        caplen = struct.Struct(("<" if little else ">") + "8xI4x").unpack
        frames = 0
        while len(header := fh.read(16)) == 16:
            fh.seek(caplen(header)[0], os.SEEK_CUR)
            frames += 1
    return frames


def ensure_capture(frames: int, interlock: list[str]) -> Capture:
    """A capture of at least `frames` frames in bench/data/, made with `interlock sample`."""
    sessions = math.ceil(frames / FRAMES_PER_SESSION)
    path = DATA / f"modbus-{sessions}-sessions.pcap"
    created = not path.exists()
    if created:
        DATA.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        log(f"writing {path.relative_to(ROOT)} ({sessions:,} sessions)")
        cmd = [*interlock, "sample", str(partial), "--sessions", str(sessions)]
        try:
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        partial.replace(path)
    return Capture(path, pcap_frames(path), sessions, path.stat().st_size, created)


def verify(group: list[Peer]) -> dict[str, Tally | str]:
    """One untimed run per peer with its output tallied; a failure is kept as its message."""
    tallies: dict[str, Tally | str] = {}
    for peer in group:
        log(f"verification run: {peer.name}")
        try:
            tallies[peer.name] = run_tally(peer)
        except RuntimeError as exc:
            tallies[peer.name] = str(exc)
    return tallies


def timed_rounds(group: list[Peer], rounds: int) -> dict[str, list[Sample]]:
    """Alternate the peers for the given rounds; every run's wall time and peak RSS."""
    samples: dict[str, list[Sample]] = {peer.name: [] for peer in group}
    for index in range(rounds):
        for peer in group:
            sample = run_measured(peer.argv)
            samples[peer.name].append(sample)
            log(
                f"round {index + 1}/{rounds} {peer.name}: {sample.wall:.2f} s, "
                f"{sample.max_rss_mb:,.0f} MB, exit {sample.status}"
            )
            if sample.status != 0:
                log(sample.stderr_tail)
    return samples


def single_runs(group: list[Peer]) -> dict[str, Sample]:
    result = {}
    for peer in group:
        result[peer.name] = sample = run_measured(peer.argv)
        log(f"RSS run {peer.name}: {sample.wall:.2f} s, {sample.max_rss_mb:,.0f} MB")
    return result


def targets(run: Run) -> list[str]:
    """The issue's two targets, checked against what was measured."""
    samples, rss = run.samples, run.rss
    lines = []
    ours = [s.wall for s in samples["interlock"] if s.status == 0]
    theirs = [s.wall for s in samples["tshark"] if s.status == 0]
    if ours and theirs:
        ratio = statistics.median(theirs) / statistics.median(ours)
        verdict = "met" if ratio >= SPEED_TARGET else "not met"
        lines.append(f"- interlock packets/s ≥ {SPEED_TARGET:g}× tshark: {ratio:.2f}× ({verdict})")
    if rss is not None and run.rss_capture is not None and rss["interlock"].status == 0:
        peak = rss["interlock"].max_rss_mb
        verdict = "met" if peak <= RSS_TARGET_MB else "not met"
        lines.append(
            f"- interlock peak RSS ≤ {RSS_TARGET_MB:g} MB on {run.rss_capture.frames:,} frames: {peak:,.0f} MB ({verdict})"
        )
    return lines


def command_line(argv: list[str]) -> str:
    python = Path(sys.executable)
    shown = python.relative_to(ROOT) if python.is_relative_to(ROOT) else python
    return shlex.join([str(shown), "bench/run_dissect.py", *argv])


@dataclass
class Run:
    """Everything one benchmark run measured, for the report."""

    date: str
    command: str
    machine: list[tuple[str, str]]
    capture: Capture
    tallies: dict[str, Tally | str]
    samples: dict[str, list[Sample]]
    rss_capture: Capture | None = None
    rss: dict[str, Sample] | None = None
    load: str = ""


def render(run: Run) -> str:
    """The whole report as Markdown."""
    rounds = max(len(s) for s in run.samples.values())
    out = [
        f"## `interlock dissect --jsonl` vs tshark, dpkt and a bare loop: {run.capture.frames:,} frames",
        "",
        f"- date: {run.date}",
        f"- command (from the repository root): `{run.command}`",
        *(f"- {key}: {value}" for key, value in run.machine),
        f"- load average (1 min) before / after: {run.load}",
        f"- peak RSS measured with: {rss_method()}",
        f"- capture: {run.capture.describe()}",
        "",
        f"### Timed runs: {rounds} round{'s' if rounds != 1 else ''}, alternating, output to /dev/null",
        "",
        results_table(run.samples, run.tallies, run.capture.frames),
        "",
        "packets/s is frames in the file divided by the median wall time; `vs tshark` is that"
        " rate over tshark's; peak RSS is the highest of the rounds. Every run (wall / peak RSS):",
        "",
        rounds_table(run.samples),
        "",
        "### Verification run (untimed, output piped and tallied)",
        "",
        agreement_table(run.tallies),
    ]
    if run.rss_capture is not None and run.rss is not None:
        out += [
            "",
            f"### Peak RSS on {run.rss_capture.frames:,} frames (one run each)",
            "",
            f"- capture: {run.rss_capture.describe()}",
            "",
            single_runs_table(run.rss, run.rss_capture.frames),
        ]
    out += ["", "### Targets", "", *targets(run)]
    return "\n".join(out) + "\n"


def benchmark(args: argparse.Namespace, interlock: list[str], label: str) -> Run:
    """Capture, verification run, timed rounds and the RSS run, in that order."""
    tshark = ensure_tshark()
    load_before = os.getloadavg()[0]
    capture = ensure_capture(args.frames, interlock)
    group = peers(capture.path, interlock, tshark)
    run = Run(
        date=datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        command=command_line(sys.argv[1:]),
        machine=machine(tshark_version(tshark), label),
        capture=capture,
        tallies=verify(group),
        samples=timed_rounds(group, args.rounds),
    )
    if args.rss_frames:
        run.rss_capture = ensure_capture(args.rss_frames, interlock)
        run.rss = single_runs(peers(run.rss_capture.path, interlock, tshark))
    run.load = f"{load_before:.2f} / {os.getloadavg()[0]:.2f}"
    return run


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="interlock-bench-") as tmp:
        if args.interlock:
            interlock = shlex.split(args.interlock)
            label = f"`{args.interlock}` as installed (not a snapshot)"
        else:
            copy = snapshot.take(Path(tmp), args.rev)
            interlock, label = copy.command(), copy.label
        log(f"interlock: {label}")
        run = benchmark(args, interlock, label)
    if not args.keep_data:
        for made in (run.capture, run.rss_capture):
            if made is not None and made.created:
                made.path.unlink(missing_ok=True)
    sys.stdout.write(render(run))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

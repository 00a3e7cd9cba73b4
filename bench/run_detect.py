"""`interlock analyze` with every shipped rule against `interlock analyze --no-detect`.

    .venv/bin/python bench/run_detect.py [--frames 1000000] [--rounds 3] [--rev COMMIT]

1. The same Modbus capture as bench/run_dissect.py and bench/run_analyze.py (a real
   pymodbus session replicated with one client per copy, made once in bench/data/ with
   `interlock sample`). Each session reads the device identification (FC 43/14, twice)
   and the server id (FC 17), so the discovery rules raise two alerts per client: the
   run exercises the dispatch index on every transaction, the aggregator and the store.
2. Alternately, for --rounds rounds: `interlock analyze CAPTURE --db NEW.db` (inventory
   and detection, alerts stored) and the same with `--no-detect`, wall time and peak RSS
   each, on the snapshot build (bench/snapshot.py: mypyc-compiled hot path).
3. One more detecting run with `--json`, to report hits and alerts.
The issue's target: detection adds at most 30% to analyze's time (ratio <= 1.30).
Prints Markdown on stdout; progress on stderr.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import snapshot
from measure import Sample, run_measured
from report import ROOT, machine
from run_dissect import ensure_capture, log

TARGET = 1.30
RULES = ROOT / "src" / "interlock" / "detect" / "rules"


def ensure_rule_packs(build: snapshot.Snapshot) -> str:
    """The snapshot's rule packs; copied in from the tree when the build left them out
    (package data the build configuration does not list yet), and said so."""
    installed = build.directory / "interlock" / "detect" / "rules"
    if any(installed.glob("*.yaml")):
        return "installed by the build"
    installed.mkdir(parents=True, exist_ok=True)
    for pack in RULES.glob("*.yaml"):
        shutil.copy2(pack, installed / pack.name)
    return "copied from src/ (the build did not install them: package data not listed)"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--frames", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rev", default=None, help="build this commit (default: the working tree)")
    parser.add_argument(
        "--keep", type=Path, help="build the snapshot into this directory, or reuse the one there"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="interlock-detect-") as tmp:
        build = snapshot.take_or_reuse(args.keep, Path(tmp) / "build", args.rev)
        packs = ensure_rule_packs(build)
        interlock = build.command()
        listed = subprocess.run(
            [*interlock, "rules", "list", "--json"], capture_output=True, text=True, check=True
        )
        rules = [r for r in json.loads(listed.stdout)["rules"] if r["enabled"]]
        if not rules:
            raise SystemExit("the snapshot loads no rules: nothing to measure")
        capture = ensure_capture(args.frames, interlock)
        runs = {
            "analyze (all rules)": [],
            "analyze --no-detect": ["--no-detect"],
        }
        samples: dict[str, list[Sample]] = {name: [] for name in runs}
        for index in range(args.rounds):
            for name, extra in runs.items():
                db = Path(tmp) / f"round-{index}-{len(extra)}.db"
                cmd = [*interlock, "analyze", str(capture.path), "--db", str(db), *extra]
                sample = run_measured(cmd)
                if sample.status != 0:
                    raise SystemExit(f"{name} failed: {sample.stderr_tail}")
                samples[name].append(sample)
                log(f"round {index + 1} {name}: {sample.wall:.2f} s, {sample.max_rss_mb:,.0f} MB")
        db = Path(tmp) / "report.db"
        done = subprocess.run(
            [*interlock, "analyze", str(capture.path), "--db", str(db), "--json"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        detection = json.loads(done.stdout)["captures"][0]["detection"]
        report(args, argv, capture.frames, samples, len(rules), detection, build.label, packs)
    return 0


def report(
    args: argparse.Namespace,
    argv: list[str],
    frames: int,
    samples: dict[str, list[Sample]],
    rules: int,
    detection: dict[str, object],
    label: str,
    packs: str,
) -> None:
    wall = {k: statistics.median(s.wall for s in v) for k, v in samples.items()}
    rss = {k: max(s.max_rss_mb for s in v) for k, v in samples.items()}
    print(f"## analyze with detection vs without ({args.rounds} rounds, medians)\n")
    command = f".venv/bin/python bench/run_detect.py {' '.join(argv)}".rstrip()
    print(f"- command (from the repository root): `{command}`")
    for key, value in machine("-", label):
        if key not in ("tshark", "dpkt / orjson"):
            print(f"- {key}: {value}")
    print(f"- rules: {rules} enabled (rule packs {packs})")
    print(
        f"- detection: {detection['hits']:,} hits, {detection['alerts']:,} alerts "
        f"{detection['by_severity']}"
    )
    print()
    print("| run | frames | median wall s | min-max s | frames/s | peak RSS MB |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, runs in samples.items():
        walls = [s.wall for s in runs]
        print(
            f"| interlock {name} | {frames:,} | {wall[name]:.2f} | "
            f"{min(walls):.2f}-{max(walls):.2f} | {frames / wall[name]:,.0f} | {rss[name]:,.0f} |"
        )
    ratio = wall["analyze (all rules)"] / wall["analyze --no-detect"]
    verdict = "within" if ratio <= TARGET else "OVER"
    print(
        f"\nwith detection / without: {ratio:.2f}x time ({verdict} the {TARGET:.2f}x target), "
        f"{rss['analyze (all rules)'] / rss['analyze --no-detect']:.2f}x peak RSS\n"
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""`interlock baseline learn` and `baseline compare` against `interlock dissect` alone.

    .venv/bin/python bench/run_baseline.py [--frames 1000000] [--rounds 3] [--rev COMMIT]
                                           [--interlock CMD]

1. The same Modbus capture as bench/run_dissect.py (a real pymodbus session replicated with
   one client per copy, made once in bench/data/ with `interlock sample`). With 26,316
   sessions it is also a stress case for the baseline: more clients than the talker table
   holds (10,000), so learning drops talkers and comparing meets a storm of new talkers.
2. Untimed: a baseline learned from the capture, for the comparisons.
3. Alternately, for --rounds rounds: `interlock dissect CAPTURE --json` (engine, pairing,
   summary), `interlock baseline learn CAPTURE -o NEW.yaml` (the same engine plus the
   learner and the YAML file) and `interlock baseline compare BASELINE CAPTURE --json`
   (the engine plus the detector and the deviation summary); wall time and peak RSS each.

The issue states no target; the report gives the ratios to dissect. The snapshot
(bench/snapshot.py) runs interlock from a pip-installed copy of the tree; --interlock runs
a command as it is instead. Prints Markdown on stdout; progress on stderr.
"""

from __future__ import annotations

import argparse
import shlex
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import snapshot
from measure import Sample, run_measured
from report import machine
from run_dissect import ensure_capture, log


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--frames", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rev", default=None, help="build this commit (default: the working tree)")
    parser.add_argument("--interlock", default=None, help="run this command instead of a snapshot")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="interlock-baseline-") as tmp:
        if args.interlock:
            interlock, label = shlex.split(args.interlock), f"`{args.interlock}` (as it is)"
        else:
            build = snapshot.take(Path(tmp), args.rev)
            interlock, label = build.command(), build.label
        capture = ensure_capture(args.frames, interlock)
        learned = Path(tmp) / "learned.yaml"
        subprocess.run([*interlock, "baseline", "learn", str(capture.path), "-o", str(learned)],
                       check=True, stdout=subprocess.DEVNULL)  # fmt: skip
        samples: dict[str, list[Sample]] = {"dissect --json": [], "baseline learn": [],
                                            "baseline compare --json": []}  # fmt: skip
        for index in range(args.rounds):
            out = Path(tmp) / f"round-{index}.yaml"
            for name, cmd in (
                ("dissect --json", [*interlock, "dissect", str(capture.path), "--json"]),
                ("baseline learn", [*interlock, "baseline", "learn", str(capture.path), "-o",
                                    str(out)]),
                ("baseline compare --json", [*interlock, "baseline", "compare", str(learned),
                                             str(capture.path), "--json"]),
            ):  # fmt: skip
                sample = run_measured(cmd)
                if sample.status != 0:
                    raise SystemExit(f"{name} failed: {sample.stderr_tail}")
                samples[name].append(sample)
                log(f"round {index + 1} {name}: {sample.wall:.2f} s, {sample.max_rss_mb:,.0f} MB")
        report(args, argv, capture.frames, samples, label, learned.stat().st_size)
    return 0


def report(
    args: argparse.Namespace,
    argv: list[str],
    frames: int,
    samples: dict[str, list[Sample]],
    label: str,
    size: int,
) -> None:
    wall = {k: statistics.median(s.wall for s in v) for k, v in samples.items()}
    rss = {k: max(s.max_rss_mb for s in v) for k, v in samples.items()}
    base = "dissect --json"
    print(f"## baseline learn and compare vs dissect ({args.rounds} rounds, medians)\n")
    print(
        f"- command (from the repository root): `.venv/bin/python bench/run_baseline.py {' '.join(argv)}`".rstrip()
    )
    for key, value in machine("-", label):
        if key != "tshark":
            print(f"- {key}: {value}")
    print(f"- learned baseline file: {size / 1e6:.1f} MB\n")
    print("| run | frames | wall s | frames/s | peak RSS MB | time / dissect | RSS / dissect |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name in samples:
        print(f"| interlock {name} | {frames:,} | {wall[name]:.2f} | {frames / wall[name]:,.0f} | "
              f"{rss[name]:,.0f} | {wall[name] / wall[base]:.2f}x | {rss[name] / rss[base]:.2f}x |")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

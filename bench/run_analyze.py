"""`interlock analyze` against `interlock dissect` alone, and `interlock assets --json` at scale.

    .venv/bin/python bench/run_analyze.py [--frames 1000000] [--rounds 3] [--assets 10000]
                                          [--rev COMMIT]

1. The same Modbus capture as bench/run_dissect.py (a real pymodbus session, replicated
   with one client per copy; made once in bench/data/ with `interlock sample`).
2. Alternately, for --rounds rounds: `interlock dissect CAPTURE --json` (engine, pairing
   and the summary), `interlock analyze CAPTURE --db NEW.db --no-detect` (the same engine
   plus the inventory: observations, merge and the SQLite store) and `interlock analyze`
   with every rule (the default since detection came), wall time and peak RSS each.
   The inventory issue's target: analyze within 1.5x of dissect alone, in time and in
   memory; detection's own budget (30% over analyze) is bench/run_detect.py's.
3. A store holding --assets assets (each with two addresses, five identity values, a
   protocol, a role and an edge), written through the repository, then
   `interlock assets --db STORE --json` timed --rounds times. Target: under a second.

The snapshot (bench/snapshot.py) runs interlock from a pip-installed copy of the tree, as
users run it. Prints Markdown on stdout; progress on stderr.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import snapshot
from measure import Sample, run_measured
from report import machine
from run_dissect import ensure_capture, log

SCRIPT = """
import sys
from interlock.inventory.model import (
    Asset, Edge, Evidence, IdentityValue, Inventory, Role, Span)
from interlock.store import repository
from interlock.store.schema import open_store
from pathlib import Path

count = int(sys.argv[2])
inv = Inventory()
for n in range(1, count + 1):
    asset = Asset(n, Span(1000.0, 2000.0, 10))
    asset.addresses[f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"] = Span(1000.0, 2000.0, 5)
    asset.addresses[f"00:1b:1b:{n >> 16 & 255:02x}:{n >> 8 & 255:02x}:{n & 255:02x}"] = Span(1000.0, 2000.0, 5)
    for attribute, value in (("vendor", "Siemens"), ("product", f"CPU {n % 7}"),
                             ("firmware", f"V{n % 4}.2"), ("serial", f"S C-{n:08d}"),
                             ("name", f"plc-{n}")):
        asset.identity[(attribute, value, "s7comm.szl_0x001c")] = IdentityValue(
            attribute, value, "s7comm.szl_0x001c", 0.95,
            Evidence("0" * 64, n, 1000.0, "bench"), Span(1000.0, 2000.0, 3))
    asset.protocols[("s7comm", "server", 102)] = Span(1000.0, 2000.0, 4)
    asset.roles.append(Role("plc", "answers s7comm on port 102"))
    asset.purdue_level = 1.0
    inv.assets[n] = asset
    if n > 1:
        inv.edges[(1, n, "s7comm", "read")] = Edge(1, n, "s7comm", "read", Span(1000.0, 2000.0, 9))
inv.next_id = count + 1
repository.save(open_store(Path(sys.argv[1])), inv)
"""


# The inventory job the 1.5x is about; detection has its own budget (run_detect.py).
NO_DETECT = "analyze --no-detect"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--frames", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--assets", type=int, default=10_000)
    parser.add_argument("--rev", default=None, help="build this commit (default: the working tree)")
    parser.add_argument(
        "--keep", type=Path, help="build the snapshot into this directory, or reuse the one there"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="interlock-analyze-") as tmp:
        build = snapshot.take_or_reuse(args.keep, Path(tmp) / "build", args.rev)
        interlock = build.command()
        capture = ensure_capture(args.frames, interlock)
        samples: dict[str, list[Sample]] = {"dissect --json": [], NO_DETECT: [], "analyze": []}
        for index in range(args.rounds):
            db = Path(tmp) / f"round-{index}.db"
            for name, cmd in (
                ("dissect --json", [*interlock, "dissect", str(capture.path), "--json"]),
                (
                    NO_DETECT,
                    [*interlock, "analyze", str(capture.path), "--db", str(db), "--no-detect"],
                ),
                ("analyze", [*interlock, "analyze", str(capture.path), "--db", f"{db}.rules"]),
            ):
                sample = run_measured(cmd)
                if sample.status != 0:
                    raise SystemExit(f"{name} failed: {sample.stderr_tail}")
                samples[name].append(sample)
                log(f"round {index + 1} {name}: {sample.wall:.2f} s, {sample.max_rss_mb:,.0f} MB")
        store = Path(tmp) / "assets.db"
        python = str(Path(interlock[0]).parent / "python") if len(interlock) == 1 else interlock[0]
        subprocess.run([python, "-c", SCRIPT, str(store), str(args.assets)], check=True)
        views = []
        for _ in range(args.rounds):
            sample = run_measured([*interlock, "assets", "--db", str(store), "--json"])
            if sample.status != 0:
                raise SystemExit(f"assets failed: {sample.stderr_tail}")
            views.append(sample)
            log(f"assets --json ({args.assets:,} assets): {sample.wall:.2f} s")
        report(args, argv, capture.frames, samples, views, build.label)
    return 0


def report(
    args: argparse.Namespace,
    argv: list[str],
    frames: int,
    samples: dict[str, list[Sample]],
    views: list[Sample],
    label: str,
) -> None:
    wall = {k: statistics.median(s.wall for s in v) for k, v in samples.items()}
    rss = {k: max(s.max_rss_mb for s in v) for k, v in samples.items()}
    print(f"## analyze vs dissect, and assets --json at scale ({args.rounds} rounds, medians)\n")
    print(
        f"- command (from the repository root): `.venv/bin/python bench/run_analyze.py {' '.join(argv)}`".rstrip()
    )
    for key, value in machine("-", label):
        if key != "tshark":
            print(f"- {key}: {value}")
    print()
    print("| run | frames | wall s | frames/s | peak RSS MB |")
    print("|---|---:|---:|---:|---:|")
    for name in samples:
        print(
            f"| interlock {name} | {frames:,} | {wall[name]:.2f} | {frames / wall[name]:,.0f} | {rss[name]:,.0f} |"
        )
    base = "dissect --json"
    print(
        f"\nanalyze --no-detect / dissect (the inventory job): {wall[NO_DETECT] / wall[base]:.2f}x "
        f"time, {rss[NO_DETECT] / rss[base]:.2f}x peak RSS (target: within 1.5x)"
    )
    print(
        f"analyze with all rules / dissect: {wall['analyze'] / wall[base]:.2f}x time, "
        f"{rss['analyze'] / rss[base]:.2f}x peak RSS (detection's own budget, at most 1.30x "
        f"analyze --no-detect, is bench/run_detect.py's: here "
        f"{wall['analyze'] / wall[NO_DETECT]:.2f}x)\n"
    )
    view = statistics.median(s.wall for s in views)
    print(
        f"| `interlock assets --json` | {args.assets:,} assets | {view:.2f} s | peak RSS {max(s.max_rss_mb for s in views):,.0f} MB | target under 1 s |"
    )
    print("|---|---:|---:|---:|---|")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

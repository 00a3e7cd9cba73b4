"""What the behavioural detectors cost: a capture through the engine with and without them.

    PYTHONPATH=src .venv/bin/python bench/run_behaviour.py [CAPTURE ...] [--rounds 5]

For each capture (default: three busy corpus captures, read in place from
../shared/corpus), in alternation, --rounds times, in this process:
  A. engine + transaction pairing only (the peer: what detection is added to);
  B. A + a detection run with only the behaviour pack's rules (behaviour.yaml);
  C. A + a detection run with every shipped rule.
Prints the median wall time of each and the ratios B/A and C/A as Markdown. The capture is
read once into memory first, so disk time is not measured.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from interlock import dissect as job
from interlock.capture.reader import open_capture
from interlock.detect.context import InventoryContext
from interlock.detect.engine import DetectionRun
from interlock.detect.job import DetectSink
from interlock.detect.loader import load_rules
from interlock.detect.ruleset import RuleSet
from interlock.net.flows import Flow
from interlock.transactions import TransactionSink


def _corpus() -> Path:
    """../shared/corpus/pcaps: $INTERLOCK_SHARED, else the nearest shared/ above the tree."""
    if os.environ.get("INTERLOCK_SHARED"):
        return Path(os.environ["INTERLOCK_SHARED"]) / "corpus" / "pcaps"
    here = Path(__file__).resolve()
    found = next((p for p in here.parents if (p / "shared" / "corpus").is_dir()), here.parent)
    return found / "shared" / "corpus" / "pcaps"


CORPUS = _corpus()
DEFAULT = (
    "modbus/iti_modbustcp_write_heavy.pcap",
    "enip_cip/iti_openics_eip_firmware_change.pcap",
    "s7comm/iti_s7comm_varservice_libnodave_bench.pcap",
)


class PairingOnly:
    def __init__(self) -> None:
        self.count = 0
        self.transactions = TransactionSink(self._tx)

    def _tx(self, tx: Any) -> None:
        self.count += 1

    def unit(
        self, frame: int, ts: float, flow: Flow, direction: int, message: Any, answered: Any
    ) -> None:
        self.transactions.unit(frame, ts, flow, direction, message, answered)

    def flow_closed(self, flow: Flow) -> None:
        self.transactions.flow_closed(flow)


def timed(frames: list[Any], make: Callable[[], Any], finish: Callable[[Any], Any]) -> float:
    sink = make()
    start = time.perf_counter()
    job.run(iter(frames), sink, {})
    finish(sink)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("captures", nargs="*", type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    captures = args.captures or [CORPUS / name for name in DEFAULT]
    every = load_rules()
    behaviour = RuleSet.of([r for r in every.rules if r.info.id.startswith("behaviour.")])

    def detection(rules: RuleSet) -> Callable[[], Any]:
        return lambda: DetectSink(DetectionRun(rules, InventoryContext(), "0" * 64))

    print(
        "| capture | frames | A pairing (s) | B + behaviour (s) | C + all rules (s) | B/A | C/A |"
    )
    print("|---|---|---|---|---|---|---|")
    for capture in captures:
        frames = list(open_capture(capture))
        times: dict[str, list[float]] = {"A": [], "B": [], "C": []}
        for _ in range(args.rounds):
            times["A"].append(timed(frames, PairingOnly, lambda s: None))
            times["B"].append(timed(frames, detection(behaviour), lambda s: s.run.finish()))
            times["C"].append(timed(frames, detection(every), lambda s: s.run.finish()))
            print(".", end="", file=sys.stderr, flush=True)
        a, b, c = (statistics.median(times[k]) for k in "ABC")
        print(
            f"| {capture.name} | {len(frames)} | {a:.3f} | {b:.3f} | {c:.3f} | {b / a:.2f} | {c / a:.2f} |"
        )
    print(
        f"\nmedians of {args.rounds} alternating rounds; Python {sys.version.split()[0]}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()

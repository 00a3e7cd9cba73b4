"""The policy decision core alone: time per decision for a 500-tag policy, beside two peers
measured in the same run.

    PYTHONPATH=src .venv/bin/python bench/run_policy_core.py [--tags 500] [--calls 20000]

The policy is tests/policy/synthetic.py's: one PLC, 500 tags (200 coils with a minimum
interval, 200 scaled registers with min/max/step/rate envelopes, 50 float32 registers, 50
input registers), 20 access rules, 50 interlocks of three terms. The core has observed a
read of everything first, so steps, rates and interlocks are all evaluated. Each request
kind is decided --calls times, each call timed alone (perf_counter_ns), in rounds that
alternate the kinds. Peers, per request, in the same rounds:

- `parse`: the Modbus adapter turning the request PDU into a PolicyRequest
  (interlock.policy.modbus.request_from_pdu: the engine's PDU decoder), the work the
  gateway does anyway before asking the core;
- `allow-list`: a conventional ACL, one frozenset lookup of (client, function, address):
  what "allowed clients and function codes" costs without physics.

Prints Markdown: median and p99 in microseconds per kind, and the core's median as a ratio
of each peer's. Pure CPU, single thread; the machine is shared, so compare the ratios.
"""

from __future__ import annotations

import argparse
import gc
import platform
import statistics
import struct
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from interlock.policy import compile_policy, parse_policy  # noqa: E402
from interlock.policy.modbus import observe_response, request_from_pdu  # noqa: E402
from interlock.policy.model import Policy  # noqa: E402
from policy.synthetic import large_policy  # noqa: E402

T0 = 1_767_261_600.0
HMI, ENG, STRANGER = "10.20.0.7", "10.30.0.5", "10.99.0.1"


def u16(*words: int) -> bytes:
    return b"".join(struct.pack(">H", w) for w in words)


KINDS: dict[str, tuple[str, bytes]] = {
    "read 10 registers (allowed)": (HMI, bytes([3]) + u16(0, 10)),
    "read 100 coils (allowed)": (HMI, bytes([1]) + u16(0, 100)),
    "write register, envelope + interlock (allowed)": (HMI, bytes([6]) + u16(5, 502)),
    "write register out of range (blocked)": (HMI, bytes([6]) + u16(5, 5000)),
    "write 10 registers, envelopes (allowed)": (
        HMI,
        bytes([16]) + u16(10, 10) + bytes([20]) + u16(*[505] * 10),
    ),
    "write coil, min_interval (allowed)": (HMI, bytes([5]) + u16(3, 0xFF00)),
    "stranger read (default deny)": (STRANGER, bytes([3]) + u16(0, 4)),
    "restart outside the window (default deny)": (ENG, bytes([8]) + u16(1, 0)),
}


def prime(core: Any, tags: int) -> None:
    """The HMI's first poll: every tag known, every value 'changed' long ago."""
    words, coils, inputs = tags * 2 // 5, tags * 2 // 5, tags - tags * 2 // 5 * 2 - tags // 10
    polls = [
        (bytes([3]) + u16(0, 100), bytes([3, 200]) + u16(*[500] * 100)),
        (bytes([3]) + u16(100, 100), bytes([3, 200]) + u16(*[500] * 100)),
        (bytes([1]) + u16(0, coils), bytes([1, (coils + 7) // 8]) + bytes([0xFF] * ((coils + 7) // 8))),
        (bytes([4]) + u16(0, inputs), bytes([4, 2 * inputs]) + u16(*[450] * inputs)),
    ]  # fmt: skip
    assert words == 200
    for request_pdu, response in polls:
        request = request_from_pdu(request_pdu, 1, ENG, T0 - 600, "10.10.0.5")
        observe_response(core, request, response)


def timed(action: Callable[[], object], calls: int) -> list[int]:
    samples = []
    clock = time.perf_counter_ns
    for _ in range(calls):
        start = clock()
        action()
        samples.append(clock() - start)
    return samples


def stats(samples: list[int]) -> tuple[float, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return statistics.median(ordered) / 1000, p99 / 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tags", type=int, default=500)
    parser.add_argument("--calls", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    loaded = parse_policy(large_policy(args.tags), "synthetic.yaml")
    assert isinstance(loaded, Policy), [str(e) for e in loaded]
    started = time.perf_counter()
    core = compile_policy(loaded)
    compile_ms = (time.perf_counter() - started) * 1000
    prime(core, args.tags)
    allowed = frozenset((HMI, fc, a) for fc in (1, 3, 5, 6, 16) for a in range(400))
    requests = {
        kind: (pdu, request_from_pdu(pdu, 1, client, T0, "10.10.0.5"))
        for kind, (client, pdu) in KINDS.items()
    }
    verdicts = {kind: core.decide(r) for kind, (_, r) in requests.items()}
    results: dict[str, dict[str, list[int]]] = {
        k: {"core": [], "parse": [], "acl": []} for k in KINDS
    }
    per_round = max(args.calls // args.rounds, 1)
    gc.collect()
    for _ in range(args.rounds):
        for kind, (pdu, request) in requests.items():
            client = KINDS[kind][0]
            address = request.address or 0
            out = results[kind]
            out["core"] += timed(lambda r=request: core.decide(r), per_round)
            out["parse"] += timed(lambda p=pdu, c=client: request_from_pdu(p, 1, c, T0, "10.10.0.5"), per_round)  # fmt: skip
            out["acl"] += timed(lambda c=client, f=request.function, a=address: (c, f, a) in allowed, per_round)  # fmt: skip
    print(f"# Policy decision core, {args.tags}-tag policy\n")
    print(
        f"- machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}"
    )
    print(f"- policy: {len(loaded.tags)} tags, {len(loaded.rules)} rules, "
          f"{len(loaded.interlocks)} interlocks; compiled in {compile_ms:.1f} ms")  # fmt: skip
    print(
        f"- {per_round * args.rounds:,} timed calls per kind and peer, {args.rounds} alternating rounds\n"
    )
    print("| request | verdict (rule) | core median µs | core p99 µs | parse median µs | "
          "allow-list median µs | core / parse | core / allow-list |")  # fmt: skip
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    everything: dict[str, list[int]] = {"core": [], "parse": [], "acl": []}
    for kind, out in results.items():
        for peer in everything:
            everything[peer] += out[peer]
        core_median, core_p99 = stats(out["core"])
        parse_median, _ = stats(out["parse"])
        acl_median, _ = stats(out["acl"])
        decision = verdicts[kind]
        print(
            f"| {kind} | {decision.verdict} ({decision.rule}) | {core_median:.2f} | "
            f"{core_p99:.2f} | {parse_median:.2f} | {acl_median:.2f} | "
            f"{core_median / parse_median:.2f} | {core_median / acl_median:.1f} |"
        )
    core_median, core_p99 = stats(everything["core"])
    parse_median, _ = stats(everything["parse"])
    acl_median, _ = stats(everything["acl"])
    print(
        f"| **all kinds** | | **{core_median:.2f}** | **{core_p99:.2f}** | {parse_median:.2f} | "
        f"{acl_median:.2f} | {core_median / parse_median:.2f} | {core_median / acl_median:.1f} |"
    )


if __name__ == "__main__":
    main()

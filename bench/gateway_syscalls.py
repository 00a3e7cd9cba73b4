"""What one transaction costs the gateway in syscalls, context switches and CPU time,
beside the bare relays, measured in the same run: load-insensitive numbers.

    .venv/bin/python bench/gateway_syscalls.py --src src            # the source tree, uncompiled
    .venv/bin/python bench/gateway_syscalls.py --keep /tmp/gw-build  # a compiled snapshot
    .venv/bin/python bench/gateway_syscalls.py --src src -n 20000 --rounds 3

Wall-clock latency on a shared 2-core virtual machine moves with everyone else's load;
these counts do not (CPU time moves a little, syscall counts not at all):

- CPU µs per transaction: utime + stime of the relay process (/proc/PID/stat; the kernel
  scales these to its precise run time) over n transactions of one client, one at a time;
  the median over rounds. Every thread of the process counts, exited ones included.
- syscalls per transaction: ``strace -f -c`` attached to the relay process for another n
  transactions (strace slows the run; the counts do not change). ``futex`` counts thread
  hand-offs: a transaction that crosses threads shows at least one per transaction.
- added p50 µs: the client's median latency through the peer minus its median straight to
  the responder in the same round (direct), median over rounds: wall clock, so only
  meaningful on a quiet machine; the CPU and syscall columns are the load-insensitive ones.
- context switches per transaction, when ``perf`` is installed (``perf stat -e
  context-switches``): a switch is a wake-up, and a wake-up is dear on an idle VM.

Peers: relay-threads (two threads per connection), relay-thread1 (one thread per
connection polling both sockets, the gateway's I/O model) and the gateway with
bench/run_gateway.py's policy (every request decided and audited). Markdown on stdout.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
import run_gateway  # noqa: E402  (bench/run_gateway.py)
import snapshot  # noqa: E402  (bench/snapshot.py)
from run_gateway import Bench, Peer, cpu_seconds, run_client  # noqa: E402

SHOWN = ("poll", "recvfrom", "sendto", "write", "futex", "epoll_wait", "select", "fsync")


def cpu_us_per_tx(peer: Peer, n: int) -> tuple[float, float]:
    """(CPU µs per transaction, the client's p50 latency in µs) over n transactions."""
    assert peer.process is not None
    before = cpu_seconds(peer.process.pid)
    latency = run_client(peer.port, n, 0)["p50_us"]
    return (cpu_seconds(peer.process.pid) - before) * 1e6 / n, latency


def syscalls_per_tx(peer: Peer, n: int, tmp: Path) -> dict[str, float]:
    """strace -f -c over n transactions: calls per transaction by syscall name."""
    assert peer.process is not None
    out = tmp / f"strace.{peer.name}"
    tracer = subprocess.Popen(
        ["strace", "-f", "-c", "-o", str(out), "-p", str(peer.process.pid)],
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1.0)  # attached to every thread before the client starts
    run_client(peer.port, n, 0)
    time.sleep(0.2)
    tracer.send_signal(signal.SIGINT)
    tracer.wait(30)
    counts: dict[str, float] = {}
    for line in out.read_text().splitlines():
        parts = line.split()
        if len(parts) >= 5 and parts[-1] != "total" and parts[3].isdigit():
            counts[parts[-1]] = int(parts[3]) / n
    return counts


def switches_per_tx(peer: Peer, n: int, tmp: Path) -> float | None:
    if shutil.which("perf") is None:
        return None
    assert peer.process is not None
    out = tmp / f"perf.{peer.name}"
    stat = subprocess.Popen(
        ["perf", "stat", "-x", ",", "-e", "context-switches", "-o", str(out),
         "-p", str(peer.process.pid)],
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    time.sleep(0.5)
    run_client(peer.port, n, 0)
    stat.send_signal(signal.SIGINT)
    stat.wait(30)
    for line in out.read_text().splitlines():
        fields = line.split(",")
        if len(fields) > 2 and fields[2] == "context-switches" and fields[0].isdigit():
            return int(fields[0]) / n
    return None


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-n", type=int, default=10000, help="transactions per measurement")
    parser.add_argument("--rounds", type=int, default=5, help="CPU passes (median)")
    parser.add_argument("--rev", help="measure this commit (default: the working tree)")
    parser.add_argument(
        "--src",
        type=Path,
        action="append",
        help="run a gateway from this directory as it is (a source tree, or a build); "
        "repeat to compare several in one run",
    )
    parser.add_argument("--keep", type=Path, help="build the snapshot here, or reuse it")
    parser.add_argument(
        "--pin", action="store_true", help="clients on CPU 1, servers and relays on CPU 0"
    )
    args = parser.parse_args()
    run_gateway.PIN = args.pin
    if shutil.which("strace") is None:
        raise SystemExit("strace is not installed: no syscall counts")

    tmp = Path(tempfile.mkdtemp(prefix="gateway-syscalls-"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    builds: list[tuple[str, list[str], dict[str, str]]] = []
    labels: list[str] = []
    for index, directory in enumerate(args.src or []):
        name = "gateway" if len(args.src) == 1 else f"gateway-{index + 1}"
        command = [sys.executable, "-c", "from interlock.cli.app import main; main()"]
        builds.append((name, command, {**env, "PYTHONPATH": str(directory.resolve())}))
        labels.append(f"{name}: {directory.resolve()} as it is (not built here)")
    if not builds:
        build = snapshot.take_or_reuse(args.keep, tmp / "build", args.rev)
        builds.append(("gateway", build.command(), env))
        labels.append(f"gateway: {build.label}")
    bench = Bench([], tmp, env)
    try:
        raw = bench.responder()
        peers = [Peer("direct", raw), bench.relay("threads", raw), bench.relay("thread1", raw)]
        for name, command, build_env in builds:
            bench.interlock, bench.env = command, build_env
            port, process = bench.gateway(raw, name)
            peers.append(Peer(name, port, process))
        bench.env = env
        for peer in peers:
            run_client(peer.port, 2000, 500)  # warm: connection paths, the fast path's memo
        cpu: dict[str, list[float]] = {peer.name: [] for peer in peers}
        p50: dict[str, list[float]] = {peer.name: [] for peer in peers}
        for round_no in range(args.rounds):
            p50["direct"].append(run_client(raw, args.n, 0)["p50_us"])
            for peer in peers[1:]:
                used, latency = cpu_us_per_tx(peer, args.n)
                cpu[peer.name].append(used)
                p50[peer.name].append(latency)
            print(f"round {round_no + 1}: " + ", ".join(
                f"{name} {values[-1]:.1f}" for name, values in cpu.items() if values
            ) + " CPU µs/tx", file=sys.stderr)  # fmt: skip
        measured = peers[1:]
        calls = {peer.name: syscalls_per_tx(peer, args.n, tmp) for peer in measured}
        switches = {peer.name: switches_per_tx(peer, args.n, tmp) for peer in measured}
    finally:
        bench.close()
    print(report(measured, cpu, p50, calls, switches, args, labels))
    shutil.rmtree(tmp, ignore_errors=True)


def added_p50(p50: dict[str, list[float]], name: str) -> float:
    """The median over rounds of the peer's p50 minus direct's in the same round."""
    return statistics.median(mine - direct for mine, direct in zip(p50[name], p50["direct"]))


def report(
    peers: list[Peer],
    cpu: dict[str, list[float]],
    p50: dict[str, list[float]],
    calls: dict[str, dict[str, float]],
    switches: dict[str, float | None],
    args: argparse.Namespace,
    labels: list[str],
) -> str:
    shown = [name for name in SHOWN if any(calls[p.name].get(name) for p in peers)]
    lines = [
        "## bench/gateway_syscalls.py",
        "",
        *(f"- {label}" for label in labels),
        f"- {args.n} transactions per measurement, one client, one transaction at a time "
        f"(FC 3, 2 registers){'; pinned (--pin)' if args.pin else ''}; "
        f"CPU: median of {args.rounds} passes; load average "
        f"{os.getloadavg()[0]:.2f} at the end",
        "",
        "| peer | CPU µs/tx | added p50 µs | syscalls/tx | "
        + " | ".join(shown)
        + " | ctx switches/tx |",
        "|---|---|---|---|" + "---|" * len(shown) + "---|",
    ]
    for peer in peers:
        per = calls[peer.name]
        switch = switches[peer.name]
        lines.append(
            f"| {peer.name} | {statistics.median(cpu[peer.name]):.1f} "
            f"| {added_p50(p50, peer.name):.1f} | {sum(per.values()):.2f} | "
            + " | ".join(f"{per.get(name, 0.0):.2f}" for name in shown)
            + f" | {'-' if switch is None else f'{switch:.2f}'} |"
        )
    base = statistics.median(cpu["relay-thread1"])
    lines.append("")
    for peer in peers[2:]:  # after the two relays
        own = statistics.median(cpu[peer.name])
        lines.append(
            f"- {peer.name}: {own - base:+.1f} CPU µs per transaction against the bare "
            f"one-thread relay ({own / base:.2f}x); {1e6 / own:,.0f} transactions per CPU "
            "second (target 15,000)."
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()

"""The latency the gateway adds, against a direct connection and socat in the same run.

    .venv/bin/python bench/run_gateway.py                   # 5 rounds of 20,000 transactions
    .venv/bin/python bench/run_gateway.py --rounds 2 -n 5000  # quicker
    .venv/bin/python bench/run_gateway.py --rev HEAD~3      # another commit
    .venv/bin/python bench/run_gateway.py --src src         # the source tree as it is, uncompiled
    .venv/bin/python bench/run_gateway.py --keep /tmp/gw-build  # build once, reuse it next time

The gateway runs from a snapshot (bench/snapshot.py): the package built once, as `pip
install` builds it (the mypyc-compiled hot path included), from the working tree or from
--rev, so that the run measures what is installed and one report never mixes two versions.

A raw Modbus/TCP client (bench/gateway_peers.py) does request/response in a loop, one
transaction at a time, against each peer in alternation (A B C ... A B C ...):

- direct: the fast raw responder itself (the floor);
- socat: `socat TCP-LISTEN,fork,nodelay TCP,nodelay` in front of it (Debian's socat,
  installed with apt-get, through sudo when not root, if `socat` is not on PATH);
- relay-threads / relay-asyncio / relay-uvloop: minimal MBAP relays, one per I/O model
  (uvloop only when importable): the I/O model's own cost, to choose it by measurement;
- gateway: `interlock gateway` in enforce mode with a policy that decides every request
  (access rule, tags, envelope lookup), audit log on disk, fsync every 200 ms, busy
  polling as it comes (100 µs at most, learnt from the traffic);
- gateway-no-spin: the same with `--busy-poll 0`, every wait asleep;
- pymodbus and gateway-pymodbus: the same against a pymodbus server, for realism.

Added latency = a peer's median per-transaction latency minus direct's, per round, then
the median over rounds (p99 likewise).

`--pin` places every peer alike: clients on CPU 1, the upstream and the peer under test on
CPU 0. Without it the scheduler places the three processes of a transaction on the two
CPUs by their load, and on an idle virtual machine the heaviest one (the gateway) gets a
CPU of its own, so each of its four hops wakes a halted CPU (docs/gateway.md, "Where the
time went"); pinned, every peer meets the same two cross-CPU hops and the added latency
is its own work. Throughput per core = transactions ÷ the gateway process's CPU seconds
(utime + stime from /proc) while 4 clients run at once, enough to keep its CPU busy (the
report says how busy); the same with one client, one transaction at a time, is shown too,
but there the gateway's CPU mostly waits for that client (or spins for it); last, a client
that pauses after each answer (0.2 and 1 ms) shows what busy polling costs when a client
is not in a hurry, the gateway's CPU per transaction with and without. Every process
binds 127.0.0.1 only. Markdown report on stdout, progress on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PEERS = [sys.executable, str(BENCH / "gateway_peers.py")]
sys.path.insert(0, str(BENCH))
import snapshot  # noqa: E402  (bench/snapshot.py)
from peers import ensure_tool  # noqa: E402  (bench/peers.py)

POLICY = """\
version: 1
default: deny
mode: enforce
clients:
  bench: [127.0.0.1]
assets:
  - {name: plc, protocol: modbus, unit: 1}
tags:
  - {name: level_sp, asset: plc, space: holding_registers, address: 0, scale: 0.1,
     envelope: {min: 10, max: 90, max_step: 5}}
  - {name: pump_speed_sp, asset: plc, space: holding_registers, address: 1, scale: 0.1}
rules:
  - {name: bench-reads, clients: [bench], operations: [read], assets: [plc]}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on {port}")


@dataclass
class Peer:
    name: str
    port: int
    process: subprocess.Popen[bytes] | None = None
    rounds: list[dict[str, float]] = field(default_factory=list)


class Bench:
    def __init__(self, interlock: list[str], tmp: Path, env: dict[str, str]) -> None:
        self.interlock = interlock
        """The command that runs `interlock` (a snapshot's, or the source tree's)."""
        self.tmp = tmp
        self.processes: list[subprocess.Popen[bytes]] = []
        self.env = env

    def spawn(self, argv: list[str], port: int) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            argv, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            preexec_fn=pinned(SERVER_CPU),
        )  # fmt: skip
        self.processes.append(process)
        wait_port(port)
        return process

    def responder(self) -> int:
        port = free_port()
        self.spawn([*PEERS, "responder", str(port)], port)
        return port

    def pymodbus(self) -> int:
        port = free_port()
        code = (
            "import asyncio, logging, sys\n"
            "logging.disable(logging.WARNING)\n"
            "from pymodbus.datastore import ModbusDeviceContext, ModbusSequentialDataBlock, ModbusServerContext\n"
            "from pymodbus.server import ModbusTcpServer\n"
            "async def main():\n"
            "    dev = ModbusDeviceContext(hr=ModbusSequentialDataBlock(1, list(range(100))))\n"
            f"    server = ModbusTcpServer(ModbusServerContext(devices={{1: dev}}), address=('127.0.0.1', {port}))\n"
            "    await server.serve_forever()\n"
            "asyncio.run(main())\n"
        )
        self.spawn([sys.executable, "-c", code], port)
        return port

    def socat(self, upstream: int) -> int:
        port = free_port()
        argv = [ensure_tool("socat", "socat"), f"TCP-LISTEN:{port},bind=127.0.0.1,reuseaddr,fork,nodelay",
                f"TCP:127.0.0.1:{upstream},nodelay"]  # fmt: skip
        self.spawn(argv, port)
        return port

    def relay(self, model: str, upstream: int) -> Peer:
        port = free_port()
        process = self.spawn([*PEERS, "relay", model, str(port), str(upstream)], port)
        return Peer(f"relay-{model}", port, process)

    def gateway(
        self, upstream: int, name: str, extra: tuple[str, ...] = ()
    ) -> tuple[int, subprocess.Popen[bytes]]:
        policy = self.tmp / "policy.yaml"
        policy.write_text(POLICY)
        port = free_port()
        argv = [
            *self.interlock, "gateway",
            "--listen", f"127.0.0.1:{port}", "--upstream", f"127.0.0.1:{upstream}",
            "--policy", str(policy), "--audit", str(self.tmp / f"{name}.audit.jsonl"),
            "--stats", str(self.tmp / f"{name}.stats.json"), *extra,
        ]  # fmt: skip
        return port, self.spawn(argv, port)

    def close(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()


PAUSES = (0.0002, 0.001)
"""Pauses after each answer for the paced client: one faster than busy polling's 100 µs
could save and one ten times slower, where spinning would only cost."""
PACED_N = 3000

PIN = False
"""--pin: servers and the peer under test on SERVER_CPU, clients on CLIENT_CPU."""
SERVER_CPU, CLIENT_CPU = 0, 1


def pinned(cpu: int) -> Any:
    """A preexec_fn that keeps the child (and its threads and children) on cpu, or None."""
    if not PIN:
        return None
    return lambda: os.sched_setaffinity(0, {cpu})


def run_client(port: int, n: int, warmup: int, pause: float = 0.0) -> dict[str, float]:
    done = subprocess.run(
        [*PEERS, "client", str(port), str(n), "--warmup", str(warmup), "--pause", str(pause)],
        capture_output=True, text=True, timeout=600, check=False,
        preexec_fn=pinned(CLIENT_CPU),
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"client against {port} failed: {done.stderr[-500:]}")
    result: dict[str, float] = json.loads(done.stdout)
    return result


def paced(port: int, pid: int, pause: float, n: int) -> dict[str, float]:
    """One client that pauses after each answer: CPU per transaction of pid, and p50."""
    before = cpu_seconds(pid)
    result = run_client(port, n, 100, pause)
    cpu = cpu_seconds(pid) - before
    return {"cpu_us": cpu * 1e6 / (n + 100), "p50_us": result["p50_us"]}


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def throughput(port: int, pid: int, clients: int, n: int) -> dict[str, float]:
    """clients at once, n transactions each: wall rate, and rate per CPU second of pid.
    The clients start together (--start-at), so that 4 clients are 4 at once throughout,
    not one alone while the next starts."""
    start_at = time.time() + 0.2 * clients + 0.3  # every client connected and waiting
    procs = [
        subprocess.Popen(
            [*PEERS, "client", str(port), str(n), "--warmup", "200", "--start-at", str(start_at)],
            stdout=subprocess.PIPE,
            text=True,
            preexec_fn=pinned(CLIENT_CPU),
        )
        for _ in range(clients)
    ]
    time.sleep(max(0.0, start_at - time.time() - 0.05))
    before = cpu_seconds(pid)
    start = time.perf_counter()
    for proc in procs:
        proc.communicate(timeout=600)
    wall = time.perf_counter() - start
    cpu = cpu_seconds(pid) - before
    total = clients * (n + 200)
    return {
        "wall_tps": total / wall,
        "cpu_s": cpu,
        "busy": cpu / wall,
        "tps_per_core": total / cpu if cpu else 0.0,
    }


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-n", type=int, default=20000, help="transactions per client run")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1000)
    parser.add_argument("--rev", help="benchmark this commit (default: the working tree)")
    parser.add_argument(
        "--src", type=Path, help="run the gateway from this source tree as it is (no build)"
    )
    parser.add_argument(
        "--keep", type=Path, help="build the snapshot into this directory, or reuse the one there"
    )
    parser.add_argument(
        "--pin", action="store_true", help="clients on CPU 1, servers and relays on CPU 0"
    )
    args = parser.parse_args()
    global PIN
    PIN = args.pin

    tmp = Path(tempfile.mkdtemp(prefix="gateway-bench-"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if args.src is not None:
        interlock = [sys.executable, "-c", "from interlock.cli.app import main; main()"]
        env["PYTHONPATH"] = str(args.src.resolve())
        args.build = f"source tree {args.src.resolve()} (not built: pure Python)"
    else:
        print("the snapshot (pip install, mypyc; reused with --keep) ...", file=sys.stderr)
        build = snapshot.take_or_reuse(args.keep, tmp / "build", args.rev)
        interlock = build.command()
        args.build = build.label
    bench = Bench(interlock, tmp, env)
    try:
        raw = bench.responder()
        plc = bench.pymodbus()
        peers = [Peer("direct", raw), Peer("socat", bench.socat(raw))]
        peers.append(bench.relay("threads", raw))
        peers.append(bench.relay("thread1", raw))
        peers.append(bench.relay("asyncio", raw))
        uvloop = _has_uvloop()
        if uvloop:
            peers.append(bench.relay("uvloop", raw))
        gateway_port, gateway = bench.gateway(raw, "gateway")
        peers.append(Peer("gateway", gateway_port, gateway))
        asleep_port, asleep = bench.gateway(raw, "gateway-no-spin", ("--busy-poll", "0"))
        peers.append(Peer("gateway-no-spin", asleep_port, asleep))
        peers.append(Peer("pymodbus", plc))
        peers.append(Peer("gateway-pymodbus", bench.gateway(plc, "gateway-pymodbus")[0]))
        for round_no in range(args.rounds):
            for peer in peers:
                n = args.n if "pymodbus" not in peer.name else max(args.n // 5, 1000)
                peer.rounds.append(run_client(peer.port, n, args.warmup))
                print(
                    f"round {round_no + 1} {peer.name}: p50 {peer.rounds[-1]['p50_us']:.1f} µs",
                    file=sys.stderr,
                )
        tput = {
            (p.name, clients): throughput(p.port, p.process.pid, clients, args.n // clients)
            for clients in (1, 4)
            for p in peers
            if p.process is not None and "pymodbus" not in p.name
        }
        paced_peers = [p for p in peers if p.name in ("gateway", "gateway-no-spin")]
        pace_rounds: dict[tuple[str, float], list[dict[str, float]]] = {}
        for _ in range(args.rounds):  # alternating, as above: the machine drifts
            for pause in PAUSES:
                for p in paced_peers:
                    assert p.process is not None
                    row = paced(p.port, p.process.pid, pause, PACED_N)
                    pace_rounds.setdefault((p.name, pause), []).append(row)
        pace = {
            key: {k: median([r[k] for r in rows]) for k in ("cpu_us", "p50_us")}
            for key, rows in pace_rounds.items()
        }
        stats = (
            json.loads((tmp / "gateway.stats.json").read_text())
            if (tmp / "gateway.stats.json").exists()
            else None
        )
        print(report(peers, tput, pace, stats, args, uvloop))
    finally:
        bench.close()
        shutil.rmtree(tmp, ignore_errors=True)


def _has_uvloop() -> bool:
    try:
        import uvloop  # type: ignore[import-not-found]  # noqa: F401
    except ImportError:
        return False
    return True


def added(peer: Peer, base: Peer, key: str) -> float:
    return median([mine[key] - theirs[key] for mine, theirs in zip(peer.rounds, base.rounds)])


def report(
    peers: list[Peer], tputs: dict[tuple[str, int], dict[str, float]],
    pace: dict[tuple[str, float], dict[str, float]], stats: dict[str, Any] | None,
    args: argparse.Namespace, uvloop: bool,
) -> str:  # fmt: skip
    by_name = {p.name: p for p in peers}
    direct, pym = by_name["direct"], by_name["pymodbus"]
    lines = [
        "## bench/run_gateway.py",
        "",
        f"- machine: {platform.machine()}, {os.cpu_count()} CPUs, Linux {platform.release()}, "
        f"Python {platform.python_version()}; load average {os.getloadavg()[0]:.2f} at the end",
        f"- gateway build: {args.build}",
        "- placement: "
        + (
            "pinned (--pin): clients on CPU 1, servers and relays on CPU 0"
            if args.pin
            else "the scheduler's (not pinned)"
        ),
        f"- {args.rounds} rounds; {args.n} transactions per run ({max(args.n // 5, 1000)} against pymodbus), "
        f"{args.warmup} warm-up; one client, one transaction at a time (FC 3, 2 registers)",
        f"- uvloop: {'measured' if uvloop else 'not installed: not measured'}",
        "",
        "| peer | p50 µs | p99 µs | p99.9 µs | tx/s (1 client) | added p50 µs | added p99 µs |",
        "|---|---|---|---|---|---|---|",
    ]
    for peer in peers:
        base = pym if "pymodbus" in peer.name else direct
        p50 = "-" if peer is base else f"{added(peer, base, 'p50_us'):.1f}"
        p99 = "-" if peer is base else f"{added(peer, base, 'p99_us'):.1f}"
        lines.append(
            f"| {peer.name} | {median([r['p50_us'] for r in peer.rounds]):.1f} "
            f"| {median([r['p99_us'] for r in peer.rounds]):.1f} "
            f"| {median([r['p999_us'] for r in peer.rounds]):.1f} "
            f"| {median([r['tps'] for r in peer.rounds]):,.0f} | {p50} | {p99} |"
        )
    lines += [
        "",
        "Throughput and CPU: 1 client, then 4 at once (each its own process); CPU is the relay",
        "process's own (utime + stime), busy is CPU seconds per wall second, so with its CPU",
        "kept busy, tx per CPU second is transactions per core.",
        "",
        "| peer | clients | tx/s wall | CPU s | busy | tx per CPU second |",
        "|---|---|---|---|---|---|",
    ]
    for (name, clients), row in tputs.items():
        lines.append(
            f"| {name} | {clients} | {row['wall_tps']:,.0f} | {row['cpu_s']:.2f} "
            f"| {row['busy']:.0%} | {row['tps_per_core']:,.0f} |"
        )
    lines += [
        "",
        f"A client with a pace of its own ({PACED_N:,} transactions, a pause after each answer; "
        f"medians of {args.rounds} alternating runs):",
        "",
        "| peer | pause ms | CPU µs per transaction | p50 µs |",
        "|---|---|---|---|",
    ]
    for (name, pause), row in pace.items():
        lines.append(f"| {name} | {pause * 1e3:g} | {row['cpu_us']:.1f} | {row['p50_us']:.1f} |")
    if stats is not None:
        own = stats["latency"]["added"]
        lines.append("")
        lines.append(
            f"The gateway's own histogram (request + response path inside the process, {own['count']:,} "
            f"transactions): p50 {own['p50_us']} µs, p99 {own['p99_us']} µs, p99.9 {own['p999_us']} µs; "
            f"budget verdict: {stats['budget']['holds']}."
        )
    for name in ("gateway", "gateway-no-spin"):
        if name in by_name:
            lines += ["", f"Targets ({name}):", *targets(by_name, name, tputs)]
    return "\n".join(lines)


def targets(
    by_name: dict[str, Peer], name: str, tputs: dict[tuple[str, int], dict[str, float]]
) -> list[str]:
    direct = by_name["direct"]
    gw_p50, gw_p99 = added(by_name[name], direct, "p50_us"), added(by_name[name], direct, "p99_us")
    socat_p50 = added(by_name["socat"], direct, "p50_us")
    lines = [f"- added p50 at most 2x socat's: {gw_p50:.1f} vs 2 x {socat_p50:.1f} µs: "
             f"{'met' if gw_p50 <= 2 * socat_p50 else 'NOT met'}"]  # fmt: skip
    lines.append(
        f"- added p99 at most 250 µs: {gw_p99:.1f} µs: {'met' if gw_p99 <= 250 else 'NOT met'}"
    )
    one, many = tputs[name, 1], tputs[name, 4]
    per_core = many["tps_per_core"]
    lines.append(f"- at least 15,000 transactions/s per core: {per_core:,.0f} per CPU second "
                 f"with 4 clients, its CPU {many['busy']:.0%} busy "
                 f"({'met' if per_core >= 15000 else 'NOT met'}); one client alone: "
                 f"{one['tps_per_core']:,.0f} per CPU second, CPU {one['busy']:.0%} busy")  # fmt: skip
    return lines


if __name__ == "__main__":
    main()

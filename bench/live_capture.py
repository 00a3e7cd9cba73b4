"""Live capture: the AF_PACKET socket against `tcpdump -U -w -`, across a veth pair.

Reproduce (as root, from the repository root, after ./dev setup; results in RESULTS.md):

    .venv/bin/python bench/live_capture.py            # the full run, about 20 minutes
    .venv/bin/python bench/live_capture.py --quick    # a smoke run, about 2 minutes

The package is built once into a temporary directory (`snapshot.py`: commit `--rev`,
HEAD by default, mypyc-compiled as `pip install` does) and every capture process imports that build, so that a report never
mixes two versions. Two network namespaces joined by a veth pair are made for the run and
deleted after it. In the sender namespace this script replays
Modbus/TCP frames it built itself through a raw AF_PACKET socket, paced to an offered rate
(`max`: as fast as it can) for RUN_SECONDS, long enough for a source that cannot keep up
to overflow its kernel buffer. In the receiver namespace a capture process reads them with
one source (`afpacket` or `tcpdump`) and one pipeline (`frames`: capture only; `jsonl`: the
engine and the JSON-lines renderer, as `interlock dissect --iface IF --jsonl`) and
reports frames, the kernel drops its source saw, CPU time from the moment capture is ready
(its own, and tcpdump's) and peak RSS. Sources alternate at each rate and repetition; the
table shows medians. Raw results go to bench/data/live_capture.json.
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import json
import os
import platform
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import snapshot  # bench/snapshot.py: this script's directory is first on sys.path

from interlock import dissect as job
from interlock import engine
from interlock.capture import open_capture
from interlock.capture.live import live_frames
from interlock.capture.tcpdump import tcpdump_frames
from interlock.capture.writer import PcapWriter
from interlock.render.dissect import JsonlSink
from interlock.sim.tcp_frames import TcpConversation

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
PYTHON = sys.executable
SOURCES = ("afpacket", "tcpdump")
IDLE_SECONDS = 2.5  # no progress for this long after the sender is done: capture is over
PROGRESS_EVERY = 4096
RUN_SECONDS = 10  # each paced run offers rate x RUN_SECONDS frames
MAX_FRAMES = 1_500_000  # the unpaced run's frames, and the traffic file's
TRAFFIC = DATA / "live_capture_traffic.pcap"


# -- traffic ---------------------------------------------------------------------------


def build_traffic(path: Path, frames: int, conversations: int = 8) -> int:
    """A pcap of Modbus/TCP polling: handshakes, then read-holding-registers pairs."""
    convs = [
        TcpConversation(f"10.30.0.{i + 10}", 40000 + i, "10.30.1.5", 502)
        for i in range(conversations)
    ]
    written = 0
    with open(path, "wb") as stream, PcapWriter(stream) as writer:
        for conv in convs:
            for packet in conv.handshake():
                writer.write(0.0, packet)
                written += 1
        trans_id = 0
        while written < frames:
            conv = convs[trans_id % conversations]
            tid = trans_id & 0xFFFF
            request = tid.to_bytes(2, "big") + bytes.fromhex("0000000601030000000a")
            response = tid.to_bytes(2, "big") + bytes.fromhex("00000017010314") + bytes(20)
            writer.write(0.0, conv.data(0, request))
            writer.write(0.0, conv.data(1, response))
            written += 2
            trans_id += 1
    return written


def send(iface: str, pcap: Path, count: int, rate: int) -> dict[str, Any]:
    """Replay the first count frames of pcap on iface at rate frames/s (0: unpaced)."""
    frames = (frame.data for frame in itertools.islice(open_capture(pcap), count))
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
    sock.bind((iface, 0))
    out = sock.send
    batch = max(1, rate // 2000) if rate else 4096
    sent = 0
    start = time.perf_counter()
    while chunk := list(itertools.islice(frames, batch)):
        for frame in chunk:
            out(frame)
        sent += len(chunk)
        if rate:
            delay = start + sent / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
    seconds = time.perf_counter() - start
    return {"sent": sent, "seconds": seconds, "rate": sent / seconds}


# -- capture (runs in the receiver namespace) ------------------------------------------


def _proc_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _cpu(usage: resource.struct_rusage) -> float:
    return usage.ru_utime + usage.ru_stime


def capture(source: str, iface: str, count: int, pipeline: str) -> dict[str, Any]:
    cap = (live_frames if source == "afpacket" else tcpdump_frames)(iface, count)
    signal.signal(signal.SIGTERM, lambda *_: setattr(cap, "stopping", True))
    helper_start = _proc_cpu(cap.proc.pid) if source == "tcpdump" else 0.0  # type: ignore[attr-defined]
    start = _cpu(resource.getrusage(resource.RUSAGE_SELF))
    print("ready", flush=True)

    def reporting() -> Any:
        for n, frame in enumerate(cap, 1):
            if not n % PROGRESS_EVERY:
                print(f"progress {n}", flush=True)
            yield frame

    units = 0
    if pipeline == "jsonl":  # as `interlock dissect --iface IF --jsonl > /dev/null`
        with open(os.devnull, "wb") as out:
            sink = JsonlSink(out, None, job.server_ports({}))
            result = job.run(reporting(), sink, {})
            sink.flush()
        frames, units = result.health.frames, result.health.units["modbus"]
    else:
        frames = sum(1 for _ in reporting())
    cap.close()
    own = resource.getrusage(resource.RUSAGE_SELF)
    helper = resource.getrusage(resource.RUSAGE_CHILDREN)
    helper_cpu = _cpu(helper) - helper_start if source == "tcpdump" else 0.0
    cpu = _cpu(own) - start + helper_cpu
    rss_kib = own.ru_maxrss + helper.ru_maxrss
    return {
        "frames": frames,
        "units": units,
        "dropped": cap.dropped,
        "cpu": cpu,
        "helper_cpu": helper_cpu,
        "engine": Path(engine.__file__ or "?").name,
        "rss_kib": rss_kib,
    }


# -- the run (orchestrator) ------------------------------------------------------------


class Namespaces:
    """Two namespaces joined by a veth pair, IPv6 off so that only our frames cross."""

    def __init__(self) -> None:
        tag = os.getpid()
        self.tx, self.rx = f"ilbench-tx-{tag}", f"ilbench-rx-{tag}"
        self.tx_if, self.rx_if = f"ilbt{tag}", f"ilbr{tag}"

    def __enter__(self) -> Namespaces:
        try:
            for ns in (self.tx, self.rx):
                _ip("netns", "add", ns)
                for scope in ("all", "default"):
                    _ip(
                        "netns",
                        "exec",
                        ns,
                        "sysctl",
                        "-qw",
                        f"net.ipv6.conf.{scope}.disable_ipv6=1",
                    )
            _ip("link", "add", self.tx_if, "type", "veth", "peer", "name", self.rx_if)
            for ns, dev in ((self.tx, self.tx_if), (self.rx, self.rx_if)):
                _ip("link", "set", dev, "netns", ns)
                _ip("-n", ns, "link", "set", dev, "up")
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        for ns in (self.tx, self.rx):
            subprocess.run(["ip", "netns", "del", ns], capture_output=True, check=False)


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True)


def one_run(
    nets: Namespaces, env: dict[str, str], source: str, pipeline: str, rate: int, count: int
) -> dict[str, Any]:
    argv = [PYTHON, __file__, "capture", source, nets.rx_if, str(count), pipeline]
    proc = subprocess.Popen(
        ["ip", "netns", "exec", nets.rx, *argv], stdout=subprocess.PIPE, text=True, env=env
    )
    assert proc.stdout is not None
    if proc.stdout.readline().strip() != "ready":
        proc.wait()
        raise RuntimeError(f"{source}: the capture process did not start")
    last = [time.monotonic()]
    lines: list[str] = []

    def watch() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            last[0] = time.monotonic()
            lines.append(line)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    send_argv = [PYTHON, __file__, "send", nets.tx_if, str(TRAFFIC), str(count), str(rate)]
    sender = subprocess.run(
        ["ip", "netns", "exec", nets.tx, *send_argv],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    sent_at = time.monotonic()
    while proc.poll() is None:
        if time.monotonic() - max(last[0], sent_at) > IDLE_SECONDS:
            proc.send_signal(signal.SIGTERM)  # our own child; it stops capturing cleanly
            proc.wait()
            break
        time.sleep(0.1)
    watcher.join()
    if not lines or not lines[-1].startswith("{"):
        raise RuntimeError(
            f"{source}: capture gave no result (exit {proc.returncode}): {lines[-3:]}"
        )
    result: dict[str, Any] = json.loads(lines[-1])
    result.update(json.loads(sender.stdout))
    result.update(source=source, pipeline=pipeline, offered=rate)
    result["lost"] = result["sent"] - result["frames"]
    return result


def main_run(rates: list[int], reps: int, pipelines: list[str], max_frames: int, rev: str) -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    began = datetime.datetime.now(datetime.UTC)
    print("building the package and the traffic ...", file=sys.stderr)
    frames = build_traffic(TRAFFIC, max_frames)
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="interlock-live-") as tmp:
        build = snapshot.take(Path(tmp), rev)
        # The file under test comes from the working tree; it is not compiled.
        label = build.label
        env = {**os.environ, "PYTHONPATH": str(build.directory)}
        with Namespaces() as nets:
            for pipeline, rate in itertools.product(pipelines, rates):
                count = min(frames, rate * RUN_SECONDS) if rate else frames
                for rep in range(reps):
                    for source in SOURCES if rep % 2 == 0 else SOURCES[::-1]:
                        r = one_run(nets, env, source, pipeline, rate, count)
                        results.append(r)
                        print(
                            f"{pipeline:8} {source:8} offered {rate or 'max':>7} "
                            f"sent {r['rate']:>9,.0f}/s lost {r['lost']:>9,} "
                            f"dropped {r['dropped']} "
                            f"cpu {r['cpu'] / max(r['frames'], 1) * 1e6:5.2f} us/frame",
                            file=sys.stderr,
                        )
    TRAFFIC.unlink()
    (DATA / "live_capture.json").write_text(json.dumps(results, indent=1))
    print(header(began, label, results))
    print(table(results))


def header(began: datetime.datetime, label: str, results: list[dict[str, Any]]) -> str:
    tcpdump = subprocess.run(["tcpdump", "--version"], capture_output=True, text=True).stdout
    engines = sorted({r["engine"] for r in results})
    return "\n".join(
        [
            f"- date: {began:%Y-%m-%d %H:%M} UTC",
            f"- command: `{' '.join(['.venv/bin/python bench/live_capture.py', *sys.argv[1:]])}`",
            f"- interlock: {label}; engine module run: {', '.join(engines)}",
            f"- nproc: {os.cpu_count()}; kernel: {platform.release()}; "
            f"python: {platform.python_version()}",
            f"- {' / '.join(tcpdump.strip().splitlines()[:2])}",
            "",
        ]
    )


def table(results: list[dict[str, Any]]) -> str:
    out = [
        "| pipeline | source | offered frames/s | sent frames/s | frames lost (median) "
        "| lost, run by run | CPU µs/frame (of which tcpdump) | peak RSS MiB |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    groups: dict[tuple[str, int, str], list[dict[str, Any]]] = {}
    for r in results:
        groups.setdefault((r["pipeline"], r["offered"] or 1 << 30, r["source"]), []).append(r)
    order = sorted(groups, key=lambda k: (k[0] != "frames", k[1], k[2]))
    for pipeline, offered, source in order:
        runs = groups[pipeline, offered, source]

        def med(key: str, rs: list[dict[str, Any]] = runs) -> float:
            return statistics.median(float(r[key] or 0) for r in rs)

        def per_frame(key: str, rs: list[dict[str, Any]] = runs) -> float:
            return statistics.median(r[key] / max(r["frames"], 1) * 1e6 for r in rs)

        lost, sent = med("lost"), runs[0]["sent"]
        each = " / ".join(f"{r['lost']:,}" for r in runs)
        helper = f" ({per_frame('helper_cpu'):.2f})" if source == "tcpdump" else ""
        out.append(
            f"| {pipeline} | {source} | {'max' if offered == 1 << 30 else f'{offered:,}'} "
            f"| {med('rate'):,.0f} | {lost:,.0f} of {sent:,} ({lost / sent:.1%}) "
            f"| {each} "
            f"| {per_frame('cpu'):.2f}{helper} | {med('rss_kib') / 1024:.0f} |"
        )
    out.append("")
    for pipeline, source in sorted({(p, s) for p, _, s in groups}):
        clean = [
            o
            for p, o, s in groups
            if (p, s) == (pipeline, source)
            and o != 1 << 30
            and statistics.median(r["lost"] for r in groups[p, o, s]) == 0
        ]
        best = f"{max(clean):,} frames/s" if clean else "none of the paced rates"
        out.append(f"- {pipeline}, {source}: median loss 0 up to {best}")
    return "\n".join(out)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "send":
        iface, pcap, count, rate = sys.argv[2:6]
        print(json.dumps(send(iface, Path(pcap), int(count), int(rate))))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "capture":
        source, iface, count, pipeline = sys.argv[2:6]
        print(json.dumps(capture(source, iface, int(count), pipeline)), flush=True)
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument(
        "--rates", default="2000,50000,100000,150000,200000,0", help="frames/s; 0: unpaced"
    )
    parser.add_argument("--pipelines", default="frames,jsonl")
    parser.add_argument("--rev", default="HEAD", help="commit to build the package from")
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("live_capture: needs root (network namespaces and packet sockets)")
    rates = [int(r) for r in args.rates.split(",")]
    max_frames = MAX_FRAMES
    if args.quick:
        args.reps, rates, max_frames = 1, [2000, 100_000, 0], 500_000
    main_run(rates, args.reps, args.pipelines.split(","), max_frames, args.rev)


if __name__ == "__main__":
    main()

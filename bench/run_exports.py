"""Alert exports: rendering speed per format, and syslog forwarding beside the stdlib's handler.

    PYTHONPATH=src .venv/bin/python bench/run_exports.py [--alerts 20000] [--rounds 5]

1. Render: every format over the same alerts (six shapes: IPv4, IPv6, MAC, no technique,
   awkward text), median of --rounds, beside stdlib ``json.dumps`` of the contract objects.
2. Forward: the alerts as CEF to a TCP and a UDP sink on 127.0.0.1 (a thread that counts
   bytes), rendered and sent through ``SyslogForwarder`` and, rendered the same way, through
   ``logging.handlers.SysLogHandler`` (RFC 3164 header, no buffering, no retry, no connection
   check), in alternation; median messages per second and the ratio.

Prints Markdown. Not part of CI. Numbers depend on the machine: compare ratios.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import json
import logging
import logging.handlers
import socket
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from detect.export.conftest import alert_variants
from interlock.detect.alert import Alert
from interlock.detect.export import FORMATS, SyslogForwarder, render_alert


def sample_alerts(n: int) -> list[Alert]:
    shapes = alert_variants()
    return [dataclasses.replace(shapes[i % len(shapes)], count=i + 1) for i in range(n)]


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


class Sink:
    """A TCP or UDP receiver that only counts bytes."""

    def __init__(self, kind: int) -> None:
        self.kind = kind
        self.sock = socket.socket(socket.AF_INET, kind)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
        self.port = self.sock.getsockname()[1]
        self.bytes = 0
        if kind == socket.SOCK_STREAM:
            self.sock.listen(8)
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        if self.kind == socket.SOCK_DGRAM:
            while True:
                self.bytes += len(self.sock.recv(70_000))
        while True:
            conn, _ = self.sock.accept()
            threading.Thread(target=self._read, args=(conn,), daemon=True).start()

    def _read(self, conn: socket.socket) -> None:
        while data := conn.recv(1 << 16):
            self.bytes += len(data)


def forward_ours(lines_alerts: list[Alert], url: str) -> None:
    with SyslogForwarder(url) as forwarder:
        for alert in lines_alerts:
            forwarder.send_alert(alert, "cef")
    assert forwarder.stats.sent == len(lines_alerts), forwarder.stats


def forward_stdlib(alerts: list[Alert], port: int, kind: int) -> None:
    handler = logging.handlers.SysLogHandler(("127.0.0.1", port), socktype=kind)
    logger = logging.getLogger(f"bench-{kind}-{port}")
    logger.propagate = False
    logger.handlers = [handler]
    for alert in alerts:
        logger.warning(render_alert(alert, "cef"))
    handler.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alerts", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    alerts = sample_alerts(args.alerts)

    print(f"# Alert exports: {args.alerts:,} alerts, median of {args.rounds} rounds\n")
    print("| format | seconds | alerts/s | × stdlib json.dumps(contract) |\n|---|---|---|---|")
    peer = statistics.median(
        timed(lambda: [json.dumps(a.as_contract(), default=str) for a in alerts])
        for _ in range(args.rounds)
    )
    for fmt in FORMATS:
        secs = statistics.median(
            timed(lambda fmt=fmt: [render_alert(a, fmt) for a in alerts])
            for _ in range(args.rounds)
        )
        print(f"| {fmt} | {secs:.3f} | {args.alerts / secs:,.0f} | {secs / peer:.2f} |")
    print(f"| (peer) json.dumps | {peer:.3f} | {args.alerts / peer:,.0f} | 1.00 |")

    print("\n| transport | SyslogForwarder msg/s | SysLogHandler msg/s | ratio (ours / stdlib) |")
    print("|---|---|---|---|")
    for name, kind in (("tcp", socket.SOCK_STREAM), ("udp", socket.SOCK_DGRAM)):
        sink = Sink(kind)
        url = f"{name}://127.0.0.1:{sink.port}"
        ours, theirs = [], []
        for _ in range(args.rounds):
            ours.append(timed(functools.partial(forward_ours, alerts, url)))
            theirs.append(timed(functools.partial(forward_stdlib, alerts, sink.port, kind)))
        a, b = statistics.median(ours), statistics.median(theirs)
        print(f"| {name} | {args.alerts / a:,.0f} | {args.alerts / b:,.0f} | {b / a:.2f} |")


if __name__ == "__main__":
    main()

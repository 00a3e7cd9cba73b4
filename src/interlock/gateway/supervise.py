"""`interlock gateway --supervise`: a small parent that keeps a gateway running.

The supervisor binds the listening socket itself and hands it to each gateway process it
starts (``--listen-fd``). When a gateway dies (a crash, kill -9, the OOM killer), clients
that connect meanwhile wait in the socket's backlog instead of being refused, and a new
gateway takes them after a backoff (0.5 s doubling to 10 s; back to 0.5 s once a gateway
has run for a minute). Connections open at the moment of death are lost with it: their
clients reconnect, as they do after a PLC restart. SIGTERM and SIGINT stop the gateway
and then the supervisor (exit 0); SIGHUP is passed on (policy reload).

Under systemd, ``Restart=always`` does the same job without the socket hand-over; see
docs/gateway.md for both and for a hardware bypass.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from typing import Final

from interlock.gateway.config import Address
from interlock.gateway.server import _listen

BACKOFF_INITIAL: Final = 0.5
BACKOFF_MAX: Final = 10.0
STABLE_AFTER: Final = 60.0


def supervise(listen: Address, argv: list[str]) -> int:
    """Run `interlock <argv>` on an inherited listening socket until told to stop."""
    listener = _listen(listen)
    fd = listener.fileno()
    stopping = False
    child: subprocess.Popen[bytes] | None = None

    def on_stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True
        if child is not None and child.poll() is None:
            child.send_signal(signal.SIGTERM)

    def on_hup(signum: int, frame: object) -> None:
        if child is not None and child.poll() is None:
            child.send_signal(signal.SIGHUP)

    signal.signal(signal.SIGTERM, on_stop)
    signal.signal(signal.SIGINT, on_stop)
    signal.signal(signal.SIGHUP, on_hup)
    backoff = BACKOFF_INITIAL
    command = [sys.executable, "-c", "from interlock.cli.app import main; main()", *argv]
    while not stopping:
        started = time.monotonic()
        child = subprocess.Popen([*command, "--listen-fd", str(fd)], pass_fds=(fd,))
        status = _wait(child)
        if stopping:
            break
        lived = time.monotonic() - started
        if lived >= STABLE_AFTER:
            backoff = BACKOFF_INITIAL
        print(
            f"interlock gateway supervisor: gateway {child.pid} exited with status {status} "
            f"after {lived:.1f} s; restarting in {backoff:g} s",
            file=sys.stderr,
            flush=True,
        )
        deadline = time.monotonic() + backoff
        while not stopping and time.monotonic() < deadline:
            time.sleep(0.05)
        backoff = min(backoff * 2, BACKOFF_MAX)
    if child is not None and child.poll() is None:
        child.send_signal(signal.SIGTERM)
        _wait(child)
    listener.close()
    return 0


def _wait(child: subprocess.Popen[bytes]) -> int:
    while True:
        try:
            return child.wait()
        except InterruptedError:  # pragma: no cover - PEP 475 retries; kept for clarity
            continue

"""systemd's notify protocol (sd_notify(3)), spoken without libsystemd.

Under ``Type=notify`` the gateway says READY=1 once it listens, so units ordered after it
start only then; with ``WatchdogSec=`` it sends WATCHDOG=1 from its watchdog thread, so a
gateway whose threads stop turning is killed and restarted by systemd. Outside systemd
(no ``NOTIFY_SOCKET``) every call does nothing.
"""

from __future__ import annotations

import os
import socket
import time


class Notifier:
    def __init__(self, address: str | None, watchdog_usec: int | None) -> None:
        self._address = address
        self._interval = watchdog_usec / 2e6 if watchdog_usec else None
        self._last = 0.0

    @classmethod
    def from_environment(cls) -> Notifier:
        address = os.environ.get("NOTIFY_SOCKET") or None
        usec = os.environ.get("WATCHDOG_USEC", "")
        pid = os.environ.get("WATCHDOG_PID", "")
        watchdog = int(usec) if usec.isdigit() and (not pid or pid == str(os.getpid())) else None
        return cls(address, watchdog)

    def ready(self, status: str) -> None:
        self._send(f"READY=1\nSTATUS={status}\nMAINPID={os.getpid()}")

    def stopping(self) -> None:
        self._send("STOPPING=1")

    def watchdog(self) -> None:
        if self._interval is None:
            return
        now = time.monotonic()
        if now - self._last >= self._interval:
            self._last = now
            self._send("WATCHDOG=1")

    def _send(self, message: str) -> None:
        if not self._address:
            return
        target = "\0" + self._address[1:] if self._address.startswith("@") else self._address
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
                sock.sendto(message.encode(), target)
        except OSError:
            pass  # systemd gone or not listening: nothing the gateway can do about it

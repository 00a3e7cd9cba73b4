"""One client's connection to the upstream device, with reconnection and backoff.

Each client connection gets its own upstream connection, as it would without the gateway:
transaction ids pass unchanged and the device sees as many connections as before. When the
device goes away, the link reconnects with exponential backoff (``backoff_initial``
doubling to ``backoff_max``), reset only once the device has answered on a new connection:
a device that accepts and drops at once is not hammered, and a PLC's small connection
table is not flooded by a gateway in a hurry.

Connecting never blocks the session's thread: ``begin`` starts a non-blocking connect and
the session polls the socket until ``finish`` says how it went, answering its client
meanwhile.
"""

from __future__ import annotations

import contextlib
import errno
import os
import socket
import threading
import time
from typing import Literal

from interlock.gateway.config import Address

LinkState = Literal["connecting", "up", "down", "closed"]


class UpstreamLink:
    def __init__(
        self, address: Address, connect_timeout: float, backoff_initial: float, backoff_max: float
    ) -> None:
        self.address = address
        self.connect_timeout = connect_timeout
        self.backoff_initial = backoff_initial
        self.backoff_max = backoff_max
        self.backoff = backoff_initial
        self.state: LinkState = "down"
        self.sock: socket.socket | None = None
        self.write_lock = threading.Lock()
        self.last_error = ""
        self.next_attempt = 0.0
        """Monotonic time of the next connection attempt while down."""
        self.deadline = 0.0
        """Monotonic time by which a connect in progress must have finished."""
        self.answered = False
        """The device has answered on the current connection (backoff resets)."""

    @property
    def closed(self) -> bool:
        return self.state == "closed"

    @property
    def is_up(self) -> bool:
        return self.state == "up"

    def begin(self) -> socket.socket | None:
        """Start connecting; the socket to poll for writability, or None (failed at once)."""
        try:
            infos = socket.getaddrinfo(
                self.address.host, self.address.port, type=socket.SOCK_STREAM
            )
            family, kind, proto, _, target = infos[0]
            sock = socket.socket(family, kind, proto)
        except OSError as exc:
            self._failed(exc.strerror or str(exc))
            return None
        sock.setblocking(False)
        code = sock.connect_ex(target)
        if code not in (0, errno.EINPROGRESS):
            sock.close()
            self._failed(os.strerror(code))
            return None
        with self.write_lock:
            if self.closed:
                sock.close()
                return None
            self.sock = sock
            self.state = "connecting"
        self.deadline = time.monotonic() + self.connect_timeout
        return sock

    def finish(self) -> bool:
        """The connect in progress has an outcome (the socket polled writable or timed out)."""
        sock = self.sock
        if sock is None:
            return False
        code = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        if code:
            self.drop()
            self._failed(os.strerror(code))
            return False
        sock.setblocking(True)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.write_lock:
            if self.closed:
                return False
            self.state = "up"
        self.answered = False
        return True

    def timed_out(self) -> None:
        self.drop()
        self._failed("connection attempt timed out")

    def send(self, data: bytes) -> None:
        """Write a whole frame upstream; OSError when the link is not up or breaks."""
        with self.write_lock:
            sock = self.sock
            if sock is None or self.state != "up":
                raise ConnectionError("the upstream link is down")
            sock.sendall(data)

    def lost(self, reason: str) -> None:
        """The connection broke: release it and schedule the next attempt."""
        self.drop()
        if self.answered:
            self.backoff = self.backoff_initial
        self._failed(reason)

    def drop(self) -> None:
        """Release the socket. Only the session's own thread calls this, so no thread is
        inside a call on it when its descriptor goes."""
        with self.write_lock:
            sock, self.sock = self.sock, None
            if self.state != "closed":
                self.state = "down"
        if sock is not None:
            _shutdown(sock)
            sock.close()

    def close(self) -> None:
        """Stop for good: wake the session's thread, which then releases the socket."""
        with self.write_lock:
            self.state = "closed"
            sock = self.sock
        if sock is not None:
            _shutdown(sock)

    def _failed(self, reason: str) -> None:
        self.last_error = reason
        if self.state != "closed":
            self.state = "down"
        self.next_attempt = time.monotonic() + self.backoff
        self.backoff = min(self.backoff * 2, self.backoff_max)


def _shutdown(sock: socket.socket) -> None:
    """Wake any thread blocked on the socket (an orderly FIN, never a reset)."""
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)

"""One client's connection to the upstream device, with reconnection and backoff.

Each client connection gets its own upstream connection, as it would without the gateway:
transaction ids pass unchanged and the device sees as many connections as before. When the
device goes away, the link reconnects with exponential backoff (``backoff_initial``
doubling to ``backoff_max``), reset only once the device has answered on a new connection:
a device that accepts and drops at once is not hammered, and a PLC's small connection
table is not flooded by a gateway in a hurry.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from typing import Literal

from interlock.gateway.config import Address

LinkState = Literal["connecting", "up", "down", "closed"]


class UpstreamLink:
    def __init__(self, address: Address, connect_timeout: float) -> None:
        self.address = address
        self.connect_timeout = connect_timeout
        self.state: LinkState = "connecting"
        self.sock: socket.socket | None = None
        self.settled = threading.Event()
        """Set once the first connection attempt has succeeded or failed."""
        self.write_lock = threading.Lock()
        self.last_error = ""

    @property
    def closed(self) -> bool:
        return self.state == "closed"

    @property
    def is_up(self) -> bool:
        return self.state == "up"

    def connect(self) -> socket.socket | None:
        """One attempt; the connected socket, or None with last_error set."""
        with self.write_lock:
            if self.state == "closed":
                return None
            self.state = "connecting"
        try:
            sock = socket.create_connection(
                (self.address.host, self.address.port), timeout=self.connect_timeout
            )
        except OSError as exc:
            self.last_error = exc.strerror or str(exc)
            self.state = "down"
            self.settled.set()
            return None
        sock.settimeout(None)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.write_lock:
            if self.closed:
                sock.close()
                return None
            self.sock = sock
            self.state = "up"
        self.settled.set()
        return sock

    def send(self, data: bytes) -> None:
        """Write a whole frame upstream; OSError when the link is not up or breaks."""
        with self.write_lock:
            sock = self.sock
            if sock is None or self.state != "up":
                raise ConnectionError("the upstream link is down")
            sock.sendall(data)

    def lost(self) -> None:
        """The connection broke or is done with. Called only by the thread that reads the
        socket, so no thread is inside a call on it when its descriptor is released."""
        with self.write_lock:
            sock, self.sock = self.sock, None
            if self.state != "closed":
                self.state = "down"
        if sock is not None:
            _shutdown(sock)
            sock.close()

    def close(self) -> None:
        """Stop for good: wake the reading thread, which then releases the socket."""
        with self.write_lock:
            self.state = "closed"
            sock = self.sock
        self.settled.set()
        if sock is not None:
            _shutdown(sock)


def _shutdown(sock: socket.socket) -> None:
    """Wake any thread blocked on the socket (an orderly FIN, never a reset)."""
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)

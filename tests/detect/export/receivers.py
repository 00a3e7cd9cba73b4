"""Real syslog collectors on 127.0.0.1 for the tests: UDP, TCP (RFC 6587 octet counting) and
TLS (RFC 5425), each in a daemon thread the test stops. Waits are generous deadlines for a
failure message, never thresholds."""

from __future__ import annotations

import contextlib
import socket
import ssl
import struct
import threading
from collections.abc import Iterator

from .parsers import SyslogMessage, octet_frames, parse_rfc5424

WAIT = 20.0
POLL = 0.05
"""How often receiver threads look at their stop flag (they own their sockets)."""


def free_port(kind: int = socket.SOCK_STREAM) -> int:
    """A port nothing listens on right now (for 'collector not up yet' tests)."""
    with socket.socket(socket.AF_INET, kind) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Collected:
    def __init__(self) -> None:
        self.raw: list[bytes] = []
        self._changed = threading.Condition()

    def add(self, frame: bytes) -> None:
        with self._changed:
            self.raw.append(frame)
            self._changed.notify_all()

    def wait_for(self, count: int, timeout: float = WAIT) -> list[SyslogMessage]:
        with self._changed:
            arrived = self._changed.wait_for(lambda: len(self.raw) >= count, timeout)
        assert arrived, f"collector got {len(self.raw)} of {count} messages"
        return self.messages()

    def messages(self) -> list[SyslogMessage]:
        with self._changed:
            return [parse_rfc5424(frame) for frame in self.raw]


class UdpCollector(Collected):
    def __init__(self, port: int = 0) -> None:
        super().__init__()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", port))
        self.sock.settimeout(POLL)
        self.port = int(self.sock.getsockname()[1])
        self.url = f"udp://127.0.0.1:{self.port}"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.add(self.sock.recv(70_000))
            except TimeoutError:
                continue

    def close(self) -> None:
        self._stop.set()
        self._thread.join(WAIT)
        self.sock.close()


class TcpCollector(Collected):
    """Octet-counted frames from any number of connections; can reset them or go away and
    come back on the same port."""

    def __init__(self, port: int = 0, tls: ssl.SSLContext | None = None) -> None:
        super().__init__()
        self.tls = tls
        self.port = port
        self.connections = 0
        self._open: list[tuple[threading.Thread, threading.Event]] = []
        self._lock = threading.Lock()
        self.start()
        scheme = "tcp+tls" if tls else "tcp"
        self.url = f"{scheme}://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.port = int(self.listener.getsockname()[1])
        self.listener.listen(8)
        self.listener.settimeout(POLL)
        self._stop_listening = threading.Event()
        self._acceptor = threading.Thread(target=self._accept, daemon=True)
        self._acceptor.start()

    def _accept(self) -> None:
        while not self._stop_listening.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            if self.tls is not None:
                conn.settimeout(WAIT)
                try:
                    conn = self.tls.wrap_socket(conn, server_side=True)
                except OSError:
                    conn.close()
                    continue
            conn.settimeout(POLL)
            reset = threading.Event()
            reader = threading.Thread(target=self._read, args=(conn, reset), daemon=True)
            with self._lock:
                self.connections += 1
                self._open.append((reader, reset))
            reader.start()
        self.listener.close()

    def _read(self, conn: socket.socket, reset: threading.Event) -> None:
        pending = b""
        try:
            while not reset.is_set():
                try:
                    data = conn.recv(65_536)
                except TimeoutError:
                    continue
                if not data:
                    return
                frames, pending = octet_frames(pending + data)
                for frame in frames:
                    self.add(frame)
        except OSError:
            return
        finally:
            if reset.is_set():  # abort: RST instead of FIN, unread bytes are discarded
                with contextlib.suppress(OSError):
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            conn.close()

    def reset_connections(self) -> None:
        """Abort every open connection with a TCP RST (SO_LINGER 0); keep listening."""
        with self._lock:
            open_now, self._open = self._open, []
        for reader, reset in open_now:
            reset.set()
            reader.join(WAIT)

    def stop(self) -> None:
        """Go away: stop listening (connection attempts are refused) and reset connections."""
        self._stop_listening.set()
        self._acceptor.join(WAIT)
        self.reset_connections()


@contextlib.contextmanager
def udp_collector(port: int = 0) -> Iterator[UdpCollector]:
    collector = UdpCollector(port)
    try:
        yield collector
    finally:
        collector.close()


@contextlib.contextmanager
def tcp_collector(port: int = 0, tls: ssl.SSLContext | None = None) -> Iterator[TcpCollector]:
    collector = TcpCollector(port, tls)
    try:
        yield collector
    finally:
        collector.stop()

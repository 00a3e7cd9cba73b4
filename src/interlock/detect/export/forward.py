"""Stream alerts to a syslog collector, buffering and retrying while it is unreachable.

No background thread: every ``send_alert``/``poll`` delivers what it can right away, or, while
the collector is down, only queues (one connection attempt per backoff step: 0.5 s doubling to
30 s); ``flush``/``close`` keep retrying until their deadline. The queue is bounded: when it is
full the oldest message is dropped and counted. Nothing is lost silently: ``stats`` says what
was sent, what is still buffered, what was dropped, truncated or refused.

TCP (RFC 6587 octet counting) and TLS (RFC 5425): before each message the connection is
checked; a collector that closed or reset it since the last write is reconnected to and the
message goes on the new connection, so buffered messages survive collector restarts. Plain
syslog has no acknowledgement: bytes the kernel accepted in the instant a connection broke
can still be lost (RELP exists for that; it is not implemented here).

UDP (RFC 5426): one message per datagram, cut to ``max`` octets at a character boundary
(counted in ``truncated``). A collector host that answers "port unreachable" is seen at once
on the same host, else on the next datagram: the refused message stays queued in the first
case; in the second it was already handed over and is counted in ``refused``.
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import time
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any, Final

from interlock import __version__
from interlock.detect.alert import Alert
from interlock.detect.export.render import check_format, render_alert
from interlock.detect.export.syslog import (
    SYSLOG_SEVERITY,
    SdElement,
    fit_datagram,
    format_message,
    octet_counted,
)
from interlock.detect.export.target import SyslogTarget, parse_syslog_url
from interlock.errors import UsageError

MSGID: Final[dict[str, str]] = {"json": "ALERT", "ocsf": "OCSF", "cef": "CEF", "ecs": "ECS"}
MAX_SEQUENCE: Final = 2_147_483_647  # RFC 5424 7.3.1: meta sequenceId wraps to 1


@dataclass(slots=True)
class ForwardStats:
    url: str
    queued: int = 0
    """Messages handed to the forwarder."""
    sent: int = 0
    """Written to the collector's socket."""
    buffered: int = 0
    """Waiting in memory (after ``close``: never delivered)."""
    dropped: int = 0
    """Pushed out of the full buffer, oldest first."""
    retries: int = 0
    """Failed delivery attempts, each followed by a backoff."""
    reconnects: int = 0
    """TCP/TLS connections found closed by the collector and opened again."""
    truncated: int = 0
    """UDP datagrams cut to the size limit."""
    refused: int = 0
    """UDP datagrams the collector's host refused after they left: probably lost."""
    last_error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def problem(self) -> str | None:
        """One line for the user when anything was not delivered intact, else None."""
        parts = []
        if self.buffered:
            parts.append(f"{self.buffered} of {self.queued} alerts not delivered")
        if self.dropped:
            parts.append(f"{self.dropped} dropped from the full buffer")
        if self.refused:
            parts.append(f"{self.refused} refused by the collector's host")
        if self.truncated:
            parts.append(f"{self.truncated} truncated to fit a datagram")
        if not parts:
            return None
        cause = f" (last error: {self.last_error})" if self.last_error else ""
        return f"syslog {self.url}: " + "; ".join(parts) + cause


class SyslogForwarder:
    def __init__(
        self,
        url: str,
        *,
        buffer_size: int | None = None,
        facility: int | None = None,
        hostname: str | None = None,
        connect_timeout: float = 3.0,
        backoff_initial: float = 0.5,
        backoff_max: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.target: SyslogTarget = parse_syslog_url(url)
        if buffer_size is not None and buffer_size < 1:
            raise UsageError(f"syslog buffer size {buffer_size} must be at least 1")
        self._limit = buffer_size or self.target.buffer
        self._facility = self.target.facility if facility is None else facility
        self._hostname = hostname or socket.gethostname()
        self._procid = str(os.getpid())
        self._timeout = connect_timeout
        self._backoff_initial = backoff_initial
        self._backoff_max = backoff_max
        self._backoff = backoff_initial
        self._clock = clock
        self._sleep = sleep
        self._queue: deque[bytes] = deque()
        self._sock: socket.socket | None = None
        self._next_attempt = clock()
        self._sequence = 0
        self._closed = False
        self.stats = ForwardStats(url=self.target.url)

    def __enter__(self) -> SyslogForwarder:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- queueing -----------------------------------------------------------------------

    def send_alert(self, alert: Alert, fmt: str = "cef") -> None:
        checked = check_format(fmt)
        self._sequence = self._sequence % MAX_SEQUENCE + 1
        message = format_message(
            render_alert(alert, checked),
            severity=SYSLOG_SEVERITY[alert.severity],
            facility=self._facility,
            timestamp=alert.first_seen,
            hostname=self._hostname,
            procid=self._procid,
            msgid=MSGID[checked],
            sd=(
                SdElement("origin", (("software", "Interlock"), ("swVersion", __version__))),
                SdElement("meta", (("sequenceId", str(self._sequence)),)),
            ),
        )
        self.send(message)

    def send(self, message: bytes) -> None:
        """Queue one formatted RFC 5424 message (unframed) and deliver what is due."""
        if self._closed:
            raise UsageError(f"syslog forwarder for {self.target.url} is closed")
        if len(self._queue) >= self._limit:
            self._queue.popleft()
            self.stats.dropped += 1
        self._queue.append(message)
        self.stats.queued += 1
        self.poll()

    def poll(self) -> None:
        """Deliver queued messages if the collector is not in a backoff pause."""
        if self._queue and self._clock() >= self._next_attempt:
            self._pump()
        self.stats.buffered = len(self._queue)

    def flush(self, timeout: float) -> bool:
        """Retry until the queue is empty or ``timeout`` seconds passed; True when empty."""
        deadline = self._clock() + timeout
        while self._queue:
            now = self._clock()
            if now >= self._next_attempt:
                self._pump()
                continue
            if self._next_attempt > deadline:  # no attempt left before the deadline
                break
            self._sleep(self._next_attempt - now)
        self.stats.buffered = len(self._queue)
        return not self._queue

    def close(self, timeout: float = 5.0) -> ForwardStats:
        """Flush with a deadline, then let go of the connection. What is left is reported in
        ``stats.buffered`` (it is lost with the process)."""
        if not self._closed:
            self.flush(timeout)
            self._disconnect()
            self._closed = True
        return self.stats

    # -- delivery -----------------------------------------------------------------------

    def _pump(self) -> None:
        while self._queue:
            try:
                self._write(self._connected(), self._queue[0])
            except OSError as exc:
                self._failed(exc)
                break
            self._queue.popleft()
            self.stats.sent += 1
            self._backoff = self._backoff_initial
        self.stats.buffered = len(self._queue)

    def _failed(self, exc: OSError) -> None:
        self._disconnect()
        self.stats.retries += 1
        self.stats.last_error = _describe(exc)
        self._next_attempt = self._clock() + self._backoff
        self._backoff = min(self._backoff * 2, self._backoff_max)

    def _connected(self) -> socket.socket:
        if self._sock is None:
            self._sock = self._connect()
        return self._sock

    def _connect(self) -> socket.socket:
        target = self.target
        if target.transport == "udp":
            family, kind, proto, _, address = socket.getaddrinfo(
                target.host, target.port, type=socket.SOCK_DGRAM
            )[0]
            sock = socket.socket(family, kind, proto)
            try:
                sock.connect(address)  # connected: ICMP "port unreachable" becomes an error
            except OSError:
                sock.close()
                raise
            return sock
        sock = socket.create_connection((target.host, target.port), timeout=self._timeout)
        if target.transport == "tls":
            import ssl

            context = ssl.create_default_context(cafile=target.ca_file)
            try:
                sock = context.wrap_socket(sock, server_hostname=target.host)
            except OSError:
                sock.close()
                raise
        return sock

    def _disconnect(self) -> None:
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.close()
            self._sock = None

    def _write(self, sock: socket.socket, message: bytes) -> None:
        if self.target.transport == "udp":
            self._write_datagram(sock, message)
            return
        if _peer_closed(sock):  # collector restarted or dropped an idle connection
            self._disconnect()
            self.stats.reconnects += 1
            sock = self._connected()
        sock.sendall(octet_counted(message))

    def _write_datagram(self, sock: socket.socket, message: bytes) -> None:
        late = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        if late:  # an earlier datagram was refused: it is gone, this one waits
            self.stats.refused += 1
            raise OSError(late, os.strerror(late))
        data, cut = fit_datagram(message, self.target.max_datagram)
        sock.send(data)
        now = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        if now:  # refused at once (collector host is this host): keep it queued
            raise OSError(now, os.strerror(now))
        if cut:
            self.stats.truncated += 1


def _peer_closed(sock: socket.socket) -> bool:
    """Whether a stream socket's peer has closed or reset it. A syslog collector never
    speaks, so a readable socket means end of stream (or a TLS record we can ignore)."""
    readable, _, _ = select.select([sock], [], [], 0)
    if not readable:
        return False
    timeout = sock.gettimeout()
    try:
        sock.setblocking(False)
        return sock.recv(4096) == b""
    except BlockingIOError:
        return False
    except OSError as exc:
        return not _tls_wants_more(exc)
    finally:
        sock.settimeout(timeout)


def _tls_wants_more(exc: OSError) -> bool:
    """A TLS socket readable only for a handshake/ticket record: no application data, alive."""
    import ssl

    return isinstance(exc, ssl.SSLWantReadError | ssl.SSLWantWriteError)


def _describe(exc: OSError) -> str:
    if isinstance(exc, socket.gaierror):
        return f"cannot resolve the collector's host ({exc.strerror})"
    if isinstance(exc, TimeoutError):
        return "timed out"
    return exc.strerror or str(exc) or type(exc).__name__

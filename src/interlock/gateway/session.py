"""One client connection through the gateway: two threads, one per direction.

The client thread cuts requests from the client's stream, asks for a ruling, writes the
audit record, then forwards or answers; the upstream thread relays responses, measures
the latency the gateway added to each transaction and lets the decision core observe
them. Threads block in ``recv`` and hold no lock while they wait, so a client that sends
half a header and stops, or sends garbage, only ever occupies its own threads.

Why threads: measured on this project's machines (bench/run_gateway.py), a blocking relay
adds about the latency of socat and as little as asyncio's best, and a decision core that
hangs stalls only its own connection while the watchdog answers for it.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from interlock.gateway.adapter import InboundRequest
from interlock.gateway.decider import Ruling
from interlock.gateway.histogram import LatencyHistogram
from interlock.gateway.upstream import UpstreamLink

if TYPE_CHECKING:
    from interlock.gateway.policy_state import ActivePolicy
    from interlock.gateway.server import Gateway

_RECV = 65536
_perf_ns = time.perf_counter_ns


@dataclass(slots=True)
class Pending:
    request: InboundRequest
    received_ns: int
    """When the request's bytes came out of recv."""
    ready_ns: int = 0
    """Just before it was written upstream (ruling and audit done)."""
    sent_ns: int = 0
    """Just after it was written upstream; 0 while the write is still going."""


@dataclass(slots=True)
class InFlight:
    """A request whose ruling is being decided, so the watchdog can answer for it."""

    request: InboundRequest
    received_ns: int
    started_ns: int
    policy: ActivePolicy


class ClientSession:
    def __init__(self, gateway: Gateway, sock: socket.socket, peer: tuple[str, int]) -> None:
        self.gateway = gateway
        self.sock = sock
        self.client_ip = peer[0]
        self.client = f"{peer[0]}:{peer[1]}"
        config = gateway.config
        self.link = UpstreamLink(config.upstream, config.connect_timeout)
        self.added = LatencyHistogram()
        """Latency added per forwarded transaction (written by the upstream thread only)."""
        self.decision = LatencyHistogram()
        self.refusal = LatencyHistogram()
        """From the request's arrival to the refusal sent (client thread only)."""
        self.partial_since = 0.0
        """Monotonic time since which an incomplete frame has waited; 0 when none."""
        self.closed = threading.Event()
        self._client_lock = threading.Lock()
        self._pending: dict[int, list[Pending]] = {}
        self._pending_count = 0
        self._pending_lock = threading.Lock()
        self._inflight: InFlight | None = None
        self._claim_lock = threading.Lock()
        self._running = 2
        self._threads = (
            threading.Thread(target=self._run_client, name=f"client {self.client}", daemon=True),
            threading.Thread(
                target=self._run_upstream, name=f"upstream {self.client}", daemon=True
            ),
        )

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def close(self) -> None:
        if self.closed.is_set():
            return
        self.closed.set()
        self.link.close()
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)

    def join(self, timeout: float) -> None:
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join(timeout)

    # -- client to upstream ---------------------------------------------------------------

    def _run_client(self) -> None:
        adapter = self.gateway.adapter
        buf = bytearray()
        try:
            self.link.settled.wait(self.gateway.config.connect_timeout + 1)
            while not self.closed.is_set():
                data = self.sock.recv(_RECV)
                if not data:
                    break
                received = _perf_ns()
                buf += data
                cut = adapter.cut(buf)
                if cut.consumed:
                    del buf[: cut.consumed]
                for code in cut.dropped:
                    self.gateway.anomaly(self, code, "dropped")
                for frame in cut.frames:
                    self._handle(frame, received)
                if cut.fatal:
                    self.gateway.anomaly(self, cut.fatal, "closed")
                    break
                self.partial_since = time.monotonic() if buf else 0.0
        except OSError:
            pass
        finally:
            self.close()
            self._thread_done()

    def _thread_done(self) -> None:
        """The last of the two threads releases the client socket: no thread can be inside
        a call on it then, so its descriptor cannot be reused under one."""
        with self._claim_lock:
            self._running -= 1
            last = self._running == 0
        if last:
            self.sock.close()
            self.gateway.session_ended(self)

    def _handle(self, frame: bytes, received: int) -> None:
        gateway = self.gateway
        try:
            request = gateway.adapter.request(frame, self.client_ip, time.time())
        except Exception:  # an adapter bug: drop this frame, keep the connection
            gateway.anomaly(self, "gateway.adapter_error", "dropped")
            return
        policy = gateway.policy.active
        started = _perf_ns()
        self._inflight = InFlight(request, received, started, policy)
        ruling = gateway.decider.rule(policy, request)
        if self._claim(None) is None:
            return  # the watchdog answered while the core was busy
        self.decision.record(_perf_ns() - started)
        self.apply(request, ruling, received, policy)

    def _claim(self, expected: InFlight | None) -> InFlight | None:
        """Take the request being decided, once: the client thread or the watchdog."""
        with self._claim_lock:
            current = self._inflight
            if current is None or (expected is not None and current is not expected):
                return None
            self._inflight = None
            return current

    def overdue(self, now_ns: int, budget_ns: int) -> InFlight | None:
        """The request being decided, claimed for the watchdog, if it is over budget."""
        current = self._inflight
        if current is None or now_ns - current.started_ns <= budget_ns:
            return None
        return self._claim(current)

    def apply(
        self, request: InboundRequest, ruling: Ruling, received: int, policy: ActivePolicy
    ) -> None:
        """Audit the ruling, then forward the request or answer it."""
        adapter = self.gateway.adapter
        if not ruling.forward:
            action = "refused"
        elif self.link.is_up:
            action = "forwarded"
        else:
            action = "unavailable"
        self.gateway.record_decision(self, request, ruling, action, policy)
        if action == "forwarded" and self._forward(request, received):
            return
        if action == "refused":
            self.send_client(adapter.refusal(request, ruling.exception_code))
            self.refusal.record(_perf_ns() - received)
        else:
            self.send_client(adapter.unavailable(request))

    def _forward(self, request: InboundRequest, received: int) -> bool:
        entry = Pending(request, received)
        self._add_pending(entry)
        entry.ready_ns = _perf_ns()
        try:
            self.link.send(request.frame)
        except OSError:
            self._take_pending(request.key, entry)
            self.gateway.upstream_event(self, "upstream_write_failed", self.link.last_error)
            return False
        entry.sent_ns = _perf_ns()
        return True

    def send_client(self, data: bytes) -> None:
        with self._client_lock:
            try:  # noqa: SIM105 - the hot path; suppress() costs a context manager
                self.sock.sendall(data)
            except OSError:
                pass  # the client went away; its thread notices on recv

    # -- pending requests -----------------------------------------------------------------

    def _add_pending(self, entry: Pending) -> None:
        limit = self.gateway.config.max_pending
        with self._pending_lock:
            if self._pending_count >= limit:
                oldest = next(iter(self._pending))
                queue = self._pending[oldest]
                queue.pop(0)
                if not queue:
                    del self._pending[oldest]
                self._pending_count -= 1
                self.gateway.counters.event("requests_unanswered")
            self._pending.setdefault(entry.request.key, []).append(entry)
            self._pending_count += 1

    def _take_pending(self, key: int, entry: Pending | None = None) -> Pending | None:
        with self._pending_lock:
            queue = self._pending.get(key)
            if not queue:
                return None
            if entry is None:
                found = queue.pop(0)
            elif entry in queue:
                queue.remove(entry)
                found = entry
            else:
                return None
            if not queue:
                del self._pending[key]
            self._pending_count -= 1
            return found

    def _drain_pending(self) -> list[Pending]:
        with self._pending_lock:
            entries = [entry for queue in self._pending.values() for entry in queue]
            self._pending.clear()
            self._pending_count = 0
        return entries

    # -- upstream to client -----------------------------------------------------------------

    def _run_upstream(self) -> None:
        config = self.gateway.config
        backoff = config.backoff_initial
        down_reported = False
        try:
            while not self.closed.is_set():
                sock = self.link.connect()
                if sock is None:
                    self.gateway.counters.event("upstream_connect_failures")
                    if not down_reported:
                        self.gateway.upstream_event(
                            self, "upstream_unreachable", self.link.last_error
                        )
                        down_reported = True
                else:
                    self.gateway.upstream_event(self, "upstream_connected", "")
                    down_reported = False
                    answered = self._relay_responses(sock)
                    self.link.lost()
                    for entry in self._drain_pending():
                        self.send_client(self.gateway.adapter.no_answer(entry.request))
                    if self.closed.is_set():
                        break
                    self.gateway.upstream_event(self, "upstream_lost", self.link.last_error)
                    down_reported = True
                    if answered:
                        backoff = config.backoff_initial
                if self.closed.wait(backoff):
                    break
                backoff = min(backoff * 2, config.backoff_max)
        finally:
            self.link.lost()
            self._thread_done()

    def _relay_responses(self, sock: socket.socket) -> bool:
        adapter = self.gateway.adapter
        buf = bytearray()
        answered = False
        while True:
            try:
                data = sock.recv(_RECV)
            except OSError as exc:
                self.link.last_error = exc.strerror or str(exc)
                return answered
            if not data:
                self.link.last_error = "the upstream closed the connection"
                return answered
            received = _perf_ns()
            buf += data
            cut = adapter.cut(buf)
            if cut.consumed:
                del buf[: cut.consumed]
            for code in cut.dropped:
                self.gateway.anomaly(self, code, "dropped upstream")
            for frame in cut.frames:
                entry = self._take_pending(adapter.response_key(frame))
                self.send_client(frame)
                if entry is None:
                    self.gateway.counters.event("responses_unmatched")
                    continue
                answered = True
                sent = entry.sent_ns or entry.ready_ns
                self.added.record(sent - entry.received_ns + _perf_ns() - received)
                self.gateway.observe(entry.request, frame)
            if cut.fatal:
                self.gateway.anomaly(self, cut.fatal, "upstream reset")
                self.link.last_error = f"malformed upstream stream ({cut.fatal})"
                return answered

"""One client connection through the gateway, served by one thread.

The thread polls both sockets. From the client it cuts requests, asks for a ruling, writes
the audit record, then forwards or answers; from the upstream it relays responses,
measures the latency the gateway added to each transaction and lets the decision core
observe them. It blocks only in ``poll`` and in writes, holding no lock while it waits,
so a client that sends half a header and stops, or sends garbage, occupies its own thread
and nothing else.

Why one thread per connection: measured (bench/run_gateway.py), a blocking relay costs
about what asyncio's fastest API costs, a decision core that hangs stalls only its own
connection while the watchdog answers for it, and with both directions in one thread a
transaction never waits for the interpreter lock to pass between two threads (two
threads per connection doubled the latency the gateway added).
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from interlock.gateway.adapter import Cut, InboundRequest
from interlock.gateway.audit import RecordTemplate
from interlock.gateway.decider import Ruling
from interlock.gateway.histogram import LatencyHistogram
from interlock.gateway.pending import Pending, PendingTable
from interlock.gateway.policy_state import ERROR_CODE, ActivePolicy, Known
from interlock.gateway.upstream import UpstreamLink

if TYPE_CHECKING:
    from interlock.gateway.server import Gateway

_RECV = 65536
_perf_ns = time.perf_counter_ns
SPIN_WINDOW_START_NS = 10_000
"""The first spin window after a wait short enough to be caught spinning."""


def fitted_spin_window(window_ns: int, waited_ns: int, most_ns: int) -> int:
    """The next spin window after a wait that the spin (of window_ns, perhaps none) missed,
    learnt as Linux's halt polling learns it: a wait longer than most_ns (config.busy_poll)
    halves the window, so an HMI polling every 100 ms soon costs no spinning at all; a
    shorter one doubles it, so a client in a hurry is soon caught spinning."""
    if waited_ns > most_ns:
        half = window_ns // 2
        return half if half >= SPIN_WINDOW_START_NS else 0
    if waited_ns > window_ns:
        return min(most_ns, max(SPIN_WINDOW_START_NS, window_ns * 2))
    return window_ns


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
        self.link = UpstreamLink(
            config.upstream, config.connect_timeout, config.backoff_initial, config.backoff_max
        )
        self.added = LatencyHistogram()
        """Latency added per forwarded transaction (written by the session's thread only)."""
        self.decision = LatencyHistogram()
        self.refusal = LatencyHistogram()
        """From the request's arrival to the refusal sent."""
        self.requests: dict[tuple[str, str], int] = {}
        """(verdict, action) -> requests, counted by this session's thread (no lock)."""
        self.records: dict[
            tuple[bytes, str], tuple[Known, RecordTemplate | None, dict[str, Any]]
        ] = {}
        """(request shape, action) -> the audit record of a remembered ruling, as a template
        and as a record, all but the per-request fields (written by the session's thread
        only; bounded by the server)."""
        self.answers: dict[bytes, tuple[Any, int, bytes]] = {}
        """Request shape -> the core, its version and the answer's shape when the last
        answer to that shape was observed (the decider's, under its lock; bounded there)."""
        self.spins = 0
        """Busy polls (config.busy_poll), and those that caught an event before sleeping
        (written by the session's thread only)."""
        self.spins_caught = 0
        self.spin_windows = [0, 0]
        """How long the next busy poll may last, in ns, awaiting the client's next request
        and awaiting an answer: the client's pace and the PLC's answer time differ
        (``fitted_spin_window``)."""
        self.partial_since = 0.0
        """Monotonic time since which an incomplete frame has waited; 0 when none."""
        self.closed = False
        """Set once, by close() or the thread's end (a plain flag: the thread reads it on
        every turn of its loop, where an Event's is_set() is a Python call)."""
        self._client_lock = threading.Lock()
        self._pending = PendingTable(gateway.config.max_pending)
        self._inflight: InFlight | None = None
        self._claim_lock = threading.Lock()
        self._client_buf = bytearray()
        self._upstream_buf = bytearray()
        self._reported_down = False
        self._rescuer: threading.Thread | None = None
        self._rescue_done = threading.Event()
        self._worker = threading.Thread(target=self._run, name=f"client {self.client}", daemon=True)

    def start(self) -> None:
        self._worker.start()

    def close(self) -> None:
        """Ask the thread to finish: it releases both sockets itself."""
        if self.closed:
            return
        self.closed = True
        self.link.close()
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)

    def join(self, timeout: float) -> None:
        if self._worker is not threading.current_thread():
            self._worker.join(timeout)

    # -- the thread ---------------------------------------------------------------------------

    def _run(self) -> None:
        poller = select.poll()
        busy_ns = int(self.gateway.config.busy_poll * 1e9)
        client_fd = self.sock.fileno()
        upstream_fd = -1
        listening_to_client = False
        first_attempt = True
        try:
            while not self.closed:
                link = self.link
                timeout = -1  # the usual turn (link up, client heard): no clock to read
                if not listening_to_client or link.state != "up":
                    now = time.monotonic()
                    if link.state == "down" and now >= link.next_attempt:
                        sock = link.begin()
                        if sock is not None:
                            upstream_fd = sock.fileno()
                            poller.register(upstream_fd, select.POLLOUT)
                        else:
                            self._unreachable(first_attempt)
                            first_attempt = False
                    if not listening_to_client and (
                        not first_attempt or link.state != "connecting"
                    ):
                        # The first connect settles before the first request is read: a
                        # client that speaks at once is forwarded, not told the path is
                        # unavailable.
                        poller.register(client_fd, select.POLLIN)
                        listening_to_client = True
                    timeout = self._poll_timeout(now)
                if busy_ns and timeout < 0:
                    ready = self._poll_busily(poller, busy_ns)
                else:
                    ready = poller.poll(timeout)
                for fd, _events in ready:
                    if busy_ns and self.gateway.last_worker is not self:
                        self.gateway.shared(self, busy_ns)
                    if fd == client_fd:
                        if not self._from_client():
                            return
                    elif fd == upstream_fd and link.state == "connecting":
                        poller.unregister(fd)
                        if link.finish():
                            poller.register(fd, select.POLLIN)
                            self.gateway.upstream_event(self, "upstream_connected", "")
                            self._reported_down = False
                        else:
                            upstream_fd = -1
                            self._unreachable(first_attempt)
                        first_attempt = False
                    elif fd == upstream_fd and not self._from_upstream():
                        poller.unregister(fd)
                        upstream_fd = -1
                        self._upstream_lost()
                if link.state == "connecting" and time.monotonic() > link.deadline:
                    poller.unregister(upstream_fd)
                    upstream_fd = -1
                    link.timed_out()
                    self._unreachable(first_attempt)
                    first_attempt = False
        except OSError:
            pass
        finally:
            self._finish()

    def _poll_busily(self, poller: select.poll, most_ns: int) -> list[tuple[int, int]]:
        """Wait for an event, polling without sleeping first for this connection's spin
        window (config.busy_poll at most). On an idle virtual machine a sleeping thread's
        CPU halts, and waking it costs more than the wait itself (docs/gateway.md, "Busy
        polling"). Only while this connection is the only busy one: one spins at a time
        (``Gateway.spinner``), none while the work moves between connections
        (``Gateway.shared``), and a spin stops as soon as another connection has work (it
        would only hold the interpreter from it)."""
        gateway = self.gateway
        started = _perf_ns()
        if gateway.last_worker is not self or started < gateway.shared_until:
            return poller.poll(-1)
        awaiting = 1 if len(self._pending) else 0  # an answer, or the client's next request
        learnt = self.spin_windows[awaiting]
        # Spinning for the PLC's answer pays only when the client is in a hurry too: alone,
        # it keeps this CPU from the PLC and saves no wake-up (docs/gateway.md, "Busy polling").
        window = learnt if self.spin_windows[0] else 0
        if window:
            if not gateway.spinner.acquire(False):
                return poller.poll(-1)
            try:
                deadline = started + window
                ready = poller.poll(0)
                while not ready and gateway.last_worker is self and _perf_ns() < deadline:
                    ready = poller.poll(0)
            finally:
                gateway.spinner.release()
            self.spins += 1
            if ready:
                self.spins_caught += 1
                return ready
        ready = poller.poll(-1)
        self.spin_windows[awaiting] = fitted_spin_window(learnt, _perf_ns() - started, most_ns)
        return ready

    def _poll_timeout(self, now: float) -> int:
        link = self.link
        if link.state == "down":
            return max(0, int((link.next_attempt - now) * 1000) + 1)
        if link.state == "connecting":
            return max(0, int((link.deadline - now) * 1000) + 1)
        return -1

    def _finish(self) -> None:
        self.closed = True
        self.link.drop()
        with self._client_lock:
            self.sock.close()
        self.gateway.session_ended(self)

    def _unreachable(self, first: bool) -> None:
        self.gateway.counters.event("upstream_connect_failures")
        if first or not self._reported_down:
            self.gateway.upstream_event(self, "upstream_unreachable", self.link.last_error)
            self._reported_down = True

    def _upstream_lost(self) -> None:
        if self.link.state != "up":
            return  # already handled (by the rescue thread)
        self.link.lost(self.link.last_error or "the upstream closed the connection")
        for entry in self._pending.drain():
            self.send_client(self.gateway.adapter.no_answer(entry.request))
        if not self.closed:
            self.gateway.upstream_event(self, "upstream_lost", self.link.last_error)
            self._reported_down = True

    # -- client to upstream ---------------------------------------------------------------

    def _from_client(self) -> bool:
        """Handle what the client sent; False when the connection is over."""
        data = self.sock.recv(_RECV)
        if not data:
            return False
        received = _perf_ns()
        buf = self._client_buf
        cut = self._cut(buf, data)
        for code in cut.dropped:
            self.gateway.anomaly(self, code, "dropped")
        for frame in cut.frames:
            self._handle(frame, received)
        if cut.fatal:
            self.gateway.anomaly(self, cut.fatal, "closed")
            return False
        self.partial_since = time.monotonic() if buf else 0.0
        return True

    def _cut(self, buf: bytearray, data: bytes) -> Cut:
        """The frames in what was left over (buf) and data, which arrived; buf keeps what is
        left over now. Usually nothing was left over: then data itself is cut, and a frame
        that is all of data is data, not a copy."""
        if buf:
            buf += data
            cut = self.gateway.adapter.cut(buf)
            del buf[: cut.consumed]
            return cut
        cut = self.gateway.adapter.cut(data)
        if cut.consumed < len(data):
            buf += data[cut.consumed :]
        return cut

    def _handle(self, frame: bytes, received: int) -> None:
        gateway = self.gateway
        try:
            request = gateway.adapter.request(frame, self.client_ip, time.time())
        except Exception:  # an adapter bug: drop this frame, keep the connection
            gateway.anomaly(self, "gateway.adapter_error", "dropped")
            return
        policy = gateway.policy.active
        started = _perf_ns()
        if request.shape is not None:
            known = policy.known.get((self.client_ip, request.shape))
            if known is not None:  # the fast path: the core ruled on this shape already
                if not known.teaches:
                    request.quiet_under = policy
                self.decision.record(_perf_ns() - started)
                self.apply(request, known.ruling, received, policy, known)
                return
        self._inflight = InFlight(request, received, started, policy)
        ruling = gateway.decider.rule(policy, request)
        if self._claim(None) is None:
            self._end_rescue()  # the watchdog answered while the core was busy
            return
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

    def rescue(self) -> None:
        """The watchdog answered for this session while its thread is stuck in the decision
        core: relay the upstream's answers meanwhile, so a request forwarded fail-open gets
        its response, until the thread is back (``_end_rescue``)."""
        if self._rescuer is None:
            self._rescue_done.clear()
            self._rescuer = threading.Thread(target=self._rescue_loop, daemon=True)
            self._rescuer.start()

    def _rescue_loop(self) -> None:
        while not self._rescue_done.is_set() and not self.closed:
            sock = self.link.sock
            if sock is None or not self.link.is_up:
                self._rescue_done.wait(0.05)
                continue
            try:
                readable, _, _ = select.select([sock], [], [], 0.05)
            except (OSError, ValueError):
                readable = []
            if readable and not self._from_upstream():
                self._upstream_lost()

    def _end_rescue(self) -> None:
        rescuer, self._rescuer = self._rescuer, None
        if rescuer is not None:
            self._rescue_done.set()
            rescuer.join()

    def apply(
        self,
        request: InboundRequest,
        ruling: Ruling,
        received: int,
        policy: ActivePolicy,
        known: Known | None = None,
    ) -> None:
        """Audit the ruling, then forward the request or answer it."""
        adapter = self.gateway.adapter
        if not ruling.forward:
            action = "refused"
        elif self.link.is_up:
            action = "forwarded"
        else:
            action = "unavailable"
        audited = self.gateway.record_decision(self, request, ruling, action, policy, known)
        enforcing_closed = ruling.fail_mode == "closed" and ruling.mode == "enforce"
        if not audited and action == "forwarded" and enforcing_closed:
            # Unaudited: fail-closed refuses what it would have forwarded (0x04); fail-open
            # and monitor mode carry on. Audit failures are counted either way.
            self.send_client(adapter.refusal(request, ERROR_CODE))
            return
        if action == "forwarded" and self._forward(request, received):
            return
        if action == "refused":
            self.send_client(adapter.refusal(request, ruling.exception_code))
            self.refusal.record(_perf_ns() - received)
        else:
            self.send_client(adapter.unavailable(request))

    def _forward(self, request: InboundRequest, received: int) -> bool:
        entry = Pending(request, received)
        if not self._pending.add(entry):
            self.gateway.counters.event("requests_unanswered")
        entry.ready_ns = _perf_ns()
        try:
            self.link.send(request.frame)
        except OSError:
            self._pending.take(request.key, entry)
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

    # -- upstream to client -----------------------------------------------------------------

    def _from_upstream(self) -> bool:
        """Relay what the upstream sent; False when its connection is over."""
        try:
            data = self.link.sock.recv(_RECV) if self.link.sock is not None else b""
        except OSError as exc:
            self.link.last_error = exc.strerror or str(exc)
            return False
        if not data:
            self.link.last_error = "the upstream closed the connection"
            return False
        received = _perf_ns()
        adapter = self.gateway.adapter
        buf = self._upstream_buf
        cut = self._cut(buf, data)
        for code in cut.dropped:
            self.gateway.anomaly(self, code, "dropped upstream")
        answered = []
        for frame in cut.frames:
            entry = self._pending.take(adapter.response_key(frame))
            self.send_client(frame)
            if entry is None:
                self.gateway.counters.event("responses_unmatched")
                continue
            sent = entry.sent_ns or entry.ready_ns
            self.added.record(sent - entry.received_ns + _perf_ns() - received)
            answered.append((entry.request, frame))
        if answered:
            self.link.answered = True
        for request, frame in answered:  # after the answers are on their way
            self.gateway.observe(self, request, frame)
        if cut.fatal:
            self.gateway.anomaly(self, cut.fatal, "upstream reset")
            self.link.last_error = f"malformed upstream stream ({cut.fatal})"
            del buf[:]
            return False
        return True

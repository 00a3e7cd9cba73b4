"""The inline gateway: listener, sessions, audit, watchdog, reload, statistics.

    gateway = Gateway(config)          # loads the policy (PolicyError on a bad one)
    gateway.start()                    # listening when it returns; gateway.address
    ...
    gateway.stop()                     # connections closed, audit flushed

``serve_forever`` adds the process's signals: SIGTERM and SIGINT stop (exit 0 in the
CLI), SIGHUP reloads the policy. Everything else runs on the gateway's own threads, so
tests, the simulator and the demo run it in-process the same way.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

import orjson

from interlock.errors import ConfigError, InterlockError
from interlock.gateway.adapter import InboundRequest, ProtocolAdapter
from interlock.gateway.audit import AuditLog, record_template
from interlock.gateway.config import Address, GatewayConfig
from interlock.gateway.counters import Counters
from interlock.gateway.decider import Decider, Ruling
from interlock.gateway.histogram import LatencyHistogram
from interlock.gateway.policy_state import ActivePolicy, Known, Overrides, PolicyHolder
from interlock.gateway.session import ClientSession
from interlock.gateway.snapshot import IO_MODEL, statistics
from interlock.gateway.stats import write_stats_file
from interlock.gateway.systemd import Notifier
from interlock.gateway.watchdog import housekeep, watch

SHARED_NS = 1_000_000
"""After the work moves between connections, how long none of them busy polls."""
MAX_RECORDS_KEPT = 256
"""Audit records kept per connection for remembered rulings (request shapes x actions)."""


class Gateway:
    def __init__(self, config: GatewayConfig, adapter: ProtocolAdapter | None = None) -> None:
        self.config = config
        if adapter is None:
            from interlock.gateway.modbus import ModbusAdapter

            adapter = ModbusAdapter(server=config.upstream.host)
        self.adapter = adapter
        overrides = Overrides(config.mode, config.fail_mode, config.exception_code)
        self.policy = PolicyHolder(config.policy, overrides)
        self.decider = Decider(config.decision_budget)
        self.counters = Counters()
        self.audit: AuditLog | None = None
        self.address: Address | None = None
        self.started = 0.0
        self._listener: socket.socket | None = None
        self._sessions: set[ClientSession] = set()
        self._sessions_lock = threading.Lock()
        self.spinner = threading.Lock()
        """Held by the one connection thread busy polling (config.busy_poll), if any: a
        second spinning thread would only take the interpreter from the first."""
        self.last_worker: object = None
        """The connection that last woke up with work (busy polling stops when it is
        another)."""
        self.shared_until = 0
        """perf_counter_ns until which no connection busy polls: the work moved between
        connections lately, so the CPU is not idle and spinning would only contend."""
        self.spins_ended = [0, 0]
        """Busy polls, and those that caught an event, of the connections that ended."""
        self._ended = {
            "added": LatencyHistogram(),
            "decision": LatencyHistogram(),
            "refusal": LatencyHistogram(),
        }
        self.stopping = threading.Event()
        self._stopped = threading.Event()
        self._stop_requested = threading.Event()
        self._reload_requested = threading.Event()
        self._threads: list[threading.Thread] = []
        self._metrics: Any = None
        self.notifier = Notifier.from_environment()

    # -- life cycle ---------------------------------------------------------------------------

    def start(self, listener: socket.socket | None = None) -> None:
        """Open the audit log, listen (or adopt listener), start the threads."""
        config = self.config
        self.audit = AuditLog(
            config.audit, fsync_interval=config.fsync_interval, max_bytes=config.audit_max_bytes
        )
        try:
            self._listener = listener or _listen(config.listen)
            host, port = self._listener.getsockname()[:2]
            self.address = Address(host, port)
            if config.metrics is not None:
                from interlock.gateway.prometheus import MetricsServer

                self._metrics = MetricsServer(config.metrics, self.snapshot)
                self._metrics.start()
        except OSError as exc:
            self.audit.close()
            if self._listener is not None:
                self._listener.close()
            raise ConfigError(f"cannot listen on {config.listen}: {exc.strerror or exc}") from exc
        self.started = time.time()
        active = self.policy.active
        self.audit.append(
            {
                "event": "start",
                "time": self.started,
                "pid": os.getpid(),
                "listen": str(self.address),
                "upstream": str(config.upstream),
                "protocol": self.adapter.protocol,
                "policy": str(config.policy),
                "digest": active.digest,
                "mode": active.mode,
                "fail_mode": config.fail_mode,
                "io_model": IO_MODEL,
            }
        )
        for target, name in (
            (self._accept_loop, "accept"),
            (lambda: watch(self), "watchdog"),
            (lambda: housekeep(self), "housekeeping"),
        ):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)
        self.notifier.ready(f"listening on {self.address}, upstream {config.upstream}")

    @property
    def metrics_address(self) -> Address | None:
        return self._metrics.address if self._metrics is not None else None

    def stop(self, timeout: float = 5.0) -> None:
        """Stop accepting, close every connection, write the last stats and flush the audit."""
        if self.stopping.is_set():
            self._stopped.wait(timeout)
            return
        self.stopping.set()
        self.notifier.stopping()
        if self._listener is not None:
            with contextlib.suppress(OSError):
                self._listener.shutdown(socket.SHUT_RDWR)
            self._listener.close()
        with self._sessions_lock:
            sessions = list(self._sessions)
        for session in sessions:
            session.close()
        for session in sessions:
            session.join(timeout)
        for thread in self._threads:
            thread.join(timeout)
        if self._metrics is not None:
            self._metrics.stop()
        if self.config.stats_file is not None:
            self.write_stats()
        if self.audit is not None:
            self._event({"event": "stop", **self._totals()})
            self.audit.close()
        self._stopped.set()

    def serve_forever(
        self, listener: socket.socket | None = None, ready: Callable[[], None] | None = None
    ) -> None:
        """Start (unless started), call ready, run until SIGTERM or SIGINT, then stop
        cleanly; SIGHUP reloads the policy. The handlers are in place before the gateway
        listens: a stop signal can never find it serving without them."""
        previous = {
            signal.SIGTERM: signal.signal(signal.SIGTERM, self._on_stop_signal),
            signal.SIGINT: signal.signal(signal.SIGINT, self._on_stop_signal),
            signal.SIGHUP: signal.signal(signal.SIGHUP, self._on_reload_signal),
        }
        try:
            if self.audit is None:
                self.start(listener)
            if ready is not None:
                ready()
            while not self.stopping.is_set() and not self._stop_requested.is_set():
                if self._reload_requested.wait(0.5) and not self._stop_requested.is_set():
                    self._reload_requested.clear()
                    self.reload()
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
            self.stop()

    def _on_stop_signal(self, signum: int, frame: object) -> None:
        self._stop_requested.set()
        self._reload_requested.set()  # wakes the loop

    def _on_reload_signal(self, signum: int, frame: object) -> None:
        self._reload_requested.set()

    def __enter__(self) -> Gateway:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- policy -------------------------------------------------------------------------------

    def reload(self) -> bool:
        """Load the policy file again; keep the current policy when the new one is invalid."""
        try:
            active = self.policy.reload()
        except InterlockError as exc:
            self.counters.event("policy_rejected")
            self._event({"event": "policy", "result": "rejected", "error": str(exc)})
            return False
        self.counters.event("policy_loaded")
        self._event(
            {"event": "policy", "result": "loaded", "digest": active.digest, "mode": active.mode}
        )
        return True

    # -- called by sessions -------------------------------------------------------------------

    def record_decision(
        self,
        session: ClientSession,
        request: InboundRequest,
        ruling: Ruling,
        action: str,
        policy: ActivePolicy,
        known: Known | None = None,
    ) -> bool:
        """Audit one ruling; False when the record could not be written."""
        assert self.audit is not None
        try:
            if known is None:
                self.audit.append(self._decision_record(session, request, ruling, action, policy))
            else:
                self._append_known(session, request, known, action, policy)
        except (OSError, RuntimeError):  # disk full, I/O error, or stopping
            self.counters.failure("audit")
            return False
        key = (ruling.verdict, action)
        session.requests[key] = session.requests.get(key, 0) + 1  # the session's own thread
        if ruling.failure:
            self.counters.failure(ruling.failure)
        return True

    def _decision_record(
        self,
        session: ClientSession,
        request: InboundRequest,
        ruling: Ruling,
        action: str,
        policy: ActivePolicy,
    ) -> dict[str, Any]:
        return {
            "event": "decision",
            "time": time.time(),
            "protocol": self.adapter.protocol,
            "client": session.client,
            "server": str(self.config.upstream),
            **request.fields,
            "verdict": ruling.verdict,
            "rule": ruling.rule,
            "kind": ruling.kind,
            "reason": ruling.reason,
            "asset": ruling.asset,
            "criticality": ruling.criticality,
            "tags": list(ruling.tags),
            "mode": ruling.mode,
            "action": action,
            "exception_code": ruling.exception_code if action == "refused" else None,
            "failure": ruling.failure,
            "fail_mode": ruling.fail_mode,
            "policy": policy.digest[:16],
        }

    def _append_known(
        self,
        session: ClientSession,
        request: InboundRequest,
        known: Known,
        action: str,
        policy: ActivePolicy,
    ) -> None:
        """Write the record of a remembered ruling from a template made once per connection,
        shape and action: the same bytes as the whole record, with only seq, the time and
        the request's own fields (its transaction id) filled in."""
        assert request.shape is not None and self.audit is not None
        key = (request.shape, action)
        kept = session.records.get(key)
        if kept is None or kept[0] is not known:
            base = self._decision_record(session, request, known.ruling, action, policy)
            names = [name for name in self.adapter.per_request_fields if name in base]
            template = record_template(base, ("time", *names))
            if len(session.records) >= MAX_RECORDS_KEPT:
                session.records.clear()
            session.records[key] = kept = (known, template, base)
        now = time.time()
        template = kept[1]
        if template is None:  # a value in the record looked like a slot: the whole record
            record = kept[2].copy()
            record["time"] = now
            record.update(request.fields)
            self.audit.append(record)
            return
        fields = request.fields
        values = [orjson.dumps(now)]
        for name in template.names[1:]:
            value = fields[name]
            # An int (the transaction id) is its digits; anything else, orjson's bytes.
            values.append(b"%d" % value if type(value) is int else orjson.dumps(value))
        self.audit.append_template(template, values)

    def anomaly(self, session: ClientSession, code: str, action: str) -> None:
        self.counters.anomaly(code)
        self._event(
            {
                "event": "anomaly",
                "protocol": self.adapter.protocol,
                "client": session.client,
                "server": str(self.config.upstream),
                "code": code,
                "action": action,
            }
        )

    def upstream_event(self, session: ClientSession, name: str, detail: str) -> None:
        self.counters.event(name)
        self._event(
            {
                "event": name,
                "client": session.client,
                "server": str(self.config.upstream),
                "detail": detail,
            }
        )

    def observe(self, session: ClientSession, request: InboundRequest, response: bytes) -> None:
        active = self.policy.active
        if request.quiet_under is active:
            return  # its answer reads no tag: the core would learn nothing
        if not self.decider.observe(
            active, self.adapter, request, response, time.time(), session.answers
        ):
            self.counters.failure("observe")

    def session_ended(self, session: ClientSession) -> None:
        with self._sessions_lock:
            if session not in self._sessions:
                return
            self._sessions.discard(session)
            self._ended["added"].merge(session.added)
            self._ended["decision"].merge(session.decision)
            self._ended["refusal"].merge(session.refusal)
            self.counters.add_requests(session.requests)
            self.spins_ended[0] += session.spins
            self.spins_ended[1] += session.spins_caught
        self.counters.event("connections_closed")

    def _event(self, record: dict[str, Any]) -> None:
        if self.audit is not None:
            record["time"] = time.time()
            try:
                self.audit.append(record)
            except RuntimeError:
                pass  # stopping: the log is closed
            except OSError:
                self.counters.failure("audit")  # an event is not worth a connection

    # -- threads ------------------------------------------------------------------------------

    def _accept_loop(self) -> None:
        assert self._listener is not None
        while not self.stopping.is_set():
            try:
                sock, peer = self._listener.accept()
            except OSError:
                if self.stopping.is_set():
                    return
                time.sleep(0.05)  # EMFILE and friends: wait, do not spin
                continue
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            session = ClientSession(self, sock, peer)
            with self._sessions_lock:
                full = len(self._sessions) >= self.config.max_clients or self.stopping.is_set()
                if not full:
                    self._sessions.add(session)
            if full:
                self.counters.event("connections_refused")
                self._event({"event": "connection_refused", "client": session.client,
                             "detail": f"{self.config.max_clients} clients already connected"})  # fmt: skip
                sock.close()
                continue
            self.counters.event("connections_accepted")
            session.start()

    def write_stats(self) -> None:
        assert self.config.stats_file is not None
        try:
            write_stats_file(self.config.stats_file, self.snapshot())
        except OSError as exc:
            self.counters.event("stats_write_failures")
            self._event({"event": "stats_write_failed", "detail": exc.strerror or str(exc)})

    # -- statistics ---------------------------------------------------------------------------

    def sessions(self) -> list[ClientSession]:
        with self._sessions_lock:
            return list(self._sessions)

    def histograms(self) -> dict[str, LatencyHistogram]:
        """Every latency histogram, closed connections' and open ones' merged."""
        with self._sessions_lock:
            out = {name: h.copy() for name, h in self._ended.items()}
            for session in self._sessions:
                out["added"].merge(session.added)
                out["decision"].merge(session.decision)
                out["refusal"].merge(session.refusal)
        return out

    def shared(self, session: object, busy_ns: int) -> None:
        """session woke up with work after another one did: no busy polling for a while."""
        self.last_worker = session
        self.shared_until = time.perf_counter_ns() + max(SHARED_NS, busy_ns)

    def snapshot(self) -> dict[str, Any]:
        """The statistics document (docs/gateway.md, "Statistics")."""
        return statistics(self)

    def _totals(self) -> dict[str, Any]:
        counters = self.counters.snapshot([])
        return {"requests": sum(row["count"] for row in counters["requests"])}


def _listen(address: Address) -> socket.socket:
    family = socket.AF_INET6 if ":" in address.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((address.host, address.port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock

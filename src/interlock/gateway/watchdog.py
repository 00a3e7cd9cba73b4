"""The gateway's two background loops.

``watch`` runs every half decision budget (10 ms by default): it answers, by the fail mode,
for a request whose decision has overrun its budget while the core is still busy with it,
closes connections that have held an incomplete frame for ``frame_timeout`` (slowloris),
and pings systemd's watchdog. ``housekeep`` runs every second: policy file changes (hot
reload) and the stats file.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from interlock.gateway.decider import Decider

if TYPE_CHECKING:
    from interlock.gateway.server import Gateway


def watch(gateway: Gateway) -> None:
    budget_ns = gateway.decider.budget_ns
    tick = min(budget_ns / 2e9, 0.25)
    frame_timeout = gateway.config.frame_timeout
    while not gateway.stopping.wait(tick):
        now_ns = time.perf_counter_ns()
        now = time.monotonic()
        for session in gateway.sessions():
            overdue = session.overdue(now_ns, budget_ns)
            if overdue is not None:
                elapsed = now_ns - overdue.started_ns
                reason = f"no decision within {budget_ns / 1e6:.1f} ms"
                ruling = Decider.failed(overdue.policy, overdue.request, "overrun", reason, elapsed)
                session.apply(overdue.request, ruling, overdue.received_ns, overdue.policy)
                session.rescue()
            since = session.partial_since
            if since and now - since > frame_timeout:
                gateway.anomaly(session, "gateway.incomplete_frame_timeout", "closed")
                session.close()
        gateway.notifier.watchdog()


def housekeep(gateway: Gateway) -> None:
    config = gateway.config
    next_stats = time.monotonic()
    while not gateway.stopping.wait(min(config.watch_interval, config.stats_interval)):
        if config.watch_policy and gateway.policy.changed():
            gateway.reload()
        if config.stats_file is not None and time.monotonic() >= next_stats:
            gateway.write_stats()
            next_stats = time.monotonic() + config.stats_interval

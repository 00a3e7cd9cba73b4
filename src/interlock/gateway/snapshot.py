"""A running gateway's statistics document (docs/gateway.md, "Statistics"): what
``/stats``, the stats file and ``interlock gateway stats --json`` show, and what
``prometheus.render`` turns into metrics."""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING, Any, Final

from interlock.gateway.stats import STATS_VERSION, budget_verdict, histogram_doc

if TYPE_CHECKING:
    from interlock.gateway.server import Gateway

IO_MODEL: Final = "threads"
"""One thread per client connection (docs/gateway.md, "The I/O model")."""


def statistics(gateway: Gateway) -> dict[str, Any]:
    config = gateway.config
    histograms = gateway.histograms()
    sessions = gateway.sessions()
    active = gateway.policy.active
    audit = gateway.audit
    started = gateway.started
    return {
        "version": STATS_VERSION,
        "gateway": {
            "listen": str(gateway.address),
            "upstream": str(config.upstream),
            "protocol": gateway.adapter.protocol,
            "io_model": IO_MODEL,
            "pid": os.getpid(),
            "started": started,
            "uptime_s": round(time.time() - started, 3) if started else 0.0,
            "busy_poll": {
                "budget_us": round(config.busy_poll * 1e6, 1),
                "polls": gateway.spins_ended[0] + sum(s.spins for s in sessions),
                "caught": gateway.spins_ended[1] + sum(s.spins_caught for s in sessions),
            },
        },
        "policy": {
            "path": str(config.policy),
            "digest": active.digest,
            "mode": active.mode,
            "last_error": gateway.policy.last_error or None,
        },
        "connections": {"open": len(sessions), "max": config.max_clients},
        "upstream": {"up": sum(1 for s in sessions if s.link.is_up)},
        "counters": gateway.counters.snapshot([dict(s.requests) for s in sessions]),
        "audit": {
            "path": str(config.audit),
            "seq": audit.seq if audit else 0,
            "head": audit.head if audit else None,
            "fsync_interval_s": config.fsync_interval,
            "fsyncs": audit.fsyncs if audit else 0,
            "fsync_error": audit.last_fsync_error if audit else None,
            "write_errors": audit.write_errors if audit else 0,
            "max_bytes": config.audit_max_bytes,
            "rotations": audit.rotations if audit else 0,
            "rotate_error": audit.rotate_error if audit else None,
        },
        "latency": {name: histogram_doc(h) for name, h in histograms.items()},
        "budget": budget_verdict(
            histograms["added"], config.latency_budget, config.budget_quantile
        ),
    }

"""JSON documents for simulated tanks (docs/demo.md pins their shape). Pure."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from interlock.sim.tank.exchanges import ClientLog
from interlock.sim.tank.runner import Address, TankOutcome


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """Nearest-rank percentile; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def _ms(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def endpoint(address: Address) -> str:
    return f"{address[0]}:{address[1]}"


def client_document(log: ClientLog) -> dict[str, Any]:
    return {
        "requests": log.total,
        "writes": log.writes,
        "ok": log.outcomes["ok"],
        "exception": log.outcomes["exception"],
        "no_response": log.outcomes["no_response"],
        "not_connected": log.outcomes["not_connected"],
        "latency_ms": {
            "p50": _ms(percentile(log.latencies_ms, 0.50)),
            "p99": _ms(percentile(log.latencies_ms, 0.99)),
        },
        "failed": [e.document() for e in log.failed[:20]],
    }


def tank_document(outcome: TankOutcome) -> dict[str, Any]:
    plant = outcome.plant
    return {
        "name": outcome.name,
        "plc": endpoint(outcome.plc),
        "clients_to": endpoint(outcome.clients_to),
        "process": plant.trajectory.document(),
        "plc_comms": {
            "silent_s": round(plant.silent_s, 1),
            "events": [{"time_s": t, "kind": k} for t, k in plant.plc_events],
            "requests": {str(f): n for f, n in sorted(outcome.server.requests.items())},
            "answered": outcome.server.answered,
            "silenced": outcome.server.silenced,
        },
        "hmi": None if outcome.hmi is None else client_document(outcome.hmi),
        "scenarios": [s.document() for s in outcome.scenarios],
    }

"""`interlock sim`: one simulated tank on an address, optionally with the HMI workload and
attack scenarios run against it (or through an address in front of it, such as a gateway)."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import signal
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from interlock.errors import UsageError
from interlock.sim.tank.runner import (
    Address,
    FixedFront,
    Front,
    TankOutcome,
    TankSetup,
    Timing,
    run_tanks,
)
from interlock.sim.tank.scenarios import SCENARIOS, Scenario


@dataclass
class SimResult:
    speed: float
    real_s: float
    tank: TankOutcome


def parse_address(text: str, option: str) -> Address:
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise UsageError(f"{option} wants HOST:PORT, got {text!r}")
    return host.strip("[]"), int(port)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def pick_scenarios(names: Sequence[str]) -> list[Scenario]:
    if "all" in names:
        return list(SCENARIOS.values())
    unknown = [n for n in names if n not in SCENARIOS]
    if unknown:
        raise UsageError(
            f"unknown scenario {', '.join(unknown)}; choose from: all, {', '.join(SCENARIOS)}"
        )
    return [SCENARIOS[n] for n in names]


def run_sim(
    listen: Address,
    timing: Timing,
    hmi: bool,
    scenarios: Sequence[Scenario],
    via: Address | None = None,
    on_ready: Callable[[TankOutcome], None] | None = None,
) -> SimResult:
    """Serve one tank for timing.duration_s simulated seconds (0: until SIGINT/SIGTERM)."""
    target = via or listen
    if (hmi or scenarios) and not is_loopback(target[0]):
        raise UsageError(
            f"the HMI workload and the attacks only run against loopback, not {target[0]}"
        )
    fronts: list[Front] = [FixedFront(via)] if via else []
    setup = TankSetup("T-101", tuple(scenarios), hmi, listen)
    started = time.monotonic()

    async def main() -> list[TankOutcome]:
        until = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, until.set)
        ready = (lambda tanks: on_ready(tanks[0])) if on_ready else None
        return await run_tanks([setup], timing, fronts, until, ready)

    try:
        outcomes = asyncio.run(main())
    except (OSError, RuntimeError) as exc:
        if "listen" in str(exc) or isinstance(exc, OSError):
            raise UsageError(f"cannot serve on {listen[0]}:{listen[1]}: {exc}") from None
        raise
    return SimResult(timing.speed, time.monotonic() - started, outcomes[0])

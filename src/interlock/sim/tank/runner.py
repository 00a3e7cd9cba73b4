"""Run simulated tanks: each a PLC server, optionally behind fronts (a recording relay, a
gateway), with the HMI workload and attack scenarios pointed at the outermost front.

Scenarios start on the simulated clock: the first at `attack_at_s`, the next ones
`attack_gap_s` apart, so a faster simulation attacks at the same point of the process.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from interlock.sim.tank.exchanges import ClientLog
from interlock.sim.tank.hmi import Hmi
from interlock.sim.tank.plant import Plant
from interlock.sim.tank.scenarios import Scenario, ScenarioRecord, run_scenario
from interlock.sim.tank.server import PlcServer, ServerStats

Address = tuple[str, int]


class Front(Protocol):
    """Something clients reach the PLC through (a relay, a gateway)."""

    async def open(self, name: str, upstream: Address) -> Address: ...

    async def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class FixedFront:
    """Clients go to a fixed address (a gateway someone else runs in front of the PLC)."""

    address: Address

    async def open(self, name: str, upstream: Address) -> Address:
        return self.address

    async def close(self) -> None:
        return None


@dataclass(frozen=True, slots=True)
class TankSetup:
    name: str
    scenarios: tuple[Scenario, ...] = ()
    hmi: bool = True
    listen: Address = ("127.0.0.1", 0)


@dataclass
class TankOutcome:
    name: str
    plant: Plant
    server: ServerStats
    plc: Address
    clients_to: Address
    hmi: ClientLog | None = None
    scenarios: list[ScenarioRecord] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Timing:
    speed: float = 100.0
    duration_s: float = 600.0  # simulated; 0: until cancelled
    attack_at_s: float = 60.0
    attack_gap_s: float = 120.0
    hmi_poll_s: float = 0.25  # real
    client_timeout_s: float = 0.5  # real


@contextlib.contextmanager
def quiet_pymodbus() -> Iterator[None]:
    """pymodbus logs every unanswered request; a silent PLC is the point here, not news."""
    logger = logging.getLogger("pymodbus")
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        logger.setLevel(level)


async def _until(plant: Plant, sim_s: float, stop: asyncio.Event | None = None) -> bool:
    """Wait until the plant's clock reaches sim_s; False if stopped first."""
    while plant.now < sim_s:
        if stop is not None and stop.is_set():
            return False
        await asyncio.sleep(0.02)
    return True


def _clock(plant: Plant) -> Callable[[], float]:
    return lambda: plant.now


async def _attacks(
    outcome: TankOutcome, scenarios: Sequence[Scenario], timing: Timing, stop: asyncio.Event
) -> None:
    for index, scenario in enumerate(scenarios):
        if not await _until(outcome.plant, timing.attack_at_s + index * timing.attack_gap_s, stop):
            return
        host, port = outcome.clients_to
        record = await run_scenario(
            scenario, host, port, _clock(outcome.plant), timing.client_timeout_s
        )
        outcome.scenarios.append(record)


async def run_tanks(
    setups: Sequence[TankSetup],
    timing: Timing,
    fronts: Sequence[Front] = (),
    until: asyncio.Event | None = None,
    on_ready: Callable[[list[TankOutcome]], None] | None = None,
) -> list[TankOutcome]:
    """Run every tank for timing.duration_s of simulated time (or until `until` is set);
    return what happened. on_ready sees the tanks once they listen."""
    servers = [PlcServer(Plant(), *s.listen, speed=timing.speed) for s in setups]
    outcomes: list[TankOutcome] = []
    stop = asyncio.Event()
    tasks: list[asyncio.Task[object]] = []
    with quiet_pymodbus():
        try:
            for setup, server in zip(setups, servers):
                outcomes.append(await _start(setup, server, fronts))
            if on_ready is not None:
                on_ready(outcomes)
            for setup, outcome in zip(setups, outcomes):
                tasks += _clients(setup, outcome, timing, stop)
            await _run_until(outcomes, timing.duration_s, until or asyncio.Event())
        finally:
            for server in servers:
                await server.freeze()
            stop.set()
            await _finish(tasks, fronts, servers)
    return outcomes


async def _start(setup: TankSetup, server: PlcServer, fronts: Sequence[Front]) -> TankOutcome:
    await server.start()
    plc: Address = (server.host, server.port)
    endpoint = plc
    for front in fronts:
        endpoint = await front.open(setup.name, endpoint)
    return TankOutcome(setup.name, server.plant, server.stats, plc, endpoint)


def _clients(
    setup: TankSetup, outcome: TankOutcome, timing: Timing, stop: asyncio.Event
) -> list[asyncio.Task[object]]:
    tasks: list[asyncio.Task[object]] = []
    if setup.hmi:
        plant = outcome.plant
        hmi = Hmi(
            *outcome.clients_to,
            clock=lambda: plant.now,
            poll_s=timing.hmi_poll_s,
            timeout=timing.client_timeout_s,
        )
        outcome.hmi = hmi.log
        tasks.append(asyncio.create_task(hmi.run(stop)))
    if setup.scenarios:
        tasks.append(asyncio.create_task(_attacks(outcome, setup.scenarios, timing, stop)))
    return tasks


async def _run_until(outcomes: list[TankOutcome], duration_s: float, ended: asyncio.Event) -> None:
    """Until every plant reached duration_s of simulated time (0: forever), or `ended`."""
    while not ended.is_set():
        if duration_s > 0 and all(o.plant.now >= duration_s for o in outcomes):
            return
        await asyncio.sleep(0.02)


async def _finish(
    tasks: list[asyncio.Task[object]], fronts: Sequence[Front], servers: list[PlcServer]
) -> None:
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), 5.0)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    for front in reversed(fronts):
        await front.close()
    for server in servers:
        await server.stop()

"""The attack scenarios: what an intruder on the control network sends to the tank's PLC.

Each scenario is a short script of real Modbus requests over its own pymodbus connection
(from the HMI's address, as malware on the HMI would send them, except the unknown
client, which binds 127.0.0.2: loopback only). Each step is marked as the attack itself or
as preparation (a read, or an ordinary command that sets the attack up); the record keeps
every request and what came back.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Final

from pymodbus.client import AsyncModbusTcpClient

from interlock.sim.tank import registers as reg
from interlock.sim.tank.exchanges import Exchange, perform
from interlock.sim.tank.hmi import client

UNKNOWN_CLIENT: Final = "127.0.0.2"
UNIT: Final = reg.UNIT_ID


@dataclass(frozen=True, slots=True)
class Step:
    exchange: Exchange
    attack: bool


Script = Callable[["Attack"], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    title: str
    technique: str  # MITRE ATT&CK for ICS
    script: Script
    source: str | None = None


@dataclass
class ScenarioRecord:
    name: str
    title: str
    technique: str
    source: str
    started_s: float
    client: str = ""
    """The attacker's ip:port, as the far side (a gateway's audit log) names it."""
    steps: list[Step] = field(default_factory=list)

    @property
    def attacks(self) -> list[Exchange]:
        return [s.exchange for s in self.steps if s.attack]

    @property
    def refused(self) -> int:
        return sum(1 for e in self.attacks if e.outcome == "exception")

    def document(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "technique": self.technique,
            "source": self.source,
            "client": self.client,
            "started_s": round(self.started_s, 1),
            "attack_requests": len(self.attacks),
            "refused": self.refused,
            "requests": [{**s.exchange.document(), "attack": s.attack} for s in self.steps],
        }


class Attack:
    """What a scenario script works with: its connection, its record, the plant's clock."""

    def __init__(
        self, client: AsyncModbusTcpClient, steps: list[Step], clock: Callable[[], float]
    ) -> None:
        self.client = client
        self.steps = steps
        self.clock = clock

    async def do(
        self,
        attack: bool,
        what: str,
        key: tuple[int, int | None, tuple[int, ...]],
        request: Callable[[], Awaitable[Any]],
    ) -> Any:
        """Send one request (function, address, values = key); keep it; return the response."""
        exchange, response = await perform(request, *key, what=what)
        self.steps.append(Step(exchange, attack))
        return response

    async def pause(self, sim_s: float) -> None:
        """Wait sim_s seconds of plant time, as a person at a keyboard would."""
        until = self.clock() + sim_s
        while self.clock() < until:
            await asyncio.sleep(0.01)


async def _out_of_range(a: Attack) -> None:
    c = a.client
    await a.do(
        True, "level setpoint 120 % (beyond full scale)", (6, reg.LEVEL_SP, (1200,)),
        lambda: c.write_register(reg.LEVEL_SP, 1200, device_id=UNIT),
    )  # fmt: skip


async def _too_large_step(a: Attack) -> None:
    c = a.client
    read = await a.do(
        False, "read the level setpoint", (3, reg.LEVEL_SP, ()),
        lambda: c.read_holding_registers(reg.LEVEL_SP, count=1, device_id=UNIT),
    )  # fmt: skip
    now = f"{reg.from_x10(read.registers[0]):g} %" if read is not None else "its value"
    await a.do(
        True, f"level setpoint from {now} to 85 % in one step", (6, reg.LEVEL_SP, (850,)),
        lambda: c.write_register(reg.LEVEL_SP, 850, device_id=UNIT),
    )  # fmt: skip


async def _rapid_toggling(a: Attack) -> None:
    for index in range(12):
        run = index % 2 == 1
        await a.do(
            True, "start the pump" if run else "stop the pump", (5, reg.PUMP_RUN, (int(run),)),
            partial(a.client.write_coil, reg.PUMP_RUN, run, device_id=UNIT),
        )  # fmt: skip


async def _interlock_violation(a: Attack) -> None:
    c, inlet, pump = a.client, reg.INLET_VALVE_OPEN, reg.PUMP_RUN
    await a.do(
        False, "close the inlet valve", (5, inlet, (0,)),
        lambda: c.write_coil(inlet, False, device_id=UNIT),
    )  # fmt: skip
    await a.do(
        False, "stop the pump", (5, pump, (0,)),
        lambda: c.write_coil(pump, False, device_id=UNIT),
    )  # fmt: skip
    await a.pause(10.0)
    await a.do(
        True, "open the inlet valve with the pump stopped", (5, inlet, (1,)),
        lambda: c.write_coil(inlet, True, device_id=UNIT),
    )  # fmt: skip


async def _unknown_client(a: Attack) -> None:
    c = a.client
    await a.do(
        True, "level setpoint 95 % from an unknown host", (6, reg.LEVEL_SP, (950,)),
        lambda: c.write_register(reg.LEVEL_SP, 950, device_id=UNIT),
    )  # fmt: skip


async def _diagnostics(a: Attack) -> None:
    c = a.client
    await a.do(
        True, "force listen-only mode (the PLC stops answering)", (8, None, (4,)),
        lambda: c.diag_force_listen_only(device_id=UNIT, no_response_expected=False),
    )  # fmt: skip


async def _restart(a: Attack) -> None:
    c = a.client
    await a.do(
        True, "restart communications (the PLC restarts)", (8, None, (1,)),
        lambda: c.diag_restart_communication(False, device_id=UNIT),
    )  # fmt: skip


_ALL: Final = (
    Scenario("out_of_range_setpoint", "Setpoint beyond full scale", "T0836", _out_of_range),
    Scenario("too_large_step", "Setpoint jump too large", "T0836", _too_large_step),
    Scenario("rapid_toggling", "Pump toggled on and off", "T0806", _rapid_toggling),
    Scenario("interlock_violation", "Inlet opened against interlock", "T0855", _interlock_violation),
    Scenario("unknown_client_write", "Write from unknown host", "T0855", _unknown_client, UNKNOWN_CLIENT),
    Scenario("diagnostics", "Force listen-only", "T0814", _diagnostics),
    Scenario("restart", "Remote PLC restart", "T0816", _restart),
)  # fmt: skip
SCENARIOS: Final[dict[str, Scenario]] = {s.name: s for s in _ALL}


async def run_scenario(
    scenario: Scenario,
    host: str,
    port: int,
    clock: Callable[[], float],
    timeout: float = 0.5,
) -> ScenarioRecord:
    """Connect (from the scenario's source address), run its script, return the record."""
    source = scenario.source or "127.0.0.1"
    record = ScenarioRecord(scenario.name, scenario.title, scenario.technique, source, clock())
    attacker = client(host, port, source=scenario.source, timeout=timeout)
    await attacker.connect()
    transport = getattr(attacker.ctx, "transport", None)
    local = transport.get_extra_info("sockname") if transport is not None else None
    if local:
        record.client = f"{local[0]}:{local[1]}"
    try:
        await scenario.script(Attack(attacker, record.steps, clock))
    finally:
        attacker.close()
    return record

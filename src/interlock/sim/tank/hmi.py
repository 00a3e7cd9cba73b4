"""The normal HMI workload (TANK.md): a pymodbus client polling the tank and an operator.

Every `poll_s` of real time it reads input registers 0-2 (FC 4) and discrete inputs 0-1
(FC 2); every fourth cycle holding registers 0-3 (FC 3); then it lets the operator
(`operator.NormalOperator`) decide on writes from what it just read: level_sp steps (FC 6)
and pump start/stop (FC 5). Every exchange goes to its `ClientLog`: what an operations
manager counts as lost production when it is refused or unanswered.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable

from pymodbus.client import AsyncModbusTcpClient

from interlock.sim.tank import registers as reg
from interlock.sim.tank.exchanges import ClientLog, perform
from interlock.sim.tank.operator import NormalOperator, Write


def client(
    host: str, port: int, source: str | None = None, timeout: float = 0.5
) -> AsyncModbusTcpClient:
    """A pymodbus TCP client that neither retries nor reconnects behind our back."""
    return AsyncModbusTcpClient(
        host,
        port=port,
        timeout=timeout,
        retries=0,
        reconnect_delay=0,
        source_address=(source, 0) if source else None,
    )


class Hmi:
    def __init__(
        self,
        host: str,
        port: int,
        clock: Callable[[], float],
        operator: NormalOperator | None = None,
        poll_s: float = 0.25,
        timeout: float = 0.5,
    ) -> None:
        self.client = client(host, port, timeout=timeout)
        self.clock = clock
        self.operator = operator or NormalOperator()
        self.poll_s = poll_s
        self.log = ClientLog()
        self.level_pct: float | None = None

    async def run(self, stop: asyncio.Event) -> ClientLog:
        await self.client.connect()
        try:
            cycle = 0
            while not stop.is_set():
                started = time.monotonic()
                await self.cycle(cycle)
                cycle += 1
                left = self.poll_s - (time.monotonic() - started)
                if left > 0:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), left)
        finally:
            self.client.close()
        return self.log

    async def cycle(self, index: int) -> None:
        c, unit = self.client, reg.UNIT_ID
        if not c.connected:
            await c.connect()  # after a silent PLC, pymodbus drops the connection
        done, ir = await perform(
            lambda: c.read_input_registers(0, count=reg.INPUT_COUNT, device_id=unit), 4, 0
        )
        self.log.add(done)
        level = inflow = None
        if ir is not None:
            level, inflow = reg.from_x10(ir.registers[0]), reg.from_x10(ir.registers[1])
            self.level_pct = level
        done, _ = await perform(
            lambda: c.read_discrete_inputs(0, count=reg.DISCRETE_COUNT, device_id=unit), 2, 0
        )
        self.log.add(done)
        if index % 4 == 0:
            done, _ = await perform(
                lambda: c.read_holding_registers(0, count=4, device_id=unit), 3, 0
            )
            self.log.add(done)
        for write in self.operator.decide(self.clock(), level, inflow):
            await self.write(write)

    async def write(self, write: Write) -> None:
        c, unit = self.client, reg.UNIT_ID
        if write.space == "coil":
            done, _ = await perform(
                lambda: c.write_coil(write.address, bool(write.value), device_id=unit),
                5, write.address, (write.value,), write.why,
            )  # fmt: skip
        else:
            done, _ = await perform(
                lambda: c.write_register(write.address, write.value, device_id=unit),
                6, write.address, (write.value,), write.why,
            )  # fmt: skip
        self.log.add(done)

"""The simulated PLC on the network: a pymodbus 3 Modbus/TCP server over the Plant.

The datastore is pymodbus's SimDevice with one action hook: every access first copies the
plant's image into the block being read, and every accepted write goes to the plant's
inputs. Diagnostics (FC 8) are seen as they arrive, through pymodbus's trace hooks, which
is also where a silent PLC (listen-only, restarting) drops its answers: the request is
read, no reply leaves. A clock task advances the process `speed` times faster than real
time. Everything binds to the address given (127.0.0.1 in the demo and the tests).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Final

from pymodbus.constants import ExcCodes
from pymodbus.pdu import ModbusPDU
from pymodbus.pdu.device import ModbusDeviceIdentification
from pymodbus.server import ModbusTcpServer
from pymodbus.simulator import DataType, SimData, SimDevice
from pymodbus.simulator.simutils import SimUtils

from interlock.sim.modbus_session import forget_device_identity
from interlock.sim.tank import registers as reg
from interlock.sim.tank.plant import Plant

TICK_S: Final = 0.05
_COILS: Final = frozenset({1, 5, 15})
_DISCRETE: Final = frozenset({2})
_HOLDING: Final = frozenset({3, 6, 16, 22, 23})
_INPUTS: Final = frozenset({4})
_DIAGNOSTICS: Final = 8
_RESTART, _LISTEN_ONLY = 0x0001, 0x0004


def identity() -> ModbusDeviceIdentification:
    return ModbusDeviceIdentification(
        info_name={
            "VendorName": "Interlock Simulated Controls",
            "ProductCode": "ISC-TANK-1",
            "MajorMinorRevision": "1.2.0",
            "ProductName": "Tank level controller",
            "ModelName": "ISC-100",
            "UserApplicationName": "tank",
        }
    )


def _bits_image(bits: list[bool]) -> list[int]:
    return SimUtils.bitsToRegisters(bits + [False] * (16 - len(bits)))


def _device(action: Any) -> SimDevice:
    return SimDevice(
        id=reg.UNIT_ID,
        simdata=(
            [SimData(0, count=16, values=False, datatype=DataType.BITS)],
            [SimData(0, count=16, values=False, datatype=DataType.BITS)],
            [
                SimData(0, count=4, values=0, datatype=DataType.REGISTERS),
                SimData(reg.HIGH_ALARM_LIMIT, values=0, datatype=DataType.REGISTERS),
            ],
            [SimData(0, count=reg.INPUT_COUNT, values=0, datatype=DataType.REGISTERS)],
        ),
        identity=identity(),
        action=action,
    )


@dataclass
class ServerStats:
    requests: Counter[int] = field(default_factory=Counter)
    answered: int = 0
    silenced: int = 0


class PlcServer:
    """Serve `plant` on host:port (port 0: any free port; see `.port` once started)."""

    def __init__(self, plant: Plant, host: str = "127.0.0.1", port: int = 0, speed: float = 1.0):
        self.plant = plant
        self.host = host
        self.port = port
        self.speed = speed
        self.stats = ServerStats()
        self._drop_next = False
        self._server: ModbusTcpServer | None = None
        self._clock: asyncio.Task[None] | None = None

    async def start(self) -> None:
        forget_device_identity()
        self._server = ModbusTcpServer(
            _device(self._action),
            address=(self.host, self.port),
            identity=identity(),
            trace_pdu=self._trace_pdu,
            trace_packet=self._trace_packet,
        )
        await self._server.serve_forever(background=True)
        sockets = getattr(self._server.transport, "sockets", None)
        if sockets:
            self.port = sockets[0].getsockname()[1]
        self._clock = asyncio.create_task(self._run_clock())

    async def freeze(self) -> None:
        """Stop the process clock (the run is over); the server still answers."""
        if self._clock is not None:
            self._clock.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._clock
            self._clock = None

    async def stop(self) -> None:
        await self.freeze()
        if self._server is not None:
            await self._server.shutdown()

    async def _run_clock(self) -> None:
        last = time.monotonic()
        while True:
            await asyncio.sleep(TICK_S)
            now = time.monotonic()
            self.plant.advance((now - last) * self.speed)
            last = now

    async def _action(
        self,
        function_code: int,
        start_address: int,
        address: int,
        count: int,
        registers: list[int],
        set_values: list[int] | list[bool] | None,
    ) -> ExcCodes | None:
        plant = self.plant
        if not plant.answering:
            return ExcCodes.DEVICE_BUSY  # never seen: a silent PLC's answers are dropped
        if function_code in _COILS:
            registers[0] = _bits_image(plant.coils())[0]
            if set_values:
                plant.write_coils(address, [bool(v) for v in set_values])
        elif function_code in _DISCRETE:
            registers[0] = _bits_image(plant.discrete_inputs())[0]
        elif function_code in _INPUTS:
            registers[0 : reg.INPUT_COUNT] = plant.input_registers()
        elif function_code in _HOLDING:
            for holding in reg.HOLDING_ADDRESSES:
                registers[holding - start_address] = plant.holding(holding)
            if set_values:
                plant.write_holding(address, [int(v) for v in set_values])
        return None

    def _trace_pdu(self, sending: bool, pdu: ModbusPDU) -> ModbusPDU:
        plant = self.plant
        if not sending:
            self.stats.requests[pdu.function_code] += 1
            sub = getattr(pdu, "sub_function_code", None)
            if pdu.function_code == _DIAGNOSTICS and plant.answering and sub == _LISTEN_ONLY:
                plant.force_listen_only()
            elif pdu.function_code == _DIAGNOSTICS and sub == _RESTART and plant.listen_only:
                plant.restart()  # out of listen-only: restarts without a reply
            return pdu
        self._drop_next = not plant.answering
        sub = getattr(pdu, "sub_function_code", None)
        if pdu.function_code == _DIAGNOSTICS and sub == _RESTART and plant.answering:
            asyncio.get_running_loop().call_soon(plant.restart)  # the reply goes first
        return pdu

    def _trace_packet(self, sending: bool, data: bytes) -> bytes:
        if not sending:
            return data
        if self._drop_next:
            self.stats.silenced += 1
            return b""
        self.stats.answered += 1
        return data

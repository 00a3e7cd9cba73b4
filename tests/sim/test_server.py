"""The pymodbus PLC server answering a real pymodbus client, on 127.0.0.1."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

from pymodbus.client import AsyncModbusTcpClient
from pymodbus.exceptions import ModbusIOException

from interlock.sim.tank import registers as reg
from interlock.sim.tank.plant import Plant
from interlock.sim.tank.runner import quiet_pymodbus
from interlock.sim.tank.server import PlcServer

Check = Callable[[AsyncModbusTcpClient, PlcServer], Awaitable[None]]


def serve(check: Check, speed: float = 1.0, plant: Plant | None = None) -> PlcServer:
    async def main() -> PlcServer:
        server = PlcServer(plant or Plant(), speed=speed)
        await server.start()
        client = AsyncModbusTcpClient("127.0.0.1", port=server.port, timeout=0.5, retries=0)
        try:
            assert await client.connect()
            await check(client, server)
        finally:
            client.close()
            await server.stop()
        return server

    with quiet_pymodbus():
        return asyncio.run(main())


def test_reads_show_the_process_image() -> None:
    async def check(c: AsyncModbusTcpClient, server: PlcServer) -> None:
        assert (await c.read_coils(0, count=3, device_id=1)).bits[:3] == [True, True, True]
        assert (await c.read_discrete_inputs(0, count=2, device_id=1)).bits[:2] == [False, False]
        level, inflow, outflow = (await c.read_input_registers(0, count=3, device_id=1)).registers
        assert abs(level - 500) <= 1 and abs(inflow - 600) <= 5 and abs(outflow - 600) <= 5
        holding = (await c.read_holding_registers(0, count=4, device_id=1)).registers
        assert holding[:2] == [500, 500]
        limit = c.convert_from_registers(holding[2:4], c.DATATYPE.FLOAT32)
        assert limit == 60.0
        assert (await c.read_holding_registers(10, count=1, device_id=1)).registers == [850]

    serve(check)


def test_unmapped_addresses_are_illegal() -> None:
    async def check(c: AsyncModbusTcpClient, server: PlcServer) -> None:
        response = await c.read_holding_registers(4, count=1, device_id=1)
        assert response.isError() and response.exception_code == 2

    serve(check)


def test_writes_reach_the_model_and_read_back() -> None:
    async def check(c: AsyncModbusTcpClient, server: PlcServer) -> None:
        assert not (await c.write_register(reg.LEVEL_SP, 650, device_id=1)).isError()
        words = c.convert_to_registers(33.5, c.DATATYPE.FLOAT32)
        assert not (await c.write_registers(reg.OUTFLOW_LIMIT, words, device_id=1)).isError()
        assert not (await c.write_coils(0, [False, False], device_id=1)).isError()
        assert server.plant.inputs.level_sp == 65.0
        assert server.plant.inputs.outflow_limit == 33.5
        assert not server.plant.inputs.pump_run and not server.plant.inputs.inlet_valve_open
        assert (await c.read_coils(0, count=3, device_id=1)).bits[:3] == [False, False, True]
        assert (await c.read_holding_registers(0, count=1, device_id=1)).registers == [650]

    serve(check)


def test_the_process_runs_on_the_simulated_clock() -> None:
    async def check(c: AsyncModbusTcpClient, server: PlcServer) -> None:
        await c.write_coil(reg.OUTLET_VALVE_OPEN, False, device_id=1)
        await c.write_register(reg.LEVEL_SP, 1000, device_id=1)
        while server.plant.now < 30.0:
            await asyncio.sleep(0.02)
        level = (await c.read_input_registers(0, count=1, device_id=1)).registers[0]
        assert level > 550  # the tank filled while the outlet was closed

    serve(check, speed=200.0)


def test_identity_answers_device_identification() -> None:
    async def check(c: AsyncModbusTcpClient, server: PlcServer) -> None:
        response = await c.read_device_information(read_code=1, object_id=0, device_id=1)
        assert response.information[0] == b"Interlock Simulated Controls"

    serve(check)


def test_listen_only_silences_the_plc_and_restart_brings_it_back() -> None:
    async def check(c: AsyncModbusTcpClient, server: PlcServer) -> None:
        try:
            await c.diag_force_listen_only(device_id=1, no_response_expected=False)
            raise AssertionError("a PLC in listen-only mode must not answer")
        except ModbusIOException:
            pass
        assert server.plant.listen_only
        try:
            await c.read_input_registers(0, count=3, device_id=1)
            raise AssertionError("a PLC in listen-only mode must not answer")
        except ModbusIOException:
            pass
        # the one request it still acts on; out of listen-only it restarts without a reply
        with contextlib.suppress(ModbusIOException):
            await c.diag_restart_communication(False, device_id=1)
        assert not server.plant.listen_only
        assert [kind for _, kind in server.plant.plc_events][:2] == ["listen_only", "restart"]
        while not server.plant.answering:
            await asyncio.sleep(0.02)
        if not c.connected:
            await c.connect()
        assert (await c.read_coils(0, count=3, device_id=1)).bits[:3] == [False, False, True]

    server = serve(check, speed=100.0)
    assert server.stats.silenced >= 2


def test_restart_answers_first_then_restarts() -> None:
    async def check(c: AsyncModbusTcpClient, server: PlcServer) -> None:
        response = await c.diag_restart_communication(False, device_id=1)
        assert not response.isError()
        await asyncio.sleep(0.05)
        assert server.plant.restart_until is not None
        assert not server.plant.inputs.pump_run

    serve(check)


def test_other_units_get_a_device_failure() -> None:
    async def check(c: AsyncModbusTcpClient, server: PlcServer) -> None:
        response = await c.read_holding_registers(0, count=1, device_id=2)
        assert response.isError() and response.exception_code == 4

    serve(check)

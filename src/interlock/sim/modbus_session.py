"""A real Modbus/TCP session: a pymodbus client and server talking through a recording
relay on loopback, turned into a capture.

Everything stays on 127.0.0.1 between the project's own processes. The recorded byte
stream is written with fixed addresses and timestamps so the capture is reproducible.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, Final

from pymodbus.client import AsyncModbusTcpClient
from pymodbus.datastore import ModbusDeviceContext, ModbusSequentialDataBlock, ModbusServerContext
from pymodbus.pdu.device import ModbusControlBlock, ModbusDeviceIdentification
from pymodbus.server import ModbusTcpServer

from interlock.capture.writer import PcapWriter
from interlock.sim.tcp_frames import TcpConversation

Chunk = tuple[int, bytes]  # (0: client to server, 1: server to client), bytes
BASE_TS: Final = 1_767_225_600.0  # 2026-01-01T00:00:00Z
STEP: Final = 0.004


def forget_device_identity() -> None:
    """pymodbus keeps the FC 43 device identity in one process-wide control block that each
    server's ``identity`` updates and none clears: without this, a server started earlier in
    the process would answer for the next one (and recorded captures would depend on it)."""
    ModbusControlBlock()._identity = ModbusDeviceIdentification()


def _identity() -> ModbusDeviceIdentification:
    identity = ModbusDeviceIdentification(
        info_name={
            "VendorName": "Interlock Simulated Controls",
            "ProductCode": "ISC-PLC-100",
            "MajorMinorRevision": "2.4.1",
            "VendorUrl": "https://example.invalid/plc",
            "ProductName": "Tank farm controller",
            "ModelName": "ISC-100",
            "UserApplicationName": "tank_farm",
        }
    )
    return identity


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


async def _script(client: AsyncModbusTcpClient) -> None:
    """An HMI polling the plant, an operator changing setpoints, an engineer identifying it."""
    await client.read_holding_registers(0, count=10, device_id=1)
    await client.read_input_registers(0, count=8, device_id=1)
    await client.read_coils(0, count=16, device_id=1)
    await client.read_discrete_inputs(0, count=8, device_id=1)
    await client.write_register(1, 500, device_id=1)
    await client.write_registers(10, [1, 2, 3], device_id=1)
    await client.write_coil(3, True, device_id=1)
    await client.write_coils(0, [True, False, True], device_id=1)
    await client.mask_write_register(address=2, and_mask=0x00F2, or_mask=0x0025, device_id=1)
    await client.readwrite_registers(
        read_address=0, read_count=4, write_address=20, values=[7, 8], device_id=1
    )
    await client.read_holding_registers(0, count=4, device_id=2)
    await client.read_device_information(read_code=1, object_id=0, device_id=1)
    await client.read_device_information(read_code=2, object_id=0, device_id=1)
    await client.report_device_id(device_id=1)
    await client.diag_query_data(b"\x12\x34", device_id=1)
    await client.read_holding_registers(9000, count=2, device_id=1)


async def record(
    script: Callable[[AsyncModbusTcpClient], Awaitable[None]] = _script,
) -> list[Chunk]:
    """Run script against a pymodbus server through a relay; return what crossed it."""
    chunks: list[Chunk] = []
    block = ModbusSequentialDataBlock(1, [0] * 200)
    device = ModbusDeviceContext(
        di=ModbusSequentialDataBlock(1, [1, 0] * 100),
        co=ModbusSequentialDataBlock(1, [0] * 200),
        hr=block,
        ir=ModbusSequentialDataBlock(1, list(range(200))),
    )
    server_port = _free_port()
    forget_device_identity()
    server = ModbusTcpServer(
        ModbusServerContext(devices=device, single=True),
        identity=_identity(),
        address=("127.0.0.1", server_port),
    )
    serving = asyncio.create_task(server.serve_forever())

    async def pump(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter, direction: int
    ) -> None:
        while data := await reader.read(65536):
            chunks.append((direction, data))
            writer.write(data)
            await writer.drain()
        writer.close()

    async def relay(c_reader: asyncio.StreamReader, c_writer: asyncio.StreamWriter) -> None:
        s_reader, s_writer = await asyncio.open_connection("127.0.0.1", server_port)
        await asyncio.gather(pump(c_reader, s_writer, 0), pump(s_reader, c_writer, 1))

    relay_server = await asyncio.start_server(relay, "127.0.0.1", 0)
    relay_port = relay_server.sockets[0].getsockname()[1]
    try:
        for _ in range(50):
            with contextlib.suppress(OSError):
                socket.create_connection(("127.0.0.1", server_port), timeout=0.2).close()
                break
            await asyncio.sleep(0.05)
        client = AsyncModbusTcpClient("127.0.0.1", port=relay_port, timeout=5, retries=0)
        if not await client.connect():
            raise RuntimeError("the simulated PLC did not accept a connection")
        try:
            await script(client)
        finally:
            client.close()
        await asyncio.sleep(0.05)
    finally:
        relay_server.close()
        await server.shutdown()
        serving.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await serving
    return chunks


def record_session() -> list[Chunk]:
    return asyncio.run(record())


def write_capture(
    path: str | Path,
    chunks: list[Chunk],
    sessions: int = 1,
    progress: Callable[[int], Any] | None = None,
) -> int:
    """Write sessions copies of the conversation, each from its own client; return frames."""
    frames = 0
    with open(path, "wb") as stream, PcapWriter(stream) as writer:
        for index in range(sessions):
            client_ip = f"10.20.{(index >> 8) % 250}.{index % 250 + 1}"
            conversation = TcpConversation(client_ip, 40000 + index % 20000, "10.10.0.5", 502)
            packets = conversation.handshake()
            packets += [conversation.data(direction, data) for direction, data in chunks]
            packets += conversation.close()
            for packet in packets:
                writer.write(BASE_TS + frames * STEP, packet)
                frames += 1
            if progress is not None and not index % 256:
                progress(frames)
    return frames

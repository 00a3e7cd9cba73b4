"""A small plant recorded with real pymodbus: an HMI polling a PLC every two seconds for
minutes, and the traffic that should deviate from what a baseline learned of it.

Each exchange is a real pymodbus client talking to a real pymodbus server through the
recording relay in ``interlock.sim.modbus_session`` (127.0.0.1 only); the recorded bytes
are then laid out at chosen capture times, so a capture can span minutes while the test
takes a second.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from interlock.capture.writer import PcapWriter
from interlock.sim.modbus_session import BASE_TS, Chunk, record
from interlock.sim.tcp_frames import TcpConversation

START = BASE_TS + 0.5
"""Half a second into a minute: every capture's first minute is partial."""
PLC = "10.10.0.5"
HMI = "10.20.0.1"
ROGUE = "10.20.0.66"
READER = "10.20.0.77"
CYCLE = 2.0
MINUTES = 6
"""Minutes of polling: minutes 1 to 4 are full, 30 cycles each."""

Script = Callable[[Any], Awaitable[None]]


async def poll(client: Any) -> None:
    await client.read_holding_registers(0, count=10, device_id=1)
    await client.read_coils(0, count=8, device_id=1)
    await client.write_register(1, 500, device_id=1)


async def burst(client: Any) -> None:
    for _ in range(5):
        await client.read_holding_registers(0, count=10, device_id=1)


async def rogue_write(client: Any) -> None:
    await client.write_register(1, 9999, device_id=1)


async def identify(client: Any) -> None:
    await client.report_device_id(device_id=1)


async def far_write(client: Any) -> None:
    await client.write_register(50, 1, device_id=1)


async def read_only(client: Any) -> None:
    await client.read_holding_registers(0, count=10, device_id=1)


def recorded(script: Script) -> list[Chunk]:
    # pymodbus announces its own deprecations on stdout; they are not the test's output.
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return asyncio.run(record(script))


@dataclass
class Session:
    """One TCP connection from a client to the PLC: exchanges at capture times."""

    client: str
    port: int
    exchanges: list[tuple[float, list[Chunk]]] = field(default_factory=list)

    def at(self, ts: float, chunks: list[Chunk]) -> Session:
        self.exchanges.append((ts, chunks))
        return self


def polling(chunks: list[Chunk], minutes: int = MINUTES) -> Session:
    session = Session(HMI, 40000)
    for cycle in range(int(minutes * 60 / CYCLE)):
        session.at(START + cycle * CYCLE, chunks)
    return session


def write_capture(path: Path, sessions: list[Session]) -> Path:
    """Frames of every session, in time order, as a tap would have recorded them."""
    frames: list[tuple[float, int, bytes]] = []
    for session in sessions:
        conversation = TcpConversation(session.client, session.port, PLC, 502)
        exchanges = sorted(session.exchanges, key=lambda e: e[0])
        first = exchanges[0][0]
        for i, packet in enumerate(conversation.handshake()):
            frames.append((first - 0.003 + i * 0.001, len(frames), packet))
        last = first
        for ts, chunks in exchanges:
            for i, (direction, data) in enumerate(chunks):
                last = ts + i * 0.0005
                frames.append((last, len(frames), conversation.data(direction, data)))
        for i, packet in enumerate(conversation.close()):
            frames.append((last + 0.01 + i * 0.001, len(frames), packet))
    with path.open("wb") as stream, PcapWriter(stream) as writer:
        for ts, _, packet in sorted(frames):
            writer.write(ts, packet)
    return path

"""A recording relay: what a network tap in front of the PLCs would have captured.

Listens on 127.0.0.1, relays each connection to its upstream (the PLC, or the gateway in
front of it) from the client's own address, so the far side still sees who is speaking,
and remembers every chunk with its time. `write` turns that into a pcap with plant-like
addresses (loopback addresses and ports mapped to the ones a plant would use) and valid
TCP framing (`interlock.sim.tcp_frames`), as a tap on the clients' network sees it: each
client with its own MAC, the PLCs behind the router's. Bounded: past `max_bytes` it relays without
recording and says so.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from interlock.capture.writer import PcapWriter
from interlock.sim.modbus_session import BASE_TS
from interlock.sim.tcp_frames import TcpConversation

MAX_BYTES: Final = 32 * 1024 * 1024


@dataclass
class Connection:
    name: str
    client: tuple[str, int]
    server_ip: str
    opened: float
    chunks: list[tuple[float, int, bytes]] = field(default_factory=list)
    closed: float | None = None


class RecordingRelay:
    def __init__(self, server_ips: Mapping[str, str], max_bytes: int = MAX_BYTES) -> None:
        self.server_ips = dict(server_ips)
        self.connections: list[Connection] = []
        self.recorded = 0
        self.max_bytes = max_bytes
        self.truncated = False
        self._servers: list[asyncio.Server] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self._started = time.monotonic()

    async def open(self, name: str, upstream: tuple[str, int]) -> tuple[str, int]:
        """Relay to upstream; in the capture the far side is server_ips[name]:502."""
        capture_ip = self.server_ips.get(name, "10.10.0.5")

        async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            task = asyncio.current_task()
            if task is not None:
                self._tasks.add(task)
            try:
                await self._relay(reader, writer, upstream, name, capture_ip)
            except asyncio.CancelledError:
                # closing: asyncio's stream callback would report a cancelled task as an error
                writer.close()
            finally:
                if task is not None:
                    self._tasks.discard(task)

        server = await asyncio.start_server(accept, "127.0.0.1", 0)
        self._servers.append(server)
        return "127.0.0.1", server.sockets[0].getsockname()[1]

    async def _relay(
        self,
        c_reader: asyncio.StreamReader,
        c_writer: asyncio.StreamWriter,
        upstream: tuple[str, int],
        name: str,
        capture_ip: str,
    ) -> None:
        peer = c_writer.get_extra_info("peername")
        conn = Connection(name, (peer[0], peer[1]), capture_ip, self._now())
        try:
            s_reader, s_writer = await asyncio.open_connection(*upstream, local_addr=(peer[0], 0))
        except OSError:
            c_writer.close()
            return
        self.connections.append(conn)
        await asyncio.gather(
            self._pump(c_reader, s_writer, conn, 0), self._pump(s_reader, c_writer, conn, 1)
        )
        conn.closed = self._now()

    async def _pump(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, conn: Connection, way: int
    ) -> None:
        try:
            while data := await reader.read(65536):
                if self.recorded + len(data) <= self.max_bytes:
                    conn.chunks.append((self._now(), way, data))
                    self.recorded += len(data)
                else:
                    self.truncated = True
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            with contextlib.suppress(ConnectionError, OSError):
                writer.close()

    def _now(self) -> float:
        return time.monotonic() - self._started

    async def close(self) -> None:
        for server in self._servers:
            server.close()
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        for server in self._servers:
            with contextlib.suppress(Exception):
                await server.wait_closed()

    def write(
        self, path: Path, client_ips: Mapping[str, str], only: Collection[str] | None = None
    ) -> int:
        """Write the recorded conversations (those to the servers named in `only`, when
        given) as a pcap; return the number of frames."""
        timed: list[tuple[float, int, bytes]] = []
        for order, conn in enumerate(self.connections):
            if only is not None and conn.name not in only:
                continue
            ip = client_ips.get(conn.client[0], conn.client[0])
            mac = b"\x02\x00\x5e" + ipaddress.IPv4Address(ip).packed[1:]
            tcp = TcpConversation(ip, conn.client[1], conn.server_ip, 502, client_mac=mac)
            timed += [(conn.opened, order, p) for p in tcp.handshake()]
            timed += [(t, order, tcp.data(way, data)) for t, way, data in conn.chunks]
            end = conn.closed if conn.closed is not None else self._now()
            timed += [(end, order, p) for p in tcp.close()]
        timed.sort(key=lambda item: (item[0], item[1]))
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as stream, PcapWriter(stream) as writer:
            for ts, _, packet in timed:
                writer.write(BASE_TS + ts, packet)
        return len(timed)

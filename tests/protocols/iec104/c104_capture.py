"""A real IEC 104 session for the golden files: a c104 client and server (lib60870-C
under Python) talking through a recording relay on loopback, written as a capture with
fixed addresses, port 2404 and fixed timestamps.

Regenerate tests/data/iec104-c104.pcap and its golden outputs (then review the diff):
    .venv/bin/python tests/protocols/iec104/c104_capture.py
The relay hands on whole APDUs, one segment each, and waits for each step's answers
before the next step starts, so the capture does not depend on thread timing. Time tags
(CP56Time2a: the clock sync, time-tagged points and commands, the test command) are
recorded as one fixed time instead of the wall clock's.
"""

from __future__ import annotations

import contextlib
import socket
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Final

import c104

from interlock.capture.writer import PcapWriter
from interlock.protocols.iec104.type_ids import TYPES
from interlock.sim.tcp_frames import TcpConversation

Chunk = tuple[int, bytes]  # (0: client to server, 1: server to client), one APDU
BASE_TS: Final = 1_767_225_600.0  # 2026-01-01T00:00:00Z
STEP: Final = 0.004
DATA: Final = Path(__file__).resolve().parents[2] / "data"
CAPTURE: Final = DATA / "iec104-c104.pcap"
STATION: Final = 47
FIXED_TIME: Final = bytes((0x00, 0x00, 30, 12, 0x21, 1, 26))  # 2026-01-01 12:30:00.000 (Thu)
_TIME_TAGGED: Final = frozenset({*range(30, 38), *range(58, 65), 103, 107})
_WAIT_SECONDS: Final = 10.0  # only a guard against a hung stack, never a test threshold


def normalize_time(apdu: bytes) -> bytes:
    """The APDU with every CP56Time2a replaced by FIXED_TIME (the wall clock is not data)."""
    if len(apdu) < 12 or apdu[2] & 1 or apdu[6] not in _TIME_TAGGED:
        return apdu
    type_id, vsq = apdu[6], apdu[7]
    size = TYPES[type_id].size
    out = bytearray(apdu)
    pos = 12
    for index in range(vsq & 0x7F):
        pos += 3 if index == 0 or not vsq & 0x80 else 0
        end = pos + size
        if end > len(out):
            break
        out[end - 7 : end] = FIXED_TIME
        pos = end
    return bytes(out)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _connect(port: int) -> socket.socket:
    """Connect to the server, which may still be starting its listener."""
    deadline = time.monotonic() + _WAIT_SECONDS
    while True:
        try:
            return socket.create_connection(("127.0.0.1", port))
        except ConnectionRefusedError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.01)


class Relay:
    """Accepts one connection, connects on to the server, records whole APDUs."""

    def __init__(self, server_port: int) -> None:
        self.server_port = server_port
        self.chunks: list[Chunk] = []
        self.lock = threading.Lock()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        client, _ = self.listener.accept()
        upstream = _connect(self.server_port)
        pumps = [
            threading.Thread(target=self._pump, args=(client, upstream, 0), daemon=True),
            threading.Thread(target=self._pump, args=(upstream, client, 1), daemon=True),
        ]
        for pump in pumps:
            pump.start()
        for pump in pumps:
            pump.join()

    def _pump(self, src: socket.socket, dst: socket.socket, direction: int) -> None:
        pending = b""
        with contextlib.suppress(OSError):
            while data := src.recv(65536):
                pending += data
                while len(pending) >= 2 and len(pending) >= (n := pending[1] + 2):
                    with self.lock:
                        self.chunks.append((direction, normalize_time(pending[:n])))
                        dst.sendall(pending[:n])
                    pending = pending[n:]
        with contextlib.suppress(OSError):
            dst.shutdown(socket.SHUT_WR)

    def wait_for(self, done: Callable[[list[Chunk]], bool]) -> None:
        deadline = time.monotonic() + _WAIT_SECONDS
        while True:
            with self.lock:
                if done(self.chunks):
                    return
            if time.monotonic() > deadline:
                raise TimeoutError(f"the c104 session stalled after {self.chunks}")
            time.sleep(0.005)

    def close(self) -> None:
        self.listener.close()


def _asdus(chunks: list[Chunk], type_id: int, cause: int) -> int:
    return sum(1 for _, a in chunks if len(a) > 8 and not a[2] & 1 and a[6:7] == bytes((type_id,))
               and a[8] & 0x3F == cause)  # fmt: skip


def _server() -> tuple[c104.Server, dict[str, c104.Point]]:
    server = c104.Server(ip="127.0.0.1", port=_free_port(), tick_rate_ms=50)
    station = server.add_station(common_address=STATION)
    points = {
        "breaker": station.add_point(io_address=1001, type=c104.Type.M_SP_NA_1),
        "switch": station.add_point(io_address=1002, type=c104.Type.M_DP_NA_1),
        "flow": station.add_point(io_address=2001, type=c104.Type.M_ME_NC_1),
        "level": station.add_point(io_address=2002, type=c104.Type.M_ME_NB_1),
        "alarm": station.add_point(io_address=3001, type=c104.Type.M_SP_TB_1),
        "energy": station.add_point(io_address=4001, type=c104.Type.M_IT_NA_1),
        "pump": station.add_point(
            io_address=5001,
            type=c104.Type.C_SC_NA_1,
            command_mode=c104.CommandMode.SELECT_AND_EXECUTE,
        ),
        "valve": station.add_point(io_address=6001, type=c104.Type.C_SE_NC_1),
    }
    points["breaker"].value = True
    points["switch"].value = c104.Double.ON
    points["flow"].value = 12.5
    points["level"].value = c104.Int16(-340)
    points["energy"].value = 123456
    return server, points


def _script(conn: c104.Connection, relay: Relay, points: dict[str, c104.Point]) -> None:
    """A control centre: interrogations, clock sync, a select-before-operate single
    command, a float set-point, spontaneous events from the station, a read, a test
    command, and STOPDT."""
    station = conn.get_station(STATION)
    pump = station.add_point(
        io_address=5001, type=c104.Type.C_SC_NA_1, command_mode=c104.CommandMode.SELECT_AND_EXECUTE
    )
    valve = station.add_point(io_address=6001, type=c104.Type.C_SE_NC_1)
    conn.interrogation(STATION)
    relay.wait_for(lambda c: _asdus(c, 100, 10) == 1)
    conn.counter_interrogation(STATION)
    relay.wait_for(lambda c: _asdus(c, 101, 10) == 1)
    conn.clock_sync(STATION)
    relay.wait_for(lambda c: _asdus(c, 103, 7) == 1)
    pump.value = True
    pump.transmit(cause=c104.Cot.ACTIVATION)
    relay.wait_for(lambda c: _asdus(c, 45, 7) == 2)
    valve.value = 42.5
    valve.transmit(cause=c104.Cot.ACTIVATION)
    relay.wait_for(lambda c: _asdus(c, 50, 7) == 1)
    points["flow"].value = 13.25
    points["flow"].transmit(cause=c104.Cot.SPONTANEOUS)
    relay.wait_for(lambda c: _asdus(c, 13, 3) == 1)
    points["alarm"].value = True
    points["alarm"].transmit(cause=c104.Cot.SPONTANEOUS)
    relay.wait_for(lambda c: _asdus(c, 30, 3) == 1)
    level = station.get_point(io_address=2002)  # the client learnt it from the interrogation
    level.read()
    relay.wait_for(lambda c: _asdus(c, 11, 5) == 1)
    conn.test(STATION)
    relay.wait_for(lambda c: _asdus(c, 107, 7) == 1)
    conn.mute()
    relay.wait_for(lambda c: any(a == bytes.fromhex("680423000000") for _, a in c))


def record(attempts: int = 3) -> list[Chunk]:
    """Run the script against a c104 server through the relay; return the APDUs. The c104
    client now and then never opens its first connection: that attempt is started again."""
    for _ in range(attempts - 1):
        with contextlib.suppress(TimeoutError):
            return _record_once()
    return _record_once()


def _record_once() -> list[Chunk]:
    server, points = _server()
    server.start()
    relay = Relay(server.port)
    client = c104.Client(tick_rate_ms=50)
    conn = client.add_connection(ip="127.0.0.1", port=relay.port, init=c104.Init.NONE)
    conn.add_station(common_address=STATION)
    # Acknowledge by S frame only when the window fills (never, in this short session) or
    # when stopping: the t2 timer would make the S frames' place depend on thread timing.
    server.protocol_parameters.send_window_size = 200
    conn.protocol_parameters.receive_window_size = 100
    try:
        client.start()
        relay.wait_for(lambda c: any(a == bytes.fromhex("68040b000000") for _, a in c))
        _script(conn, relay, points)
    finally:
        client.stop()
        relay.thread.join(timeout=_WAIT_SECONDS)
        relay.close()
        server.stop()
    return relay.chunks


def write_capture(path: Path, chunks: list[Chunk]) -> None:
    conversation = TcpConversation("10.30.0.5", 50104, "10.30.0.60", 2404)
    packets = conversation.handshake()
    packets += [conversation.data(direction, data) for direction, data in chunks]
    packets += conversation.close()
    with open(path, "wb") as stream, PcapWriter(stream) as writer:
        for n, packet in enumerate(packets):
            writer.write(BASE_TS + n * STEP, packet)


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from tests_support import write_golden

    write_capture(CAPTURE, record())
    write_golden(CAPTURE, "iec104")


if __name__ == "__main__":
    main()

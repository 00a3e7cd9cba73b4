"""A real pymodbus server standing in for the PLC, policies, and gateways for the tests.

Everything binds 127.0.0.1 on ports the system chooses. The server runs its own asyncio
loop in a thread and can be stopped and started again on the same port (a PLC restart).
"""

from __future__ import annotations

import asyncio
import resource
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import interlock
from interlock.gateway import Address, Gateway, GatewayConfig

SRC = str(Path(interlock.__file__).resolve().parent.parent)

POLICY = """\
version: 1
default: deny
mode: enforce
malformed: block
failure_mode: closed
clients:
  hmi: [127.0.0.1]
assets:
  - {name: tank-plc, protocol: modbus, unit: 1}
  - {name: boiler-plc, protocol: modbus, unit: 2}
tags:
  - {name: level_sp, asset: tank-plc, space: holding_registers, address: 0, scale: 0.1,
     units: "%", envelope: {min: 10, max: 90}}
  - {name: pump_speed_sp, asset: tank-plc, space: holding_registers, address: 1, scale: 0.1,
     units: "%", envelope: {min: 0, max: 100}}
  - {name: burner_sp, asset: boiler-plc, space: holding_registers, address: 0,
     envelope: {max: 300}}
rules:
  - {name: hmi-tank, clients: [hmi], operations: [read, write], assets: [tank-plc]}
  - {name: hmi-boiler-reads, clients: [hmi], operations: [read, write], assets: [boiler-plc]}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Plc:
    """A pymodbus TCP server with units 1 and 2, 100 holding registers each."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.devices: dict[int, Any] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: Any = None
        self._thread: threading.Thread | None = None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from pymodbus.datastore import ModbusDeviceContext, ModbusSequentialDataBlock

            for unit, first in ((1, 0), (2, 1000)):
                block = ModbusSequentialDataBlock(1, [first + i for i in range(100)])
                self.devices[unit] = ModbusDeviceContext(hr=block)

    def register(self, unit: int, address: int) -> int:
        """A holding register as the server holds it now."""
        assert self._loop is not None, "the PLC is stopped"
        read = self._server.async_getValues(unit, 3, address, 1)
        values = asyncio.run_coroutine_threadsafe(read, self._loop).result(10)
        return int(values[0])

    def start(self) -> Plc:
        ready = threading.Event()
        failure: list[BaseException] = []
        self._thread = threading.Thread(target=self._run, args=(ready, failure), daemon=True)
        self._thread.start()
        ready.wait(10)
        if failure:
            raise failure[0]
        _wait_listening(self.port)
        return self

    def _run(self, ready: threading.Event, failure: list[BaseException]) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from pymodbus.datastore import ModbusServerContext
            from pymodbus.server import ModbusTcpServer

            async def main() -> None:
                self._loop = asyncio.get_running_loop()
                context = ModbusServerContext(devices=self.devices, single=False)
                self._server = ModbusTcpServer(context, address=("127.0.0.1", self.port))
                self._loop.call_soon(ready.set)
                await self._server.serve_forever()

            try:
                asyncio.run(main())
            except BaseException as exc:  # reported to start()
                failure.append(exc)
                ready.set()

    def stop(self) -> None:
        if self._loop is None or self._server is None:
            return
        future = asyncio.run_coroutine_threadsafe(self._server.shutdown(), self._loop)
        future.result(10)
        assert self._thread is not None
        self._thread.join(10)
        self._loop = self._server = None


class PipelinedPlc:
    """A minimal Modbus/TCP server that answers FC 3 and FC 6 for any unit, however many
    requests one segment carries. pymodbus 3.16's server answers only some of several
    requests that arrive together, so pipelining through the gateway is shown against
    this one (holding register i of unit u starts as 1000 * (u - 1) + i)."""

    def __init__(self, answer_delay: float = 0.0) -> None:
        self.answer_delay = answer_delay
        """Seconds before each answer: a slow PLC."""
        self.registers: dict[tuple[int, int], int] = {}
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(8)
        self.port: int = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def register(self, unit: int, address: int) -> int:
        return self.registers.get((unit, address), 1000 * (unit - 1) + address)

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        buf = b""
        with conn:
            while data := conn.recv(4096):
                buf += data
                while len(buf) >= 6 and len(buf) >= 6 + ((buf[4] << 8) | buf[5]):
                    size = 6 + ((buf[4] << 8) | buf[5])
                    frame, buf = buf[:size], buf[size:]
                    if self.answer_delay:
                        time.sleep(self.answer_delay)
                    conn.sendall(self._answer(frame))

    def _answer(self, frame: bytes) -> bytes:
        trans_id, _, _, unit, function, address, value = struct.unpack(">HHHBBHH", frame[:12])
        if function == 6:
            self.registers[unit, address] = value
            return frame
        words = [self.register(unit, address + k) for k in range(value)]
        pdu = struct.pack(f">BB{len(words)}H", 3, 2 * len(words), *words)
        return struct.pack(">HHHB", trans_id, 0, len(pdu) + 1, unit) + pdu

    def stop(self) -> None:
        self._listener.close()


def _wait_listening(port: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.02)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port}")


def config(tmp: Path, upstream_port: int, **overrides: Any) -> GatewayConfig:
    policy = tmp / "policy.yaml"
    if not policy.exists():
        policy.write_text(POLICY)
    settings: dict[str, Any] = {
        "listen": Address("127.0.0.1", 0),
        "upstream": Address("127.0.0.1", upstream_port),
        "policy": policy,
        "audit": tmp / "audit.jsonl",
        "backoff_initial": 0.05,
        "backoff_max": 0.2,
        "watch_interval": 0.1,
    }
    settings.update(overrides)
    return GatewayConfig(**settings)


@contextmanager
def running(cfg: GatewayConfig) -> Iterator[Gateway]:
    gateway = Gateway(cfg)
    gateway.start()
    try:
        yield gateway
    finally:
        gateway.stop()


@contextmanager
def client(gateway: Gateway) -> Iterator[Any]:
    from pymodbus.client import ModbusTcpClient

    assert gateway.address is not None
    modbus = ModbusTcpClient("127.0.0.1", port=gateway.address.port, timeout=5, retries=0)
    assert modbus.connect()
    try:
        yield modbus
    finally:
        modbus.close()


def read_request(trans_id: int, unit: int, address: int, count: int) -> bytes:
    return struct.pack(">HHHBBHH", trans_id, 0, 6, unit, 3, address, count)


def write_request(trans_id: int, unit: int, address: int, value: int) -> bytes:
    return struct.pack(">HHHBBHH", trans_id, 0, 6, unit, 6, address, value)


def recv_frames(sock: socket.socket, n: int, timeout: float = 10) -> list[bytes]:
    """n whole Modbus/TCP frames from sock."""
    sock.settimeout(timeout)
    buf = b""
    frames: list[bytes] = []
    while len(frames) < n:
        while len(buf) >= 6 and len(buf) >= 6 + ((buf[4] << 8) | buf[5]):
            size = 6 + ((buf[4] << 8) | buf[5])
            frames.append(buf[:size])
            buf = buf[size:]
        if len(frames) >= n:
            break
        data = sock.recv(4096)
        if not data:
            raise ConnectionError(f"closed after {len(frames)} of {n} frames")
        buf += data
    return frames


def eventually(check: Any, timeout: float = 10, interval: float = 0.02) -> Any:
    """check() once it is truthy (no timing assertions: only an upper bound to give up)."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


def interlock_process(*args: str, **kwargs: Any) -> subprocess.Popen[str]:
    """`interlock ARGS` from the sources under test, as its own process."""
    import os

    env = {**os.environ, "PYTHONPATH": SRC}
    command = [sys.executable, "-c", "from interlock.cli.app import main; main()", *args]
    return subprocess.Popen(command, env=env, text=True, **kwargs)


def run_interlock(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    import os

    env = {**os.environ, "PYTHONPATH": SRC}
    command = [sys.executable, "-c", "from interlock.cli.app import main; main()", *args]
    return subprocess.run(command, env=env, text=True, capture_output=True, timeout=timeout)


@contextmanager
def file_size_limit(size: int) -> Iterator[None]:
    """Files this process writes may not grow past ``size`` bytes (EFBIG, not SIGXFSZ)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    try:
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, hard))
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)

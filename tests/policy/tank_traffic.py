"""Captures of the tank process (TANK.md) made with real pymodbus clients and a real pymodbus
server, for the policy tests: each scenario is a table of steps (when, who, which client
call, what the example policy should say), played against the server through one recording
relay per client role, then written as a pcap with the roles' addresses and the scripted
times. The bytes are pymodbus's own; the times come from the table, so a capture is
reproducible byte for byte.

The captures show a gated plant: a write the table expects the policy to refuse is
answered with exception 3 and changes nothing, as behind the gateway, so that the process
values the later requests are judged against are those the policy would have left.

Regenerate the committed captures (then review them with git diff --stat):
    PYTHONPATH=src:tests python -m policy.tank_traffic
"""

from __future__ import annotations

import asyncio
import contextlib
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from pymodbus.client import AsyncModbusTcpClient
from pymodbus.constants import ExcCodes
from pymodbus.exceptions import ModbusException
from pymodbus.server import ModbusTcpServer
from pymodbus.simulator import DataType, SimData, SimDevice
from pymodbus.simulator.simutils import SimUtils

from interlock.capture.writer import PcapWriter
from interlock.sim.modbus_session import forget_device_identity
from interlock.sim.tcp_frames import TcpConversation

DATA: Final = Path(__file__).resolve().parents[1] / "data"
THURSDAY: Final = 1_767_261_600.0  # 2026-01-01T10:00:00Z
SATURDAY_NIGHT: Final = 1_767_409_200.0  # 2026-01-03T03:00:00Z, inside the maintenance window
SERVER: Final = ("10.10.0.5", 502)
ROLES: Final = {"hmi": ("10.20.0.10", 49152), "engineering": ("10.20.0.50", 50211),
                "attacker": ("10.20.0.66", 51515)}  # fmt: skip
ANSWER_DELAY: Final = 0.002


@dataclass(frozen=True)
class Step:
    at: float
    """Seconds after the scenario's start."""
    who: str
    call: str
    """A pymodbus client method (device_id=1 is added)."""
    args: tuple[Any, ...] = ()
    kwargs: tuple[tuple[str, Any], ...] = ()
    expect: str | None = None
    """The rule of the example policy that refuses the request; None: it is allowed."""
    plant: tuple[tuple[int, int], ...] = ()
    """Input registers the process changes just before the step (address, raw value)."""


@dataclass
class Scenario:
    name: str
    start: float
    steps: list[Step]

    @property
    def path(self) -> Path:
        return DATA / f"policy-{self.name}.pcap"


def float_words(value: float) -> list[int]:
    high, low = struct.unpack(">HH", struct.pack(">f", value))
    return [high, low]


def hmi_polls(until: float, period: float = 0.5) -> list[Step]:
    """The HMI's polling (TANK.md, slowed down to keep the captures small)."""
    steps = [Step(0.05, "hmi", "read_holding_registers", (10,), (("count", 1),))]
    ticks = int(until / period)
    for tick in range(ticks):
        at = tick * period
        steps.append(Step(at, "hmi", "read_input_registers", (0,), (("count", 3),)))
        steps.append(Step(at + 0.01, "hmi", "read_discrete_inputs", (0,), (("count", 2),)))
        if tick % 4 == 0:
            steps.append(Step(at + 0.02, "hmi", "read_holding_registers", (0,), (("count", 4),)))
            steps.append(Step(at + 0.03, "hmi", "read_coils", (0,), (("count", 3),)))
    return steps


def _write(
    at: float, who: str, call: str, *args: Any, expect: str | None = None, **kw: Any
) -> Step:
    return Step(at, who, call, args, tuple(kw.items()), expect)


def normal() -> Scenario:
    """A shift of legitimate operation: everything is allowed."""
    hmi = "hmi"
    events = [
        _write(3.1, hmi, "write_coil", 0, True),  # start the pump (level 45 %)
        _write(6.1, hmi, "write_coil", 1, True),  # open the inlet while the pump runs
        _write(8.1, hmi, "write_register", 0, 550),  # level setpoint 50 -> 55 %
        _write(12.1, hmi, "write_register", 1, 700),  # pump speed 60 -> 70 %
        _write(15.1, hmi, "write_registers", 2, float_words(15.0)),  # outflow limit 15 m3/h
        Step(18.05, hmi, "read_input_registers", (0,), (("count", 3),), plant=((0, 600),)),
        _write(20.1, hmi, "write_register", 0, 600),  # 55 -> 60 %
        _write(25.1, hmi, "write_coil", 1, False),
        _write(28.1, hmi, "write_coil", 0, False),
        _write(32.1, hmi, "write_register", 0, 580),
        _write(35.1, hmi, "write_coil", 2, True),
        _write(36.6, hmi, "write_coils", 0, [True, True]),  # pump and inlet together
        _write(38.1, hmi, "write_coil", 2, False),
        _write(39.6, hmi, "write_coils", 0, [False, False]),
    ]
    return Scenario("normal", THURSDAY, sorted(hmi_polls(40) + events, key=lambda s: s.at))


def attack() -> Scenario:
    """Misuse among normal polling: each refused request says which rule must refuse it."""
    hmi, eng, bad = "hmi", "engineering", "attacker"
    events = [
        _write(2.1, hmi, "write_register", 0, 5000, expect="level_sp.max"),
        _write(4.1, hmi, "write_register", 0, 700, expect="level_sp.max_step"),
        _write(6.1, hmi, "write_register", 0, 550),
        _write(7.1, hmi, "write_register", 0, 600, expect="level_sp.max_rate"),
        _write(9.1, hmi, "write_coil", 1, True, expect="inlet-valve-needs-pump"),
        _write(10.1, hmi, "write_coil", 0, True),
        _write(10.35, hmi, "write_coil", 0, False, expect="pump_run.min_interval"),
        Step(12.05, hmi, "read_input_registers", (0,), (("count", 3),), plant=((0, 930),)),
        _write(13.1, hmi, "write_coil", 1, True, expect="inlet-valve-needs-pump"),
        Step(14.05, hmi, "read_input_registers", (0,), (("count", 3),), plant=((0, 500),)),
        _write(15.1, hmi, "diag_restart_communication", False, expect="default"),
        _write(16.1, hmi, "read_device_information", expect="default"),
        _write(17.1, eng, "diag_read_diagnostic_register", expect="default"),
        _write(17.2, eng, "write_register", 10, 850, expect="default"),
        _write(18.1, eng, "read_holding_registers", 0, count=4),
        _write(20.1, bad, "read_holding_registers", 0, count=4, expect="default"),
        _write(21.1, bad, "write_register", 1, 1000, expect="default"),
        _write(22.1, bad, "write_coil", 0, False, expect="default"),
        _write(23.1, hmi, "read_holding_registers", 4, count=6, expect="default"),
        _write(24.1, hmi, "write_register", 0, 580),
        _write(25.1, hmi, "write_registers", 2, float_words(80.0), expect="outflow_limit.max"),
        _write(
            26.1,
            hmi,
            "mask_write_register",
            address=1,
            and_mask=0,
            or_mask=1000,
            expect="pump_speed_sp.max_step",
        ),
    ]
    return Scenario("attack", THURSDAY, sorted(hmi_polls(30) + events, key=lambda s: s.at))


def maintenance() -> Scenario:
    """Engineering work inside the Saturday window is allowed; the same after it is not."""
    eng = "engineering"
    late = 3 * 3600 + 120.0  # 06:02, the window is over
    steps = [
        _write(0.1, eng, "read_holding_registers", 0, count=4),
        _write(0.2, eng, "read_holding_registers", 10, count=1),
        _write(1.1, eng, "read_device_information"),
        _write(1.2, eng, "report_device_id"),
        _write(2.1, eng, "diag_read_diagnostic_register"),
        _write(3.1, eng, "write_register", 10, 850),  # high alarm limit 90 -> 85 %
        _write(4.1, eng, "diag_restart_communication", False),
        _write(late, eng, "diag_read_diagnostic_register", expect="default"),
        _write(late + 1, eng, "write_register", 10, 900, expect="default"),
        _write(late + 2, eng, "read_holding_registers", 10, count=1),
    ]
    return Scenario("maintenance", SATURDAY_NIGHT, steps)


SCENARIOS: Final = {"normal": normal, "attack": attack, "maintenance": maintenance}


@dataclass
class Recording:
    """What crossed the relays: (role, direction, time, bytes) in order, and who connected."""

    chunks: list[tuple[str, int, float, bytes]] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    now: float = 0.0


class TankImage:
    """The process values the scenario drives; pymodbus keeps the writable ones itself."""

    def __init__(self) -> None:
        self.inputs = [450, 0, 0]
        self.discrete = [False, False]
        self.refusing = False

    async def action(
        self,
        function_code: int,
        start_address: int,
        address: int,
        count: int,
        registers: list[int],
        set_values: list[int] | list[bool] | None,
    ) -> ExcCodes | None:
        if self.refusing and set_values is not None:
            return ExcCodes.ILLEGAL_VALUE
        if function_code == 4:
            registers[0:3] = self.inputs
        elif function_code == 2:
            registers[0] = SimUtils.bitsToRegisters(self.discrete + [False] * 14)[0]
        return None


def _device(image: TankImage) -> SimDevice:
    holding = [500, 600, *float_words(12.5)]
    return SimDevice(
        id=1,
        simdata=(
            [SimData(0, count=16, values=False, datatype=DataType.BITS)],
            [SimData(0, count=16, values=False, datatype=DataType.BITS)],
            [
                SimData(0, values=holding, datatype=DataType.REGISTERS),
                SimData(10, values=900, datatype=DataType.REGISTERS),
            ],
            [SimData(0, count=3, values=0, datatype=DataType.REGISTERS)],
        ),
        action=image.action,
    )


async def _record(scenario: Scenario) -> Recording:
    recording = Recording(now=scenario.start)
    forget_device_identity()  # a server another test started must not answer for this one
    image = TankImage()
    server = ModbusTcpServer(_device(image), address=("127.0.0.1", 0))
    await server.serve_forever(background=True)
    server_port = server.transport.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    relays, clients = [], {}
    try:
        for role in dict.fromkeys(step.who for step in scenario.steps):
            relay = await asyncio.start_server(_relay(recording, role, server_port), "127.0.0.1", 0)
            relays.append(relay)
            client = AsyncModbusTcpClient(
                "127.0.0.1", port=relay.sockets[0].getsockname()[1], timeout=5, retries=0
            )
            recording.now = scenario.start - 1.0 + 0.01 * len(clients)
            if not await client.connect():
                raise RuntimeError(f"the {role} client could not connect")
            clients[role] = client
            await asyncio.sleep(0.02)  # the relay has accepted and recorded the connection
        for step in scenario.steps:
            for address, raw in step.plant:
                image.inputs[address] = raw
            recording.now = scenario.start + step.at
            image.refusing = step.expect is not None
            call = getattr(clients[step.who], step.call)
            with contextlib.suppress(ModbusException):
                await call(*step.args, device_id=1, **dict(step.kwargs))
    finally:
        for client in clients.values():
            client.close()
        await asyncio.sleep(0.05)
        for relay in relays:
            relay.close()
        await server.shutdown()
    return recording


def _relay(recording: Recording, role: str, server_port: int) -> Any:
    async def relay(c_reader: asyncio.StreamReader, c_writer: asyncio.StreamWriter) -> None:
        recording.roles.append(role)
        s_reader, s_writer = await asyncio.open_connection("127.0.0.1", server_port)

        async def pump(
            reader: asyncio.StreamReader, writer: asyncio.StreamWriter, way: int
        ) -> None:
            while data := await reader.read(65536):
                delay = ANSWER_DELAY if way else 0.0
                recording.chunks.append((role, way, recording.now + delay, data))
                writer.write(data)
                await writer.drain()
            writer.close()

        await asyncio.gather(pump(c_reader, s_writer, 0), pump(s_reader, c_writer, 1))

    return relay


def record(scenario: Scenario) -> bytes:
    """The scenario's capture, as pcap bytes."""
    recording = asyncio.run(_record(scenario))
    return _pcap(recording, scenario)


def _pcap(recording: Recording, scenario: Scenario) -> bytes:
    import io

    # In the scenario's order, not the relays' accept order: under load a relay's handler may
    # run after the next client has connected, and the capture must not depend on that.
    assert sorted(set(recording.roles)) == sorted({step.who for step in scenario.steps})
    conversations = {
        role: TcpConversation(*ROLES[role], *SERVER)
        for role in dict.fromkeys(step.who for step in scenario.steps)
    }
    frames: list[tuple[float, bytes]] = []
    for index, conversation in enumerate(conversations.values()):
        opened = scenario.start - 1.0 + 0.01 * index
        frames += [(opened + 0.0001 * k, p) for k, p in enumerate(conversation.handshake())]
    for role, way, ts, data in recording.chunks:
        frames.append((ts, conversations[role].data(way, data)))
    end = scenario.start + scenario.steps[-1].at + 1.0
    for conversation in conversations.values():
        frames += [(end + 0.0001 * k, p) for k, p in enumerate(conversation.close())]
    stream = io.BytesIO()
    with PcapWriter(stream) as writer:
        for ts, packet in frames:
            writer.write(ts, packet)
    return stream.getvalue()


def expectations(scenario: Scenario) -> Iterator[tuple[Step, str | None]]:
    for step in scenario.steps:
        yield step, step.expect


if __name__ == "__main__":
    for make in SCENARIOS.values():
        made = make()
        made.path.write_bytes(record(made))
        print(f"wrote {made.path} ({made.path.stat().st_size:,} bytes, {len(made.steps)} requests)")

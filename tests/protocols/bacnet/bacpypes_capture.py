"""A real BACnet/IP conversation for the golden files: a bacpypes3 device (with an analog
value and a binary value) and a bacpypes3 client on loopback, talking through a recording
UDP relay, written as a capture with fixed addresses (10.0.0.1 and 10.0.0.2, both on port
47808) and timestamps.

Regenerate tests/data/bacnet-bacpypes3.pcap and its golden outputs (then review the diff):
    .venv/bin/python tests/protocols/bacnet/bacpypes_capture.py
The client does Who-Is/I-Am, ReadProperty, ReadPropertyMultiple, WriteProperty with a
priority, a read of an object the device does not have (an Error) and a read of the device's
object list. bacpypes3 numbers invoke ids from a random start, so the relay renumbers them
from 1 (in requests and the answers alike) to keep the capture the same on every run.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import sys
from pathlib import Path
from typing import Final

from bacpypes3.apdu import ErrorRejectAbortNack
from bacpypes3.app import Application
from bacpypes3.argparse import SimpleArgumentParser
from bacpypes3.local.analog import AnalogValueObject
from bacpypes3.local.binary import BinaryValueObject
from bacpypes3.pdu import Address
from bacpypes3.primitivedata import ObjectIdentifier

from interlock.capture.writer import PcapWriter

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # tests/, when run as a script
from protocols.bacnet.frames import BASE_TS, CLIENT_IP, DATA, DEVICE_IP, STEP, udp_frame

CAPTURE: Final = DATA / "bacnet-bacpypes3.pcap"
DEVICE_INSTANCE: Final = 1001

Datagram = tuple[int, bytes]  # (0: client to device, 1: device to client), one BVLC unit


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _app(name: str, instance: int, port: int) -> Application:
    args = SimpleArgumentParser().parse_args(
        ["--name", name, "--instance", str(instance), "--address", f"127.0.0.1/32:{port}"]
    )
    return Application.from_args(args)


def _invoke_offset(data: bytes) -> int:
    """Offset of the invoke id in a BVLC/NPDU/APDU datagram, -1 when it has none."""
    if len(data) < 7 or data[0] != 0x81 or data[4] != 1 or data[5] & 0xA8:
        return -1
    kind = data[6] >> 4
    if kind == 0:
        return 8
    return 7 if 2 <= kind <= 7 else -1


class Relay:
    """Hands datagrams between client and device, renumbering invoke ids, recording each."""

    def __init__(self) -> None:
        self.datagrams: list[Datagram] = []
        self.ids: dict[int, int] = {}
        self.back: dict[int, int] = {}

    def renumber(self, direction: int, data: bytes) -> bytes:
        at = _invoke_offset(data)
        if at < 0:
            return data
        old = data[at]
        if direction == 0:
            new = self.ids.setdefault(old, len(self.ids) + 1)
            self.back[new] = old
        else:
            new = self.ids.get(old, old)
        return data[:at] + bytes([new]) + data[at + 1 :]

    def restore(self, direction: int, data: bytes) -> bytes:
        """What the receiving stack must see: its own invoke id back."""
        at = _invoke_offset(data)
        if at < 0 or direction == 0:
            return data
        return data[:at] + bytes([self.back.get(data[at], data[at])]) + data[at + 1 :]


async def _conversation(client: Application, device: Address) -> None:
    await client.who_is(DEVICE_INSTANCE, DEVICE_INSTANCE, address=device)
    device_id = ObjectIdentifier(f"device,{DEVICE_INSTANCE}")
    await client.read_property(device, device_id, "object-name")
    await client.read_property_multiple(
        device,
        [device_id, ["vendor-identifier", "model-name"], "analog-value,1", ["present-value"]],
    )
    await client.write_property(device, "analog-value,1", "present-value", 42.5, priority=8)
    await client.read_property(device, "analog-value,1", "present-value")
    with contextlib.suppress(ErrorRejectAbortNack):  # the Error PDU is what we came for
        await client.read_property(device, "analog-value,99", "present-value")
    await client.read_property(device, device_id, "object-list")


async def _record() -> list[Datagram]:
    client_port, device_port, relay_client, relay_device = (_free_port() for _ in range(4))
    device = _app("Boiler room controller", DEVICE_INSTANCE, device_port)
    device.add_object(
        AnalogValueObject(
            objectIdentifier="analog-value,1",
            objectName="Supply temperature setpoint",
            presentValue=21.0,
            units="degreesCelsius",
        )
    )
    device.add_object(
        BinaryValueObject(
            objectIdentifier="binary-value,1", objectName="Pump enable", presentValue="active"
        )
    )
    client = _app("Operator workstation", 2001, client_port)
    relay = Relay()
    loop = asyncio.get_running_loop()
    sockets: dict[int, asyncio.DatagramTransport] = {}

    class Side(asyncio.DatagramProtocol):
        def __init__(self, direction: int, target: tuple[str, int]) -> None:
            self.direction, self.target = direction, target

        def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
            data = relay.renumber(self.direction, data)
            relay.datagrams.append((self.direction, data))
            sockets[1 - self.direction].sendto(relay.restore(self.direction, data), self.target)

    sockets[0], _ = await loop.create_datagram_endpoint(
        lambda: Side(0, ("127.0.0.1", device_port)), local_addr=("127.0.0.1", relay_client)
    )
    sockets[1], _ = await loop.create_datagram_endpoint(
        lambda: Side(1, ("127.0.0.1", client_port)), local_addr=("127.0.0.1", relay_device)
    )
    try:
        await asyncio.wait_for(_conversation(client, Address(f"127.0.0.1:{relay_client}")), 20)
    finally:
        for transport in sockets.values():
            transport.close()
        client.close()
        device.close()
    return relay.datagrams


def write_frames(path: Path, datagrams: list[Datagram]) -> None:
    with path.open("wb") as stream, PcapWriter(stream) as writer:
        for n, (direction, data) in enumerate(datagrams):
            src, dst = (CLIENT_IP, DEVICE_IP) if direction == 0 else (DEVICE_IP, CLIENT_IP)
            writer.write(BASE_TS + n * STEP, udp_frame(src, dst, data, n + 1))


def write_capture(path: Path = CAPTURE) -> None:
    write_frames(path, asyncio.run(_record()))


if __name__ == "__main__":
    from tests_support import write_golden

    write_capture()
    write_golden(CAPTURE, "bacnet")

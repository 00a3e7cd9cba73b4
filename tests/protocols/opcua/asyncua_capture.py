"""A real OPC UA session for the golden files: an asyncua client and server (a pure-Python
OPC UA stack) talking through a recording relay on loopback, written as a capture on TCP
port 4840 with fixed addresses and timestamps.

The client opens a secure channel (policy None), asks for the endpoints, creates and
activates an anonymous session, browses the Objects folder, reads, writes, calls a
method, subscribes to a variable until one notification arrives, then closes the
session and the channel. A second connection replays parts of it split into chunks
(intermediate, final and abort chunks), which no stack on PyPI sends for small messages.

Regenerate tests/data/opcua-asyncua.pcap and its golden outputs (then review the diff):
    .venv/bin/python tests/protocols/opcua/asyncua_capture.py
The relay hands on whole chunks, one segment each. Timestamps, nonces and the session's
tokens come from the stack, so a new recording differs in those bytes; its sequence of
messages and services is the same (tests/protocols/opcua/test_golden.py checks that).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
import sys
import threading
from pathlib import Path
from typing import Any, Final

from asyncua import Client, Server, ua, uamethod

from interlock.capture.writer import PcapWriter
from interlock.protocols.opcua.transport import encode_chunk
from interlock.sim.tcp_frames import TcpConversation

Chunk = tuple[int, bytes]  # (0: client to server, 1: server to client), one UA chunk
BASE_TS: Final = 1_767_225_600.0  # 2026-01-01T00:00:00Z
STEP: Final = 0.004
DATA: Final = Path(__file__).resolve().parents[2] / "data"
CAPTURE: Final = DATA / "opcua-asyncua.pcap"
NAMESPACE: Final = "urn:interlock:tank-farm"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Relay:
    """Accepts one connection, connects on to the server, records whole UA chunks."""

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
        upstream = socket.create_connection(("127.0.0.1", self.server_port))
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
                while len(pending) >= 8 and len(pending) >= (
                    n := struct.unpack_from("<I", pending, 4)[0]
                ):
                    with self.lock:
                        self.chunks.append((direction, pending[:n]))
                        dst.sendall(pending[:n])
                    pending = pending[n:]
        with contextlib.suppress(OSError):
            dst.shutdown(socket.SHUT_WR)

    def close(self) -> None:
        self.listener.close()


@uamethod  # type: ignore[misc]
def _set_pump_speed(parent: Any, speed: float) -> float:
    return speed * 2


class _Notified:
    def __init__(self) -> None:
        self.event = asyncio.Event()

    def datachange_notification(self, node: Any, value: Any, data: Any) -> None:
        self.event.set()


async def _serve_and_run(server_port: int, relay: Relay) -> None:
    server = Server()
    await server.init()
    server.set_endpoint(f"opc.tcp://127.0.0.1:{server_port}/interlock/")
    server.set_server_name("Interlock tank farm")
    server.set_security_policy([ua.SecurityPolicyType.NoSecurity])
    idx = await server.register_namespace(NAMESPACE)
    tank = await server.nodes.objects.add_object(idx, "Tank1")
    level = await tank.add_variable(idx, "Level", 12.5)
    await level.set_writable()
    await tank.add_method(idx, "SetPumpSpeed", _set_pump_speed, [ua.VariantType.Double])
    async with server:
        await _client_script(f"opc.tcp://127.0.0.1:{relay.port}/interlock/", idx)


async def _client_script(url: str, idx: int) -> None:
    client = Client(url)
    await client.connect_socket()
    await client.send_hello()
    await client.open_secure_channel()
    await client.get_endpoints()
    await client.create_session()
    await client.activate_session()
    tank = await client.nodes.objects.get_child([f"{idx}:Tank1"])
    level = await tank.get_child([f"{idx}:Level"])
    await client.nodes.objects.get_children()
    await level.read_value()
    await level.write_value(ua.Variant(42.0, ua.VariantType.Double))
    method = await tank.get_child([f"{idx}:SetPumpSpeed"])
    await tank.call_method(method, 3.0)
    handler = _Notified()
    subscription = await client.create_subscription(50, handler)
    await subscription.subscribe_data_change(level)
    await asyncio.wait_for(handler.event.wait(), 10)
    await subscription.delete()
    await client.close_session()
    await client.close_secure_channel()
    client.disconnect_socket()


def record() -> list[Chunk]:
    """Run the session through the relay; return the chunks in the order they passed."""
    server_port = _free_port()
    relay = Relay(server_port)
    try:
        asyncio.run(_serve_and_run(server_port, relay))
        relay.thread.join(timeout=5)
    finally:
        relay.close()
    return relay.chunks


def _secure(
    msg_type: str, chunk_type: str, channel: int, seq: int, request: int, body: bytes
) -> bytes:
    head = struct.pack("<4I", channel, channel, seq, request)  # token id = channel id here
    return encode_chunk(msg_type, head + body, chunk_type)


def _service_body(chunks: list[Chunk], type_id: int) -> bytes:
    """The body of the first recorded MSG whose TypeId is the four-byte form of type_id."""
    wanted = struct.pack("<BBH", 1, 0, type_id)
    return next(c[24:] for _, c in chunks if c[:3] == b"MSG" and c[24:28] == wanted)


def chunked(chunks: list[Chunk]) -> list[Chunk]:
    """A second connection replaying the recorded handshake, then the recorded Read
    request split over three chunks (C, C, F), its response, a message aborted after its
    first chunk ('A' with an error code and reason), and CloseSecureChannel."""
    opening = [c for c in chunks if c[1][:3] in (b"HEL", b"ACK", b"OPN")]
    channel = struct.unpack_from("<I", opening[-1][1], 8)[0]
    read = _service_body(chunks, 631)
    answer = _service_body(chunks, 634)
    cut = (len(read) // 3, 2 * len(read) // 3)
    parts = (read[: cut[0]], read[cut[0] : cut[1]], read[cut[1] :])
    close = next(c[24:] for _, c in chunks if c[:3] == b"CLO")
    abort = struct.pack("<I", 0x80AC0000) + struct.pack("<i", 9) + b"cancelled"
    return [
        *opening,
        (0, _secure("MSG", "C", channel, 100, 100, parts[0])),
        (0, _secure("MSG", "C", channel, 101, 100, parts[1])),
        (0, _secure("MSG", "F", channel, 102, 100, parts[2])),
        (1, _secure("MSG", "F", channel, 100, 100, answer)),
        (0, _secure("MSG", "C", channel, 103, 101, read[:20])),
        (0, _secure("MSG", "A", channel, 104, 101, abort)),
        (0, _secure("CLO", "F", channel, 105, 102, close)),
    ]


def write_capture(path: Path, chunks: list[Chunk]) -> None:
    """The asyncua session, then the chunked replay, each on its own connection."""
    sessions = (
        (TcpConversation("10.20.0.7", 49152, "10.10.0.30", 4840), chunks),
        (TcpConversation("10.20.0.8", 49153, "10.10.0.30", 4840), chunked(chunks)),
    )
    packets: list[bytes] = []
    for conversation, exchanged in sessions:
        packets += conversation.handshake()
        packets += [conversation.data(direction, data) for direction, data in exchanged]
        packets += conversation.close()
    with open(path, "wb") as stream, PcapWriter(stream) as writer:
        for n, packet in enumerate(packets):
            writer.write(BASE_TS + n * STEP, packet)


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from tests_support import write_golden

    write_capture(CAPTURE, record())
    write_golden(CAPTURE, "opcua")


if __name__ == "__main__":
    main()

"""A real S7 session for the golden files: a python-snap7 client and server (a pure-Python
S7 stack) talking through a recording relay on loopback, written as a capture with fixed
addresses and timestamps, followed by a short S7comm-plus session built from Interlock's
own encoders.

Regenerate tests/data/s7comm-snap7.pcap and its golden outputs (then review the diff):
    .venv/bin/python tests/protocols/s7comm/snap7_capture.py
The relay hands on whole TPKT packets, one segment each, so the capture does not depend
on how the loopback happened to split the stream. The server's clock reply and its SZL
identity lists are replaced by fixed, real-format ones (snap7's own are not laid out as a
PLC's are).
"""

from __future__ import annotations

import contextlib
import datetime
import socket
import struct
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

from snap7.client import Client
from snap7.server import Server
from snap7.type import Block, SrvArea

from interlock.capture.writer import PcapWriter
from interlock.protocols.s7comm.cotp import CC, CR, encode_connect, encode_dt
from interlock.protocols.s7comm.tpkt import encode_tpkt
from interlock.protocols.s7comm_plus.frame import encode_fragment, encode_request
from interlock.sim.tcp_frames import TcpConversation

Chunk = tuple[int, bytes]  # (0: client to server, 1: server to client), one TPKT packet
BASE_TS: Final = 1_767_225_600.0  # 2026-01-01T00:00:00Z
STEP: Final = 0.004
DATA: Final = Path(__file__).resolve().parents[2] / "data"
CAPTURE: Final = DATA / "s7comm-snap7.pcap"
CLOCK: Final = datetime.datetime(2026, 1, 1, 12, 30, 45)

_ORDER_NUMBER: Final = b"6ES7 315-2EH14-0AB0 "
_COMPONENTS: Final = {
    1: b"Tank farm station",
    2: b"PLC_TANKS",
    3: b"TF-01",
    4: b"Original Siemens Equipment",
    5: b"S C-X4U421302009",
    7: b"CPU 315-2 PN/DP",
}


def _szl_0011() -> bytes:
    records = [
        struct.pack(">H", 1) + _ORDER_NUMBER + struct.pack(">HHH", 0x00C0, 3, 1),
        struct.pack(">H", 6) + _ORDER_NUMBER + struct.pack(">HHH", 0x00C0, 3, 1),
        struct.pack(">H", 7) + b" " * 20 + struct.pack(">HHH", 0x00C0, 0x5603, 0x0207),
    ]
    return struct.pack(">HH", 28, len(records)) + b"".join(records)


def _szl_001c() -> bytes:
    records = [struct.pack(">H", i) + text.ljust(32, b"\x00") for i, text in _COMPONENTS.items()]
    return struct.pack(">HH", 34, len(records)) + b"".join(records)


class RecordedServer(Server):  # type: ignore[misc]
    """snap7's server with PLC-shaped identity lists and a fixed clock."""

    def _get_szl_data(self, szl_id: int, szl_index: int) -> bytes | None:
        if szl_id == 0x0011:
            return _szl_0011()
        if szl_id == 0x001C:
            return _szl_001c()
        result: bytes | None = super()._get_szl_data(szl_id, szl_index)
        return result

    def _handle_get_clock(
        self, request: dict[str, Any], userdata_params: dict[str, Any], client_address: Any
    ) -> bytes:
        """The clock reply (snap7's TResDataGetTime, BCD) for the fixed CLOCK, not now."""
        bcd = [int(str(v), 16) for v in (20, CLOCK.year % 100, CLOCK.month, CLOCK.day)]
        bcd += [int(str(v), 16) for v in (CLOCK.hour, CLOCK.minute, CLOCK.second, 0)]
        stamp = bytes([0, *bcd, CLOCK.isoweekday() % 7 + 1])
        reply: bytes = self._build_userdata_success_response(request, userdata_params, stamp)
        return reply


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Relay:
    """Accepts one connection, connects on to the server, records whole TPKT packets."""

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
                while len(pending) >= 4 and len(pending) >= (n := (pending[2] << 8) | pending[3]):
                    with self.lock:
                        self.chunks.append((direction, pending[:n]))
                        dst.sendall(pending[:n])
                    pending = pending[n:]
        with contextlib.suppress(OSError):
            dst.shutdown(socket.SHUT_WR)

    def close(self) -> None:
        self.listener.close()


def _script(client: Client) -> None:
    """An engineering station identifying, reading, writing and reprogramming a CPU."""
    client.read_szl(0x0011, 0)
    client.read_szl(0x001C, 0)
    client.get_cpu_state()
    client.db_read(1, 0, 8)
    client.db_write(1, 2, bytearray(b"\x01\x02\x03\x04"))
    client.mb_read(10, 2)
    client.eb_read(0, 1)
    client.ab_write(0, bytearray(b"\xff"))
    client.list_blocks()
    client.set_plc_datetime(CLOCK)
    client.get_plc_datetime()
    client.set_session_password("secret")
    client.clear_session_password()
    client.plc_stop()
    client.plc_cold_start()
    client.plc_hot_start()
    with contextlib.suppress(Exception):
        client.upload(1)
    with contextlib.suppress(Exception):
        client.delete(Block.DB, 1)


def record(script: Callable[[Client], Any] = _script) -> list[Chunk]:
    """Run script against a snap7 server through the relay; return the TPKT packets."""
    server = RecordedServer(log=False)
    db1 = bytearray(range(64))
    for area, index, size in ((SrvArea.DB, 1, 0), (SrvArea.MK, 0, 64), (SrvArea.PE, 0, 16)):
        server.register_area(area, index, db1 if area == SrvArea.DB else bytearray(size))
    server.register_area(SrvArea.PA, 0, bytearray(16))
    server_port = _free_port()
    server.start(tcp_port=server_port)
    relay = Relay(server_port)
    client = Client()
    try:
        client.connect("127.0.0.1", 0, 2, tcp_port=relay.port)
        script(client)
    finally:
        with contextlib.suppress(Exception):
            client.disconnect()
        relay.thread.join(timeout=5)
        relay.close()
        server.stop()
    return relay.chunks


def plus_chunks() -> list[Chunk]:
    """An HMI and an S7-1500 speaking S7comm-plus, built with Interlock's own encoders (no
    stack on PyPI speaks it): session creation (V1), a read split over two fragments and
    its answer (V2), then an integrity-protected write and a notification (V3)."""
    cr = encode_tpkt(encode_connect(CR, b"\x01\x00", b"SIMATIC-ROOT-HMI"))
    cc = encode_tpkt(encode_connect(CC, b"\x01\x00", b"SIMATIC-ROOT-HMI", dst_ref=1))
    create = encode_fragment(1, encode_request(0x04CA, 1, 0x120, bytes(24)))
    created = encode_fragment(1, bytes.fromhex("32000004ca0000000136110287") + bytes(11))
    read = encode_request(0x054C, 2, 0x3BE, bytes(range(40)))
    answer = encode_fragment(2, bytes.fromhex("320000054c00000002340001") + bytes(8))
    digest = bytes((32,)) + bytes(range(100, 132))
    write = encode_fragment(3, digest + encode_request(0x04F2, 3, 0x3BE, bytes(12)))
    notify = encode_fragment(3, digest + bytes.fromhex("3370000e51040000000000c98ec148"))
    return [
        (0, cr),
        (1, cc),
        (0, dt(create)),
        (1, dt(created)),
        (0, dt(encode_fragment(2, read[:20], trailer=False))),
        (0, dt(encode_fragment(2, read[20:]))),
        (1, dt(answer)),
        (0, dt(write)),
        (1, dt(notify)),
    ]


def dt(payload: bytes) -> bytes:
    return encode_tpkt(encode_dt(payload))


def write_capture(path: Path, chunks: list[Chunk]) -> None:
    """The snap7 session, then the S7comm-plus one, each on its own connection."""
    sessions = (
        (TcpConversation("10.20.0.7", 49152, "10.10.0.20", 102), chunks),
        (TcpConversation("10.20.0.8", 49153, "10.10.0.21", 102), plus_chunks()),
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

    chunks = record()
    write_capture(CAPTURE, chunks)
    write_golden(CAPTURE, "s7comm")


if __name__ == "__main__":
    main()

"""The processes the gateway benchmark runs: a raw Modbus/TCP responder (the fast
upstream), a raw request/response client, and minimal relays in each I/O model.

Each runs as its own process so that none shares an interpreter (or a GIL) with another:

    python bench/gateway_peers.py responder PORT
    python bench/gateway_peers.py client PORT N [--warmup W] [--start-at T] [--pause S]  # JSON
    python bench/gateway_peers.py relay MODEL LISTEN_PORT UPSTREAM_PORT   # threads|asyncio|uvloop

The relays cut MBAP frames exactly as the gateway does and forward them unchanged: the
cost of the I/O model alone, without decision or audit, to choose the model by measurement.
"""

from __future__ import annotations

import asyncio
import json
import socket
import struct
import sys
import threading
import time
from typing import cast

REQUEST = struct.Struct(">HHHBBHH")


def frames(buf: bytearray) -> tuple[list[bytes], int]:
    out: list[bytes] = []
    pos, end = 0, len(buf)
    while end - pos >= 6:
        size = ((buf[pos + 4] << 8) | buf[pos + 5]) + 6
        if end - pos < size:
            break
        out.append(bytes(buf[pos : pos + size]))
        pos += size
    return out, pos


# -- the fast upstream -----------------------------------------------------------------------


def responder(port: int) -> None:
    """Answers FC 3 (registers hold their address) and echoes FC 6, pipelining included."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(64)
    while True:
        conn, _ = listener.accept()
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        threading.Thread(target=_answer, args=(conn,), daemon=True).start()


def _answer(conn: socket.socket) -> None:
    buf = bytearray()
    while data := conn.recv(65536):
        buf += data
        found, used = frames(buf)
        del buf[:used]
        out = []
        for frame in found:
            if frame[7] == 3:
                start, count = struct.unpack(">HH", frame[8:12])
                pdu = struct.pack(f">BB{count}H", 3, 2 * count, *range(start, start + count))
                out.append(frame[:4] + struct.pack(">HB", len(pdu) + 1, frame[6]) + pdu)
            else:
                out.append(frame)
        conn.sendall(b"".join(out))


# -- the client ------------------------------------------------------------------------------


def client(
    port: int, n: int, warmup: int, start_at: float = 0.0, pause: float = 0.0
) -> dict[str, float]:
    """n read requests one after another; per-transaction latency in ns, and the rate.
    start_at (a time.time()): connect, then wait for it, so that several clients started
    one after another run at once. pause: seconds to wait after each answer (a poller with
    a pace of its own, not one in a hurry)."""
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    time.sleep(max(0.0, start_at - time.time()))
    buf = bytearray(512)
    latencies: list[int] = []
    clock = time.perf_counter_ns
    started = 0
    for i in range(warmup + n):
        if i == warmup:
            started = clock()
        request = REQUEST.pack(i & 0xFFFF, 0, 6, 1, 3, 0, 2)
        t0 = clock()
        sock.sendall(request)
        got = 0
        while got < 13:  # MBAP 7 + FC, byte count, 2 registers
            got += sock.recv_into(memoryview(buf)[got:])
            if got == 0:
                raise ConnectionError("closed")
        if buf[7] != 3:
            raise RuntimeError(f"unexpected answer {bytes(buf[:got]).hex()}")
        if i >= warmup:
            latencies.append(clock() - t0)
        if pause:
            time.sleep(pause)
    wall = (clock() - started) / 1e9
    sock.close()
    latencies.sort()
    return {
        "n": n,
        "wall_s": wall,
        "tps": n / wall,
        "p50_us": latencies[n // 2] / 1000,
        "p99_us": latencies[min(n - 1, int(n * 0.99))] / 1000,
        "p999_us": latencies[min(n - 1, int(n * 0.999))] / 1000,
    }


# -- minimal relays, one per I/O model ---------------------------------------------------------


def relay_threads(listen: int, upstream: int) -> None:
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", listen))
    listener.listen(64)

    def pump(src: socket.socket, dst: socket.socket) -> None:
        buf = bytearray()
        while data := src.recv(65536):
            buf += data
            found, used = frames(buf)
            del buf[:used]
            for frame in found:
                dst.sendall(frame)

    while True:
        conn, _ = listener.accept()
        up = socket.create_connection(("127.0.0.1", upstream))
        for s in (conn, up):
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        threading.Thread(target=pump, args=(conn, up), daemon=True).start()
        threading.Thread(target=pump, args=(up, conn), daemon=True).start()


def relay_thread_per_connection(listen: int, upstream: int) -> None:
    """One thread per connection polling both sockets: no GIL handoff within a connection."""
    import select

    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", listen))
    listener.listen(64)

    def serve(conn: socket.socket, up: socket.socket) -> None:
        poller = select.poll()
        poller.register(conn, select.POLLIN)
        poller.register(up, select.POLLIN)
        peer = {conn.fileno(): (conn, up, bytearray()), up.fileno(): (up, conn, bytearray())}
        while True:
            for fd, _ in poller.poll():
                src, dst, buf = peer[fd]
                data = src.recv(65536)
                if not data:
                    return
                buf += data
                found, used = frames(buf)
                del buf[:used]
                for frame in found:
                    dst.sendall(frame)

    while True:
        conn, _ = listener.accept()
        up = socket.create_connection(("127.0.0.1", upstream))
        for s in (conn, up):
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        threading.Thread(target=serve, args=(conn, up), daemon=True).start()


def relay_asyncio(listen: int, upstream: int) -> None:
    """asyncio Protocols (its fastest API): callbacks, no coroutine per read."""

    class Upstream(asyncio.Protocol):
        def __init__(self, down: asyncio.Transport) -> None:
            self.down = down
            self.buf = bytearray()

        def data_received(self, data: bytes) -> None:
            self.buf += data
            found, used = frames(self.buf)
            del self.buf[:used]
            for frame in found:
                self.down.write(frame)

    class Downstream(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            # uvloop's transports are not asyncio.Transport subclasses, only alike.
            self.transport = cast(asyncio.Transport, transport)
            self.buf = bytearray()
            self.up: asyncio.Transport | None = None
            self.waiting: list[bytes] = []
            self.connecting = asyncio.ensure_future(self.connect())

        async def connect(self) -> None:
            loop = asyncio.get_running_loop()
            up, _ = await loop.create_connection(
                lambda: Upstream(self.transport), "127.0.0.1", upstream
            )
            self.up = up
            for frame in self.waiting:
                up.write(frame)

        def data_received(self, data: bytes) -> None:
            self.buf += data
            found, used = frames(self.buf)
            del self.buf[:used]
            for frame in found:
                if self.up is not None:
                    self.up.write(frame)
                else:
                    self.waiting.append(frame)

    async def main() -> None:
        server = await asyncio.get_running_loop().create_server(Downstream, "127.0.0.1", listen)
        await server.serve_forever()

    asyncio.run(main())


def main(argv: list[str]) -> None:
    role = argv[0]
    if role == "responder":
        responder(int(argv[1]))
    elif role == "client":
        warmup = int(argv[argv.index("--warmup") + 1]) if "--warmup" in argv else 1000
        start_at = float(argv[argv.index("--start-at") + 1]) if "--start-at" in argv else 0.0
        pause = float(argv[argv.index("--pause") + 1]) if "--pause" in argv else 0.0
        result = client(int(argv[1]), int(argv[2]), warmup, start_at, pause)
        print(json.dumps(result), flush=True)
    elif role == "relay":
        model, listen, upstream = argv[1], int(argv[2]), int(argv[3])
        if model == "threads":
            relay_threads(listen, upstream)
        elif model == "thread1":
            relay_thread_per_connection(listen, upstream)
        elif model == "asyncio":
            relay_asyncio(listen, upstream)
        elif model == "uvloop":
            import uvloop  # type: ignore[import-not-found]

            uvloop.install()
            relay_asyncio(listen, upstream)
        else:
            raise SystemExit(f"unknown I/O model {model}")
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])

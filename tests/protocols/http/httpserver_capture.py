"""A real HTTP/1.1 session for the golden files: Python's http.client talking to an
http.server on loopback through a recording relay, written as a capture showing server
port 80, with fixed addresses, ports and timestamps.

Regenerate tests/data/http-stdlib.pcap and its golden outputs (then review the diff):
    .venv/bin/python tests/protocols/http/httpserver_capture.py
The relay records each direction's bytes; consecutive bytes of one direction (one turn of
the conversation) are then cut into segments of at most SEGMENT bytes, so the capture
does not depend on how loopback split the stream. The server's Date and Server headers
are fixed. The session: a GET, a POST whose body spans several segments, a chunked
response, a 404, two pipelined GETs in one segment answered back to back, a HEAD, a
request with Basic credentials (flagged, never shown), a PUT answered 201.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Final

from interlock.capture.writer import PcapWriter
from interlock.sim.tcp_frames import TcpConversation

DATA: Final = Path(__file__).resolve().parents[2] / "data"
CAPTURE: Final = DATA / "http-stdlib.pcap"
BASE_TS: Final = 1_767_225_600.0
STEP: Final = 0.004
SEGMENT: Final = 600
PAGE: Final = b"<html><body><h1>Pump station 4</h1><p>All pumps running.</p></body></html>\n"


class Handler(BaseHTTPRequestHandler):
    """A small device web server: pages, a JSON API, uploads and a chunked event log."""

    protocol_version = "HTTP/1.1"
    server_version = "PlantHTTP/1.0"
    sys_version = ""

    def date_time_string(self, timestamp: float | None = None) -> str:
        return "Thu, 01 Jan 2026 00:00:00 GMT"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(self, code: int, body: bytes, kind: str = "text/html; charset=utf-8") -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self) -> None:
        if self.path == "/events":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for line in (b"pump1 start\n", b"pump2 start\n" * 40, b"valve7 open\n"):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(line), line))
            self.wfile.write(b"0\r\n\r\n")
        elif self.path in ("/", "/status"):
            self._send(200, PAGE)
        elif self.path == "/api/tags":
            self.send_response(200)
            self.send_header("Set-Cookie", "session=s3cr3t-token; HttpOnly")
            body = b'{"tags": ["PT101", "FT202"]}'
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self._send(404, b"<html><body>Not found</body></html>\n")

    do_HEAD = do_GET

    def _receive(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length", "0")))

    def do_POST(self) -> None:
        received = self._receive()
        self._send(200, b'{"stored": %d}' % len(received), "application/json")

    def do_PUT(self) -> None:
        self._receive()
        self._send(201, b"", "text/plain")


Turn = tuple[int, bytes]  # (0 client to server, 1 server to client), one turn's bytes


class Relay:
    """Accepts one connection, connects on to the server, records each direction's bytes
    in the order the turns happen."""

    def __init__(self, server_port: int) -> None:
        self.server_port = server_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.listener.getsockname()[1]
        self.recorded: list[Turn] = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        client, _ = self.listener.accept()
        upstream = socket.create_connection(("127.0.0.1", self.server_port))
        pumps = [
            threading.Thread(target=self._pump, args=(client, upstream, 0)),
            threading.Thread(target=self._pump, args=(upstream, client, 1)),
        ]
        for pump in pumps:
            pump.start()
        for pump in pumps:
            pump.join()
        upstream.close()
        client.close()

    def _pump(self, src: socket.socket, dst: socket.socket, direction: int) -> None:
        with contextlib.suppress(OSError):
            while data := src.recv(65536):
                with self.lock:
                    if self.recorded and self.recorded[-1][0] == direction:
                        self.recorded[-1] = (direction, self.recorded[-1][1] + data)
                    else:
                        self.recorded.append((direction, data))
                    dst.sendall(data)
        with contextlib.suppress(OSError):
            dst.shutdown(socket.SHUT_WR)


HEADERS: Final = {
    "Host": "plc.plant.example",
    "User-Agent": "PlantScada/2.1 (http.client)",
    "Accept": "*/*",
}


def _exchange(conn: http.client.HTTPConnection, method: str, path: str, **kw: object) -> None:
    conn.request(method, path, headers={**HEADERS, **kw.pop("headers", {})}, **kw)  # type: ignore[arg-type]
    conn.getresponse().read()


def _pipelined(port: int) -> None:
    """Two GETs written at once on a fresh connection (http.client does not pipeline)."""
    with socket.create_connection(("127.0.0.1", port)) as sock:
        requests = b"".join(
            b"GET %s HTTP/1.1\r\nHost: plc.plant.example\r\nUser-Agent: PlantScada/2.1 (pipelined)\r\n\r\n"
            % path
            for path in (b"/status", b"/api/tags")
        )
        sock.sendall(requests)
        received = b""
        while received.count(b"HTTP/1.1 200") < 2 or not received.endswith(b"]}"):
            received += sock.recv(65536)
        sock.shutdown(socket.SHUT_WR)
        while sock.recv(65536):
            pass


def record() -> list[list[Turn]]:
    """Run the session through relays (one per connection); return each one's turns."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    relays = [Relay(server.server_address[1]) for _ in range(2)]
    try:
        conn = http.client.HTTPConnection("127.0.0.1", relays[0].port)
        _exchange(conn, "GET", "/")
        _exchange(
            conn,
            "POST",
            "/api/recipes",
            body=b"recipe=" + b"x" * 1500,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        _exchange(conn, "GET", "/events")
        _exchange(conn, "GET", "/missing")
        _exchange(conn, "HEAD", "/status")
        _exchange(conn, "GET", "/admin", headers={"Authorization": "Basic YWRtaW46cGFzc3dvcmQ="})
        _exchange(
            conn,
            "PUT",
            "/api/setpoints/PT101",
            body=b'{"value": 4.2}',
            headers={"Content-Type": "application/json"},
        )
        conn.sock.shutdown(socket.SHUT_WR)
        relays[0].thread.join(timeout=5)
        conn.close()
        _pipelined(relays[1].port)
        relays[1].thread.join(timeout=5)
    finally:
        server.shutdown()
        server.server_close()
        for relay in relays:
            relay.listener.close()
    return [relay.recorded for relay in relays]


def write_capture(path: Path, sessions: list[list[Turn]]) -> None:
    packets: list[bytes] = []
    for n, turns in enumerate(sessions):
        conversation = TcpConversation("10.20.0.7", 49200 + n, "10.20.0.80", 80)
        packets += conversation.handshake()
        for direction, data in turns:
            for cut in range(0, len(data), SEGMENT):
                packets.append(conversation.data(direction, data[cut : cut + SEGMENT]))
        packets += conversation.close()
    with open(path, "wb") as stream, PcapWriter(stream) as writer:
        for n, packet in enumerate(packets):
            writer.write(BASE_TS + n * STEP, packet)


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from tests_support import write_golden

    write_capture(CAPTURE, record())
    write_golden(CAPTURE, "http")


if __name__ == "__main__":
    main()

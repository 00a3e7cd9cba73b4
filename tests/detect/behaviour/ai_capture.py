"""Shadow-AI traffic from an OT host, as a capture written at test time (never committed).

Real stacks make every byte: dnspython builds the DNS query for a cloud AI endpoint and
its answer; Python's ssl module writes a TLS ClientHello naming another in its SNI; and
http.client talks to an http.server that answers like Ollama's API (/api/tags,
/api/generate) on loopback through a recording relay. The capture shows fixed addresses:
the OT host 10.10.2.15, the resolver 10.10.0.53, a model server 10.10.3.7:11434, and a
TLS endpoint 203.0.113.80:443.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Final

import dns.message
import dns.rrset

from interlock.capture.writer import PcapWriter
from interlock.sim.tcp_frames import TcpConversation
from protocols.dns.dnspython_capture import udp_frame
from protocols.http.httpserver_capture import Relay

OT_HOST: Final = "10.10.2.15"
RESOLVER: Final = "10.10.0.53"
MODEL_SERVER: Final = "10.10.3.7"
TLS_ENDPOINT: Final = "203.0.113.80"
LOOKED_UP: Final = "api.openai.com"
SNI: Final = "api.anthropic.com"
BASE_TS: Final = 1_767_225_600.0


class Ollama(BaseHTTPRequestHandler):
    """Answers the two calls a script makes to a local Ollama."""

    protocol_version = "HTTP/1.1"
    server_version = "ollama"
    sys_version = ""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _json(self, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self._json({"models": [{"name": "llama3.2:3b"}]})

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self._json(
            {"model": "llama3.2:3b", "response": "Pump P-101 trend looks normal.", "done": True}
        )


def ollama_turns() -> list[tuple[int, bytes]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Ollama)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    relay = Relay(server.server_address[1])
    try:
        conn = http.client.HTTPConnection("127.0.0.1", relay.port)
        for method, path, body in (
            ("GET", "/api/tags", None),
            ("POST", "/api/generate", b'{"model": "llama3.2:3b", "prompt": "PT-101 trend?"}'),
        ):
            conn.request(method, path, body=body, headers={"Host": f"{MODEL_SERVER}:11434"})
            conn.getresponse().read()
        conn.close()
        relay.thread.join(timeout=5)
    finally:
        server.shutdown()
        server.server_close()
        relay.listener.close()
    return relay.recorded


def client_hello(server_name: str) -> bytes:
    """The first flight of a real TLS client (Python's ssl) connecting to server_name."""
    context = ssl.create_default_context()
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = context.wrap_bio(incoming, outgoing, server_hostname=server_name)
    with contextlib.suppress(ssl.SSLWantReadError):
        tls.do_handshake()
    return outgoing.read()


def dns_exchange(name: str) -> tuple[bytes, bytes]:
    query = dns.message.make_query(name, "A")
    query.id = 0x4242
    answer = dns.message.make_response(query)
    answer.answer.append(dns.rrset.from_text(name + ".", 60, "IN", "A", TLS_ENDPOINT))
    return query.to_wire(), answer.to_wire()


def write(path: Path) -> None:
    query, answer = dns_exchange(LOOKED_UP)
    packets = [
        udp_frame(OT_HOST, 53000, RESOLVER, 53, query, 1),
        udp_frame(RESOLVER, 53, OT_HOST, 53000, answer, 2),
    ]
    tls = TcpConversation(OT_HOST, 51000, TLS_ENDPOINT, 443)
    packets += [*tls.handshake(), tls.data(0, client_hello(SNI)), *tls.close()]
    http = TcpConversation(OT_HOST, 51001, MODEL_SERVER, 11434)
    packets += http.handshake()
    packets += [http.data(direction, data) for direction, data in ollama_turns()]
    packets += http.close()
    with path.open("wb") as stream, PcapWriter(stream) as writer:
        for n, packet in enumerate(packets):
            writer.write(BASE_TS + n * 0.01, packet)

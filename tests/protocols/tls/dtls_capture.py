"""A real DTLS capture for the golden files: the openssl command (OpenSSL's own DTLS 1.2
server and client) on 127.0.0.1, through a recording UDP relay, written as a capture on
CoAP's DTLS port 5684 with fixed addresses and timestamps.

The server is given a small MTU so that its Certificate goes out in several handshake
fragments (RFC 6347 4.2.3), and it answers the first ClientHello with a
HelloVerifyRequest (cookie exchange). The certificate chain is ssl_capture's
deterministic one; OpenSSL's randoms are not deterministic, so the committed capture is
generated once and the golden tests compare its outputs. Regenerate (and review the
diff) with
    .venv/bin/python tests/protocols/tls/dtls_capture.py
which writes tests/data/tls-dtls.pcap, its .dissect.jsonl and .transactions.jsonl and,
with tshark, tls-dtls.wireshark-fields.tsv (every DTLS record, DTLS_FIELDS columns).
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Final

from interlock.capture.writer import PcapWriter

DATA: Final = Path(__file__).resolve().parents[2] / "data"
CAPTURE: Final = DATA / "tls-dtls.pcap"
BASE_TS: Final = 1_767_229_200.0  # 2026-01-01T01:00:00Z
STEP: Final = 0.002
CLIENT: Final = ("10.10.2.30", 50200)
SERVER: Final = ("10.10.2.8", 5684)
DTLS_FIELDS: Final = (
    "dtls.record.content_type", "dtls.record.version", "dtls.record.epoch",
    "dtls.record.sequence_number", "dtls.record.length", "dtls.handshake.type",
    "dtls.handshake.length", "dtls.handshake.message_seq", "dtls.handshake.fragment_offset",
    "dtls.handshake.fragment_length", "dtls.handshake.version", "dtls.handshake.cookie_length",
    "dtls.handshake.ciphersuite", "dtls.handshake.extensions_server_name",
    "dtls.handshake.extensions_supported_group", "dtls.handshake.ja3", "dtls.handshake.ja3s",
    "dtls.alert_message.level", "dtls.alert_message.desc", "dtls.handshake.sig_hash_alg",
    "dtls.handshake.extension.type", "dtls.handshake.server_named_curve",
    "dtls.handshake.session_ticket_lifetime_hint", "dtls.handshake.ja3_full",
    "dtls.handshake.certificate_length",
)  # fmt: skip

Datagram = tuple[int, bytes]  # (0: client to server, 1: server to client)


class UdpRelay:
    """Forwards datagrams between one client and the server, recording each."""

    def __init__(self, server_port: int) -> None:
        self.server = ("127.0.0.1", server_port)
        self.front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.front.bind(("127.0.0.1", 0))
        self.back = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.back.bind(("127.0.0.1", 0))
        self.port: int = self.front.getsockname()[1]
        self.client: tuple[str, int] | None = None
        self.datagrams: list[Datagram] = []
        self.lock = threading.Lock()
        self.running = True
        self.threads = [
            threading.Thread(target=self._pump, args=(self.front, 0), daemon=True),
            threading.Thread(target=self._pump, args=(self.back, 1), daemon=True),
        ]
        for thread in self.threads:
            thread.start()

    def _pump(self, sock: socket.socket, direction: int) -> None:
        sock.settimeout(0.2)
        while self.running:
            try:
                data, sender = sock.recvfrom(65536)
            except TimeoutError:
                continue
            except OSError:
                return
            with self.lock:
                self.datagrams.append((direction, data))
                if direction == 0:
                    self.client = sender
                    self.back.sendto(data, self.server)
                elif self.client is not None:
                    self.front.sendto(data, self.client)

    def close(self) -> None:
        self.running = False
        for thread in self.threads:
            thread.join(timeout=5)
        self.front.close()
        self.back.close()


def _free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def record_session(workdir: Path) -> list[Datagram]:
    from protocols.tls.ssl_capture import SERVER_NAME, make_chain

    chain, key, ca = make_chain(0x1A7E_C0DE_5EC0_0001)
    (workdir / "chain.pem").write_bytes(chain)
    (workdir / "key.pem").write_bytes(key)
    (workdir / "ca.pem").write_bytes(ca)
    port = _free_udp_port()
    server = subprocess.Popen(
        ["openssl", "s_server", "-dtls1_2", "-accept", f"127.0.0.1:{port}", "-mtu", "400",
         "-cert", str(workdir / "chain.pem"), "-key", str(workdir / "key.pem"),
         "-cert_chain", str(workdir / "chain.pem"), "-quiet", "-naccept", "1"],
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    time.sleep(0.5)
    relay = UdpRelay(port)
    try:
        client = subprocess.Popen(
            ["openssl", "s_client", "-dtls1_2", "-connect", f"127.0.0.1:{relay.port}",
             "-servername", SERVER_NAME, "-CAfile", str(workdir / "ca.pem")],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        time.sleep(1.0)
        assert client.stdin is not None
        client.stdin.write(b"GET /sensors/temp\n")
        client.stdin.flush()
        time.sleep(0.5)
        client.stdin.close()  # end of input: the client sends close_notify and quits
        try:
            client.wait(timeout=10)
        finally:
            if client.poll() is None:
                client.kill()
                client.wait()
    finally:
        with contextlib.suppress(ProcessLookupError):
            server.terminate()
        server.wait(timeout=10)
        time.sleep(0.3)
        relay.close()
    return relay.datagrams


def _checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\x00"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def udp_frame(direction: int, payload: bytes, ip_id: int) -> bytes:
    """Ethernet, IPv4 and UDP around payload (UDP checksum left 0, as IPv4 allows)."""
    (src, sport), (dst, dport) = (CLIENT, SERVER) if direction == 0 else (SERVER, CLIENT)
    udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0)
    ip = struct.pack(
        "!BBHHHBBH4s4s", 0x45, 0, 28 + len(payload), ip_id, 0x4000, 64, 17, 0,
        socket.inet_aton(src), socket.inet_aton(dst),
    )  # fmt: skip
    ip = ip[:10] + struct.pack("!H", _checksum(ip)) + ip[12:]
    macs = bytes.fromhex("02005e100001") + bytes.fromhex("02005e100002")
    if direction:
        macs = macs[6:] + macs[:6]
    return macs + b"\x08\x00" + ip + udp + payload


def write_capture(path: Path, datagrams: list[Datagram]) -> None:
    with path.open("wb") as fh:
        writer = PcapWriter(fh)
        for number, (direction, payload) in enumerate(datagrams):
            writer.write(BASE_TS + number * STEP, udp_frame(direction, payload, number + 1))


def write_wireshark_fields(capture: Path) -> None:
    if shutil.which("tshark") is None:
        return
    columns = [arg for name in ("frame.number", *DTLS_FIELDS) for arg in ("-e", name)]
    command = ["tshark", "-n", "-r", str(capture), "-Y", "dtls", "-T", "fields"]
    command += ["-E", "header=y", "-E", "separator=/t", "-E", "occurrence=a"]
    command += ["-E", "aggregator=,", *columns]
    out = subprocess.run(command, check=True, capture_output=True).stdout
    capture.with_name(capture.stem + ".wireshark-fields.tsv").write_bytes(out)


def main() -> None:
    tests = Path(__file__).resolve().parents[2]
    sys.path.insert(0, str(tests))
    from tests_support import write_golden

    if "--outputs" not in sys.argv:
        with tempfile.TemporaryDirectory() as workdir:
            datagrams = record_session(Path(workdir))
        write_capture(CAPTURE, datagrams)
    write_golden(CAPTURE)
    write_wireshark_fields(CAPTURE)


if __name__ == "__main__":
    main()

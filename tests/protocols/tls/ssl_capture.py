"""A real TLS capture for the golden files: Python's ssl module (OpenSSL) as server and
client on 127.0.0.1, talking through a recording relay, written as a capture with fixed
addresses, port 443 and fixed timestamps.

Sessions: a TLS 1.2 handshake (the certificate chain in clear) with SNI and ALPN and one
request and reply; a TLS 1.3 handshake with the same; a TLS 1.3 handshake that needs a
HelloRetryRequest (the server accepts only secp384r1); a TLS 1.2 client that does not
trust the server's CA and aborts with a fatal alert in clear.

The certificates are our own, made here with ``cryptography`` from fixed keys, serials
and dates and signed with deterministic ECDSA (RFC 6979), so they are the same on every
run. OpenSSL's randoms and key shares are not: the committed capture is generated once,
and the golden tests compare the outputs of the committed capture. Regenerate (then
review the diff) with
    .venv/bin/python tests/protocols/tls/ssl_capture.py
which writes tests/data/tls-ssl.pcap, tls-ssl.dissect.jsonl, tls-ssl.transactions.jsonl
and, when tshark is installed, tls-ssl.wireshark.tsv (the corpus columns, from
make_truth.sh) and tls-ssl.wireshark-fields.tsv (every TLS record, with the WIRESHARK_FIELDS
columns). With ``--outputs`` it keeps the committed capture and rewrites only the outputs.
"""

from __future__ import annotations

import contextlib
import datetime
import ipaddress
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Final

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from interlock.capture.writer import PcapWriter
from interlock.sim.tcp_frames import TcpConversation

DATA: Final = Path(__file__).resolve().parents[2] / "data"
CAPTURE: Final = DATA / "tls-ssl.pcap"
BASE_TS: Final = 1_767_225_600.0  # 2026-01-01T00:00:00Z
STEP: Final = 0.002
SEGMENT: Final = 536
"""Largest TCP payload written per frame (a record longer than that spans frames)."""
SERVER_NAME: Final = "plc-gateway.interlock.test"
CLIENT_IP, SERVER_IP = "10.10.1.20", "10.10.1.5"
NOT_BEFORE: Final = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
NOT_AFTER: Final = datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC)

WIRESHARK_FIELDS: Final = (
    "tls.record.content_type", "tls.record.opaque_type", "tls.record.version",
    "tls.record.length", "tls.handshake.type", "tls.handshake.length",
    "tls.handshake.version", "tls.handshake.extensions_server_name",
    "tls.handshake.ciphersuite", "tls.handshake.extensions_supported_group",
    "tls.handshake.extensions_key_share_group",
    "tls.handshake.extensions_key_share_selected_group", "tls.handshake.extensions_alpn_str",
    "tls.handshake.extensions.supported_version", "tls.handshake.ja3", "tls.handshake.ja3_full",
    "tls.handshake.ja3s", "tls.handshake.ja3s_full", "tls.alert_message.level",
    "tls.alert_message.desc", "tls.handshake.sig_hash_alg", "tls.handshake.server_named_curve",
    "tls.handshake.comp_method", "tls.handshake.extension.type",
    "tls.handshake.session_ticket_lifetime_hint", "tls.handshake.session_ticket_length",
    "tls.handshake.session_id_length", "tls.handshake.extensions_ec_point_format",
    "tls.handshake.certificate_length", "tls.handshake.cert_type",
)  # fmt: skip
"""Wireshark 4.0 fields the agreement test compares on every record."""

Chunk = tuple[int, bytes]  # (0: client to server, 1: server to client), what recv() gave


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Interlock Test"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def make_chain(secret: int, ca_name: str = "Interlock Test CA") -> tuple[bytes, bytes, bytes]:
    """(server certificate PEM + CA certificate PEM, server key PEM, CA certificate PEM)
    from fixed private scalars: the same bytes on every run."""
    ca_key = ec.derive_private_key(secret, ec.SECP384R1())
    key = ec.derive_private_key(secret + 1, ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name(ca_name))
        .issuer_name(_name(ca_name))
        .public_key(ca_key.public_key())
        .serial_number(0x1C0FFEE)
        .not_valid_before(NOT_BEFORE)
        .not_valid_after(NOT_AFTER)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(ca_key, hashes.SHA384(), ecdsa_deterministic=True)
    )
    leaf = (
        x509.CertificateBuilder()
        .subject_name(_name(SERVER_NAME))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(0x5EED0001)
        .not_valid_before(NOT_BEFORE)
        .not_valid_after(NOT_AFTER)
        .add_extension(
            x509.SubjectAlternativeName(
                [
                    x509.DNSName(SERVER_NAME),
                    x509.IPAddress(ipaddress.ip_address(SERVER_IP)),
                ]
            ),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256(), ecdsa_deterministic=True)
    )
    pem = serialization.Encoding.PEM
    key_pem = key.private_bytes(
        pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    ca_pem = ca.public_bytes(pem)
    return leaf.public_bytes(pem) + ca_pem, key_pem, ca_pem


class Relay:
    """Accepts one connection, connects on to the server, records what each side sent."""

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
        client.close()
        upstream.close()

    def _pump(self, src: socket.socket, dst: socket.socket, direction: int) -> None:
        with contextlib.suppress(OSError):
            while data := src.recv(65536):
                with self.lock:
                    self.chunks.append((direction, data))
                    dst.sendall(data)
        with contextlib.suppress(OSError):
            dst.shutdown(socket.SHUT_WR)

    def close(self) -> None:
        self.thread.join(timeout=10)
        self.listener.close()


def _serve_one(listener: socket.socket, context: ssl.SSLContext) -> None:
    conn, _ = listener.accept()
    with (
        contextlib.suppress(ssl.SSLError, OSError),
        context.wrap_socket(conn, server_side=True) as tls,
    ):
        request = tls.recv(4096)
        if request:
            tls.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
            tls.recv(4096)  # until the client closes
    conn.close()


def session(
    server_context: ssl.SSLContext, client_context: ssl.SSLContext, server_name: str
) -> list[Chunk]:
    """One connection through the relay; the chunks each side sent, in order."""
    listener = socket.create_server(("127.0.0.1", 0))
    server = threading.Thread(target=_serve_one, args=(listener, server_context), daemon=True)
    server.start()
    relay = Relay(listener.getsockname()[1])
    with contextlib.suppress(ssl.SSLError, OSError):
        raw = socket.create_connection(("127.0.0.1", relay.port))
        with client_context.wrap_socket(raw, server_hostname=server_name) as tls:
            tls.sendall(b"GET /status HTTP/1.1\r\nHost: " + server_name.encode() + b"\r\n\r\n")
            tls.recv(4096)
    raw.close()
    server.join(timeout=10)
    relay.close()
    listener.close()
    return relay.chunks


def _contexts(
    files: dict[str, Path], version: ssl.TLSVersion
) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(files["chain"], files["key"])
    server.set_alpn_protocols(["h2", "http/1.1"])
    server.maximum_version = version
    client = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    client.load_verify_locations(files["ca"])
    client.set_alpn_protocols(["h2", "http/1.1"])
    client.maximum_version = version
    return server, client


def record_sessions(workdir: Path) -> list[list[Chunk]]:
    chain, key, ca = make_chain(0x1A7E_C0DE_5EC0_0001)
    _other_chain, _other_key, other_ca = make_chain(0x0BAD_C0DE_0000_0002, "Another CA")
    files = {"chain": workdir / "chain.pem", "key": workdir / "key.pem", "ca": workdir / "ca.pem"}
    files["chain"].write_bytes(chain)
    files["key"].write_bytes(key)
    files["ca"].write_bytes(ca)
    (workdir / "other.pem").write_bytes(other_ca)
    sessions = []
    server, client = _contexts(files, ssl.TLSVersion.TLSv1_2)
    sessions.append(session(server, client, SERVER_NAME))
    server, client = _contexts(files, ssl.TLSVersion.TLSv1_3)
    sessions.append(session(server, client, SERVER_NAME))
    server, client = _contexts(files, ssl.TLSVersion.TLSv1_3)
    server.set_ecdh_curve("secp384r1")  # the client's first key share (x25519) will not do
    sessions.append(session(server, client, SERVER_NAME))
    server, _client = _contexts(files, ssl.TLSVersion.TLSv1_2)
    untrusting = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    untrusting.load_verify_locations(workdir / "other.pem")
    untrusting.maximum_version = ssl.TLSVersion.TLSv1_2
    sessions.append(session(server, untrusting, SERVER_NAME))
    return sessions


def write_capture(path: Path, sessions: list[list[Chunk]]) -> None:
    ts = BASE_TS
    with path.open("wb") as fh:
        writer = PcapWriter(fh)
        for number, chunks in enumerate(sessions):
            conversation = TcpConversation(CLIENT_IP, 50100 + number, SERVER_IP, 443)
            frames = list(conversation.handshake())
            for direction, data in chunks:
                for at in range(0, len(data), SEGMENT):
                    frames.append(conversation.data(direction, data[at : at + SEGMENT]))
            frames += conversation.close()
            for frame in frames:
                writer.write(ts, frame)
                ts += STEP


def write_wireshark_fields(capture: Path) -> None:
    """tshark 4.0's values of WIRESHARK_FIELDS for every frame with TLS in it."""
    if shutil.which("tshark") is None:
        return
    columns = [arg for name in ("frame.number", *WIRESHARK_FIELDS) for arg in ("-e", name)]
    command = ["tshark", "-n", "-r", str(capture), "-Y", "tls", "-T", "fields"]
    command += ["-E", "header=y", "-E", "separator=/t", "-E", "occurrence=a"]
    command += ["-E", "aggregator=,", *columns]
    out = subprocess.run(command, check=True, capture_output=True).stdout
    capture.with_name(capture.stem + ".wireshark-fields.tsv").write_bytes(out)


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from tests_support import write_golden

    if "--outputs" not in sys.argv:
        with tempfile.TemporaryDirectory() as workdir:
            sessions = record_sessions(Path(workdir))
        write_capture(CAPTURE, sessions)
    write_golden(CAPTURE, "tls")
    write_wireshark_fields(CAPTURE)


if __name__ == "__main__":
    main()

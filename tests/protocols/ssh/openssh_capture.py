"""A real OpenSSH client (the machine's /usr/bin/ssh) key-exchanging with a scripted
server on loopback, recorded into tests/data/ssh-openssh.pcap with port 22.

Honest about what is real: every byte the client sends is OpenSSH's own (its
identification, its KEXINIT offering sntrup761x25519-sha512@openssh.com, its
KEX_ECDH_INIT, NEWKEYS and its first encrypted packets). The server is this script: its
identification line and KEXINIT are crafted to look like a current OpenSSH server
(offering mlkem768x25519-sha256 first, which the 9.2 client does not know, so
curve25519-sha256 is agreed), and it completes a real curve25519 key exchange with an
Ed25519 host key made with ``cryptography``, so that the client sends NEWKEYS and goes
on encrypted. The server then stops answering; the client gives up.

Regenerate (keys and cookies are random: the capture changes, review the diff):
    PYTHONPATH=src .venv/bin/python tests/protocols/ssh/openssh_capture.py
"""

from __future__ import annotations

import hashlib
import shutil
import struct
import subprocess
import sys
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from interlock.sim.tcp_frames import TcpConversation
from protocols.remote_access.recording import (
    DATA,
    Conversation,
    ScriptedServer,
    write_capture,
)

CAPTURE = DATA / "ssh-openssh.pcap"
SERVER_ID = b"SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13.5"
SERVER_LISTS = (
    b"mlkem768x25519-sha256,curve25519-sha256,curve25519-sha256@libssh.org,"
    b"ext-info-s,kex-strict-s-v00@openssh.com",
    b"ssh-ed25519",
    b"chacha20-poly1305@openssh.com,aes128-gcm@openssh.com,aes256-gcm@openssh.com,aes128-ctr",
    b"chacha20-poly1305@openssh.com,aes128-gcm@openssh.com,aes256-gcm@openssh.com,aes128-ctr",
    b"umac-64-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-256",
    b"umac-64-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-256",
    b"none,zlib@openssh.com",
    b"none,zlib@openssh.com",
    b"",
    b"",
)


def string(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


def mpint(value: int) -> bytes:
    raw = value.to_bytes((value.bit_length() + 8) // 8, "big") if value else b""
    return string(raw)


def packet(payload: bytes) -> bytes:
    """A cleartext binary packet: padding to a multiple of 8, at least 4 bytes."""
    padding = 8 - (len(payload) + 5) % 8
    padding += 8 if padding < 4 else 0
    return struct.pack(">IB", len(payload) + padding + 1, padding) + payload + bytes(padding)


def read_packet(conversation: Conversation) -> bytes:
    length, padding = struct.unpack(">IB", conversation.read_exact(5))
    body = conversation.read_exact(length - 1)
    return body[: length - 1 - padding]


def serve(conversation: Conversation) -> None:
    host_key = Ed25519PrivateKey.generate()
    conversation.send(SERVER_ID + b"\r\n")
    client_id = conversation.read_until(b"\n").rstrip(b"\r\n")
    server_kexinit = b"\x14" + bytes(range(16)) + b"".join(map(string, SERVER_LISTS)) + bytes(5)
    conversation.send(packet(server_kexinit))
    client_kexinit = read_packet(conversation)
    ecdh_init = read_packet(conversation)
    q_c = ecdh_init[5:37]
    ephemeral = X25519PrivateKey.generate()
    q_s = ephemeral.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(q_c))
    k_s = string(b"ssh-ed25519") + string(
        host_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    )
    exchange = b"".join(
        (string(client_id), string(SERVER_ID), string(client_kexinit), string(server_kexinit))
    )
    exchange += string(k_s) + string(q_c) + string(q_s) + mpint(int.from_bytes(shared, "big"))
    h = hashlib.sha256(exchange).digest()
    signature = string(b"ssh-ed25519") + string(host_key.sign(h))
    conversation.send(packet(b"\x1f" + string(k_s) + string(q_s) + string(signature)))
    conversation.send(packet(b"\x15"))
    conversation.drain()


def record() -> list[tuple[int, bytes]]:
    ssh = shutil.which("ssh")
    assert ssh, "the OpenSSH client is needed to regenerate this capture"
    server = ScriptedServer(serve)
    options = ["-F", "/dev/null", "-o", "StrictHostKeyChecking=no"]
    options += ["-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes"]
    options += ["-o", "ConnectTimeout=5", "-p", str(server.port)]
    subprocess.run(
        [ssh, *options, "operator@127.0.0.1", "true"], capture_output=True, timeout=30, check=False
    )
    return server.chunks()


def main() -> None:
    from tests_support import write_golden

    chunks = record()
    write_capture(CAPTURE, [(TcpConversation("10.20.0.7", 50122, "10.10.0.5", 22), chunks)])
    write_golden(CAPTURE)


if __name__ == "__main__":
    main()

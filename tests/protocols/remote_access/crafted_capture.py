"""Remote-access sessions for the golden files: RDP, SMB2, VNC, TeamViewer and AnyDesk
built from bytes written here after the specifications (no client for them is installed:
these are crafted, not recorded), and a Telnet login by Python's telnetlib (a real
client) against a scripted server on loopback, recorded.

- RDP: mstsc-style Connection Request (cookie ``mstshash=operator``, TLS|CredSSP
  requested) and a Confirm selecting CredSSP, then a TLS ClientHello header (not ours);
  a second connection refused with HYBRID_REQUIRED_BY_SERVER.
- SMB2 on 445: NEGOTIATE (2.0.2 to 3.1.1) and its response (3.1.1, signing required),
  SESSION_SETUP with an NTLMSSP AUTHENTICATE for PLANT\\engineer from EWS-01 (responses
  are zero bytes), TREE_CONNECT to \\\\hmi-01\\ADMIN$, CREATE of Temp\\payload.exe with
  write access, then an SMB3 encrypted (transform header) message.
- VNC 3.8 on 5900: security types [1, 2], the client picks None (no authentication),
  SecurityResult OK, ClientInit shared, ServerInit 1280x1024 "HMI-01 panel", then a
  framebuffer update (counted, not reported).
- TeamViewer on 5938 and AnyDesk on 7070: a few segments each.

Regenerate (review the diff): PYTHONPATH=src .venv/bin/python tests/protocols/remote_access/crafted_capture.py
"""

from __future__ import annotations

import struct
import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from interlock.sim.tcp_frames import TcpConversation
from protocols.remote_access.recording import (
    DATA,
    Chunk,
    Conversation,
    ScriptedServer,
    write_capture,
)

CAPTURE = DATA / "remote-access.pcap"
EWS, HMI = "10.20.0.7", "10.10.0.30"


def tpkt(x224: bytes) -> bytes:
    return struct.pack(">BBH", 3, 0, 4 + len(x224)) + x224


def rdp_chunks(refused: bool) -> list[Chunk]:
    cookie = b"Cookie: mstshash=operator\r\n"
    neg = struct.pack("<BBHI", 1, 0, 8, 0x3)
    cr_body = b"\xe0\x00\x00\x00\x00\x00" + cookie + neg
    cr = tpkt(bytes((len(cr_body),)) + cr_body)
    failure, selected = struct.pack("<BBHI", 3, 0, 8, 5), struct.pack("<BBHI", 2, 0x1F, 8, 0x2)
    answer = failure if refused else selected
    cc_body = b"\xd0\x00\x00\x12\x34\x00" + answer
    cc = tpkt(bytes((len(cc_body),)) + cc_body)
    chunks = [(0, cr), (1, cc)]
    if not refused:
        chunks.append((0, bytes.fromhex("160301002e010000") + bytes(42)))
    return chunks


def smb2(command: int, mid: int, body: bytes, response: bool = False, status: int = 0,
         session: int = 0, tree: int = 0) -> bytes:  # fmt: skip
    header = struct.pack(
        "<4sHHIHHIIQ4sIQ16s", b"\xfeSMB", 64, 1, status, command, 1, int(response), 0, mid,
        b"\xff\xfe\x00\x00", tree, session, bytes(16),
    )  # fmt: skip
    message = header + body
    return struct.pack(">I", len(message)) + message


def ntlm_authenticate() -> bytes:
    names = ["PLANT", "engineer", "EWS-01"]
    encoded = [n.encode("utf-16-le") for n in names]
    offset = 72
    fields = b""
    payload = b""
    for item in [bytes(24), bytes(24), *encoded, bytes(16)]:
        fields += struct.pack("<HHI", len(item), len(item), offset + len(payload))
        payload += item
    # LM, NT, domain, user, workstation, key: [MS-NLMP] order is LM, NT, domain, user, host, key
    head = b"NTLMSSP\x00" + struct.pack("<I", 3) + fields + struct.pack("<I", 0xE2888215)
    return head + bytes(offset - len(head)) + payload


def der(tag: int, content: bytes) -> bytes:
    size = len(content)
    length = bytes((size,)) if size < 128 else bytes((0x82,)) + size.to_bytes(2, "big")
    return bytes((tag,)) + length + content


def smb_chunks() -> list[Chunk]:
    dialects = (0x0202, 0x0210, 0x0300, 0x0302, 0x0311)
    negotiate = struct.pack("<HHHHI16sQ", 36, len(dialects), 1, 0, 0x7F, bytes(16), 0)
    negotiate += b"".join(struct.pack("<H", d) for d in dialects)
    negotiated = struct.pack("<HHHH16sIIII", 65, 3, 0x0311, 0, bytes(16), 0x2F, 8 << 20,
                             8 << 20, 8 << 20) + bytes(8 + 8 + 8)  # fmt: skip
    blob = der(0xA1, der(0x30, der(0xA2, der(0x04, ntlm_authenticate()))))  # SPNEGO negTokenResp
    setup = struct.pack("<HBBIIHHQ", 25, 0, 1, 1, 0, 64 + 24, len(blob), 0) + blob
    setup_done = struct.pack("<HHHH", 9, 0, 0, 0)
    path = "\\\\hmi-01\\ADMIN$".encode("utf-16-le")
    tree = struct.pack("<HHHH", 9, 0, 64 + 8, len(path)) + path
    tree_done = struct.pack("<HBBIII", 16, 1, 0, 0, 0, 0x1F01FF)
    name = "Temp\\payload.exe".encode("utf-16-le")
    create = struct.pack("<HBBIQQIIIIIHHII", 57, 0, 0, 2, 0, 0, 0x40000000 | 0x2, 0x80, 1, 5,
                         0x40, 64 + 56, len(name), 0, 0) + name  # fmt: skip
    created = struct.pack("<HBBI", 89, 0, 0, 2) + bytes(81)
    transform = (
        b"\xfdSMB" + bytes(16) + bytes(16) + struct.pack("<IHHQ", 64, 0, 1, 0x4411) + bytes(64)
    )
    session = 0x4411
    return [
        (0, smb2(0, 0, negotiate)),
        (1, smb2(0, 0, negotiated, response=True)),
        (0, smb2(1, 1, setup)),
        (1, smb2(1, 1, setup_done, response=True, session=session)),
        (0, smb2(3, 2, tree, session=session)),
        (1, smb2(3, 2, tree_done, response=True, session=session, tree=5)),
        (0, smb2(5, 3, create, session=session, tree=5)),
        (1, smb2(5, 3, created, response=True, session=session, tree=5)),
        (0, struct.pack(">I", len(transform)) + transform),
    ]


def vnc_chunks() -> list[Chunk]:
    pixel_format = (
        bytes((32, 24, 0, 1)) + struct.pack(">HHHBBB", 255, 255, 255, 16, 8, 0) + bytes(3)
    )
    name = b"HMI-01 panel"
    server_init = (
        struct.pack(">HH", 1280, 1024) + pixel_format + struct.pack(">I", len(name)) + name
    )
    update = (
        b"\x00\x00" + struct.pack(">H", 1) + struct.pack(">HHHHi", 0, 0, 64, 64, 0) + bytes(400)
    )
    return [
        (1, b"RFB 003.008\n"),
        (0, b"RFB 003.008\n"),
        (1, b"\x02\x01\x02"),
        (0, b"\x01"),
        (1, b"\x00\x00\x00\x00"),
        (0, b"\x01"),
        (1, server_init),
        (0, b"\x03\x00" + struct.pack(">HHHH", 0, 0, 1280, 1024)),
        (1, update),
    ]


def teamviewer_chunks() -> list[Chunk]:
    return [
        (0, b"\x17\x24\x0a\x20" + bytes(33)),
        (1, b"\x17\x24\x0a\x20" + bytes(33)),
        (0, b"\x11\x30\x24\x00" + bytes(60)),
    ]


def anydesk_chunks() -> list[Chunk]:
    return [
        (0, bytes.fromhex("16030100a5010000a10303") + bytes(160)),
        (1, bytes.fromhex("1603030050") + bytes(80)),
    ]


def telnet_server(conversation: Conversation) -> None:
    conversation.send(b"\xff\xfd\x18\xff\xfd\x20\xff\xfb\x01\xff\xfb\x03")
    conversation.send(b"\r\nRTU-7 substation gateway (BusyBox v1.36.1)\r\n\r\nrtu7 login: ")
    conversation.read_until(b"\n")
    conversation.send(b"Password: ")
    conversation.read_until(b"\n")
    conversation.send(b"\r\nLogin incorrect\r\nrtu7 login: ")
    conversation.read_until(b"\n")
    conversation.send(b"Password: ")
    conversation.read_until(b"\n")
    conversation.send(b"\r\nBusyBox v1.36.1 built-in shell (ash)\r\n# ")
    conversation.drain()


def telnet_chunks() -> list[Chunk]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import telnetlib
    server = ScriptedServer(telnet_server)
    client = telnetlib.Telnet("127.0.0.1", server.port, timeout=10)
    client.read_until(b"login: ")
    client.write(b"admin\n")
    client.read_until(b"Password: ")
    client.write(b"wrong-guess\n")
    client.read_until(b"login: ")
    client.write(b"admin\n")
    client.read_until(b"Password: ")
    client.write(b"correct-horse\n")
    client.read_until(b"# ")
    client.close()
    return server.chunks()


def write(path: Path) -> None:
    sessions = [
        (TcpConversation(EWS, 50300, HMI, 3389), rdp_chunks(False)),
        (TcpConversation(EWS, 50301, HMI, 3389), rdp_chunks(True)),
        (TcpConversation(EWS, 50302, HMI, 445), smb_chunks()),
        (TcpConversation(EWS, 50303, HMI, 5900), vnc_chunks()),
        (TcpConversation(EWS, 50304, "10.10.0.40", 23), telnet_chunks()),
        (TcpConversation(EWS, 50305, "203.0.113.10", 5938), teamviewer_chunks()),
        (TcpConversation(EWS, 50306, "198.51.100.7", 7070), anydesk_chunks()),
    ]
    write_capture(path, sessions)


def main() -> None:
    from tests_support import write_golden

    write(CAPTURE)
    write_golden(CAPTURE)


if __name__ == "__main__":
    main()

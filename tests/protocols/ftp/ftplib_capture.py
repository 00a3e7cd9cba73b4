"""Python's ftplib (a real FTP client) against a scripted FTP server on loopback, recorded
into tests/data/ftp-ftplib.pcap with the control channel on port 21.

Two control connections: one logs in (multi-line greeting, USER/PASS, SYST, PWD, CWD, a
PASV download with RETR, an EPSV upload with STOR, MKD, RNFR/RNTO, DELE, QUIT); the other
fails to log in (530). The data connections are recorded too, as their own flows. The
server is this script's (pyftpdlib is not installed); every client line is ftplib's.
The 227 reply names the capture's server address: ftplib ignores it and connects to the
control connection's peer, as it does by default.

Regenerate (review the diff): PYTHONPATH=src .venv/bin/python tests/protocols/ftp/ftplib_capture.py
"""

from __future__ import annotations

import contextlib
import ftplib
import io
import socket
import sys
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

CAPTURE = DATA / "ftp-ftplib.pcap"
CLIENT, SERVER = "10.20.0.7", "10.10.0.21"
REPORT = b"tank,level\nT1,73.5\nT2,41.0\n"
GREETING = b"220-Welcome to the plant historian\r\n220 (vsFTPd 3.0.5)\r\n"


class Server:
    """A tiny FTP server: the replies a vsftpd would give, and real data connections."""

    def __init__(self, password: str) -> None:
        self.password = password
        self.data: list[tuple[int, list[Chunk]]] = []
        self.listener: socket.socket | None = None

    def _passive(self) -> bytes:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.listener.getsockname()[1]
        return self.port.to_bytes(2, "big")

    def _transfer(self, send: bytes | None) -> None:
        assert self.listener is not None
        sock, _ = self.listener.accept()
        self.listener.close()
        conversation = Conversation(sock)
        if send is not None:
            conversation.send(send)
        else:
            while conversation.recv():
                pass
        sock.close()
        self.data.append((self.port, conversation.chunks))

    def __call__(self, conversation: Conversation) -> None:
        conversation.send(GREETING)
        while True:
            line = conversation.read_until(b"\r\n").decode().rstrip("\r\n")
            command, _, arg = line.partition(" ")
            command = command.upper()
            if command == "USER":
                conversation.send(b"331 Please specify the password.\r\n")
            elif command == "PASS":
                if arg != self.password:
                    conversation.send(b"530 Login incorrect.\r\n")
                    conversation.drain()
                    return
                conversation.send(b"230 Login successful.\r\n")
            elif command == "SYST":
                conversation.send(b"215 UNIX Type: L8\r\n")
            elif command == "PWD":
                conversation.send(b'257 "/home/historian" is the current directory\r\n')
            elif command == "CWD":
                conversation.send(b"250 Directory successfully changed.\r\n")
            elif command == "TYPE":
                conversation.send(b"200 Switching to Binary mode.\r\n")
            elif command == "PASV":
                p = self._passive()
                conversation.send(
                    b"227 Entering Passive Mode (10,10,0,21,%d,%d).\r\n" % (p[0], p[1])
                )
            elif command == "EPSV":
                p = self._passive()
                port = int.from_bytes(p, "big")
                conversation.send(b"229 Entering Extended Passive Mode (|||%d|)\r\n" % port)
            elif command == "RETR":
                conversation.send(b"150 Opening BINARY mode data connection for report.csv.\r\n")
                self._transfer(REPORT)
                conversation.send(b"226 Transfer complete.\r\n")
            elif command == "STOR":
                conversation.send(b"150 Ok to send data.\r\n")
                self._transfer(None)
                conversation.send(b"226 Transfer complete.\r\n")
            elif command == "MKD":
                conversation.send(b'257 "/home/historian/backup" created\r\n')
            elif command == "RNFR":
                conversation.send(b"350 Ready for RNTO.\r\n")
            elif command == "RNTO":
                conversation.send(b"250 Rename successful.\r\n")
            elif command == "DELE":
                conversation.send(b"550 Delete operation failed.\r\n")
            elif command == "QUIT":
                conversation.send(b"221 Goodbye.\r\n")
                return
            else:
                conversation.send(b"502 Command not implemented.\r\n")


def _session(password: str) -> tuple[list[Chunk], list[tuple[int, list[Chunk]]]]:
    handler = Server("s3cret-pw")
    server = ScriptedServer(handler)
    client = ftplib.FTP()
    client.connect("127.0.0.1", server.port, timeout=10)
    try:
        client.login("historian", password)
    except ftplib.error_perm:
        client.close()
        return server.chunks(), handler.data
    client.sendcmd("SYST")
    client.pwd()
    client.cwd("/exports")
    client.retrbinary("RETR report.csv", io.BytesIO().write)
    client.af = socket.AF_INET6  # ftplib then uses EPSV for the next transfer
    client.storbinary("STOR setpoints.csv", io.BytesIO(b"T1,75.0\n"))
    client.mkd("backup")
    client.rename("setpoints.csv", "backup/setpoints.csv")
    with contextlib.suppress(ftplib.error_perm):
        client.delete("report.csv")
    client.quit()
    return server.chunks(), handler.data


def write(path: Path) -> None:
    good, data = _session("s3cret-pw")
    bad, _ = _session("guess")
    sessions = [(TcpConversation(CLIENT, 50210, SERVER, 21), good)]
    for n, (port, chunks) in enumerate(data):
        sessions.append((TcpConversation(CLIENT, 50211 + n, SERVER, port), chunks))
    sessions.append((TcpConversation(CLIENT, 50220, SERVER, 21), bad))
    write_capture(path, sessions)


def main() -> None:
    from tests_support import write_golden

    write(CAPTURE)
    write_golden(CAPTURE)


if __name__ == "__main__":
    main()

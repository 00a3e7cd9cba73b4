"""Shared by the remote-access capture generators: a scripted loopback server that records
what it receives and sends, and the writer that turns recorded exchanges into a capture
with fixed addresses, standard ports and timestamps.

Each recorded chunk is what one ``recv`` returned or one ``send`` wrote, so the segments
in the capture are the ones the real client's stack produced on loopback.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Final

from interlock.capture.writer import PcapWriter
from interlock.sim.tcp_frames import TcpConversation

Chunk = tuple[int, bytes]  # (0: client to server, 1: server to client), one segment
BASE_TS: Final = 1_767_225_600.0  # 2026-01-01T00:00:00Z
STEP: Final = 0.004
DATA: Final = Path(__file__).resolve().parents[2] / "data"


class Conversation:
    """The server side of one accepted connection, recording every chunk."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.chunks: list[Chunk] = []
        self.pending = b""

    def send(self, data: bytes) -> None:
        self.chunks.append((1, data))
        self.sock.sendall(data)

    def recv(self) -> bytes:
        data = self.sock.recv(65536)
        if data:
            self.chunks.append((0, data))
        return data

    def read_until(self, marker: bytes) -> bytes:
        """Bytes up to and including marker (the rest stays pending)."""
        while marker not in self.pending:
            data = self.recv()
            if not data:
                raise ConnectionError("peer closed")
            self.pending += data
        head, _, self.pending = self.pending.partition(marker)
        return head + marker

    def read_exact(self, size: int) -> bytes:
        while len(self.pending) < size:
            data = self.recv()
            if not data:
                raise ConnectionError("peer closed")
            self.pending += data
        head, self.pending = self.pending[:size], self.pending[size:]
        return head

    def drain(self) -> None:
        """Record what the client still sends until it closes (or a short quiet time)."""
        self.sock.settimeout(2.0)
        with contextlib.suppress(OSError):
            while self.recv():
                pass


class ScriptedServer:
    """Listens on a free loopback port and runs script on the first connection."""

    def __init__(self, script: Callable[[Conversation], None]) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.listener.getsockname()[1]
        self.conversation: Conversation | None = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._serve, args=(script,), daemon=True)
        self.thread.start()

    def _serve(self, script: Callable[[Conversation], None]) -> None:
        sock, _ = self.listener.accept()
        self.conversation = Conversation(sock)
        try:
            script(self.conversation)
        except (OSError, ConnectionError) as error:
            self.error = error
        finally:
            with contextlib.suppress(OSError):
                sock.close()

    def chunks(self) -> list[Chunk]:
        self.thread.join(timeout=20)
        self.listener.close()
        assert self.conversation is not None, "no client connected"
        return self.conversation.chunks


def write_capture(path: Path, sessions: list[tuple[TcpConversation, list[Chunk]]]) -> None:
    """Every session in turn: handshake, the recorded chunks, teardown."""
    packets: list[bytes] = []
    for conversation, exchanged in sessions:
        packets += conversation.handshake()
        packets += [conversation.data(direction, data) for direction, data in exchanged if data]
        packets += conversation.close()
    with open(path, "wb") as stream, PcapWriter(stream) as writer:
        for n, packet in enumerate(packets):
            writer.write(BASE_TS + n * STEP, packet)

"""Buffered sequential reading of a binary file in large chunks, with bounded memory."""

from __future__ import annotations

from typing import Protocol

from interlock.capture.frames import READ_CHUNK


class Readable(Protocol):
    def read(self, size: int, /) -> bytes:
        """Up to size bytes; fewer from a pipe; b"" at the end."""


class ChunkedInput:
    """A read cursor over a file that keeps at most one chunk plus one record in memory."""

    __slots__ = ("buf", "eof", "offset", "pos", "stream")

    def __init__(self, stream: Readable, initial: bytes = b"") -> None:
        self.stream = stream
        self.buf = initial
        self.pos = 0
        self.offset = 0  # file offset of buf[0]
        self.eof = False

    def ensure(self, n: int) -> bool:
        """Make n bytes available at pos; False when the file ends first."""
        if len(self.buf) - self.pos >= n:
            return True
        rest = self.buf[self.pos :]
        self.offset += self.pos
        self.buf = b""  # let the consumed chunk go before the next one is read
        self.pos = 0
        parts = [rest] if rest else []
        have = len(rest)
        while have < n and not self.eof:
            chunk = self.stream.read(max(READ_CHUNK, n - have))
            if not chunk:
                self.eof = True
                break
            parts.append(chunk)
            have += len(chunk)
        self.buf = parts[0] if len(parts) == 1 else b"".join(parts)
        return have >= n

    def file_offset(self) -> int:
        return self.offset + self.pos

    def at_end(self) -> bool:
        return not self.ensure(1)

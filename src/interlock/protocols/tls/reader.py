"""A bounds-checked cursor over a byte string, for TLS's length-prefixed vectors
(RFC 8446 section 3.4). Reading past the end never raises: it yields zeros or empty
bytes and sets ``short``, which the caller turns into an anomaly code."""

from __future__ import annotations


class Reader:
    __slots__ = ("buf", "end", "pos", "short")

    def __init__(self, buf: bytes, pos: int = 0, end: int = -1) -> None:
        self.buf = buf
        self.pos = pos
        self.end = len(buf) if end < 0 else min(end, len(buf))
        self.short = False

    def left(self) -> int:
        return self.end - self.pos

    def _take(self, n: int) -> int:
        """Start of the next n bytes, or -1 (and short set) when fewer remain."""
        if n < 0 or self.pos + n > self.end:
            self.short = True
            self.pos = self.end
            return -1
        at = self.pos
        self.pos += n
        return at

    def u8(self) -> int:
        at = self._take(1)
        return self.buf[at] if at >= 0 else 0

    def u16(self) -> int:
        at = self._take(2)
        return (self.buf[at] << 8) | self.buf[at + 1] if at >= 0 else 0

    def u24(self) -> int:
        at = self._take(3)
        if at < 0:
            return 0
        return (self.buf[at] << 16) | (self.buf[at + 1] << 8) | self.buf[at + 2]

    def u32(self) -> int:
        return (self.u16() << 16) | self.u16()

    def take(self, n: int) -> bytes:
        at = self._take(n)
        return self.buf[at : at + n] if at >= 0 else b""

    def vector(self, prefix: int) -> bytes:
        """A vector with a 1, 2 or 3-byte length prefix; what is there when cut short."""
        n = self.u8() if prefix == 1 else self.u16() if prefix == 2 else self.u24()
        if self.short:
            return b""
        if self.pos + n > self.end:
            self.short = True
            data = self.buf[self.pos : self.end]
            self.pos = self.end
            return data
        return self.take(n)

    def sub(self, prefix: int) -> Reader:
        """A reader over the next length-prefixed vector (bounded by this reader)."""
        data = self.vector(prefix)
        return Reader(data)


def u16_list(data: bytes) -> tuple[int, ...]:
    """Big-endian 16-bit values (an odd trailing byte is ignored)."""
    return tuple((data[i] << 8) | data[i + 1] for i in range(0, len(data) - 1, 2))

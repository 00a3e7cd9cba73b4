"""MQTT data representations (3.1.1 section 1.5, 5.0 section 1.5): two- and four-byte
integers, Variable Byte Integers, length-prefixed UTF-8 strings and binary data.

A Reader walks one control packet. Running past the packet's end raises OutOfBounds,
which the packet decoder turns into an anomaly and a stop, as Wireshark stops showing
fields at the first one that does not fit.
"""

from __future__ import annotations

from typing import Final

MAX_VARINT_BYTES: Final = 4
BAD_VARINT: Final = -1


class OutOfBounds(Exception):
    """A field runs past the end of the packet (or of its property block)."""


def read_varint(buf: bytes, pos: int, end: int) -> tuple[int, int]:
    """(value, bytes used) of the Variable Byte Integer at pos. (0, 0) when it runs past
    end; (BAD_VARINT, 4) when four bytes all carry the continuation bit."""
    value = 0
    for i in range(MAX_VARINT_BYTES):
        if pos + i >= end:
            return 0, 0
        byte = buf[pos + i]
        value |= (byte & 0x7F) << (7 * i)
        if not byte & 0x80:
            return value, i + 1
    return BAD_VARINT, MAX_VARINT_BYTES


class Reader:
    """A cursor over buf[pos:end] that collects anomaly codes on the way."""

    __slots__ = ("anomalies", "buf", "end", "pos")

    def __init__(self, buf: bytes, pos: int, end: int) -> None:
        self.buf = buf
        self.pos = pos
        self.end = end
        self.anomalies: list[str] = []

    def flag(self, code: str) -> None:
        if code not in self.anomalies:
            self.anomalies.append(code)

    def left(self) -> int:
        return self.end - self.pos

    def take(self, n: int) -> int:
        """Skip n bytes; return where they start."""
        start = self.pos
        if n < 0 or start + n > self.end:
            raise OutOfBounds
        self.pos = start + n
        return start

    def u8(self) -> int:
        return self.buf[self.take(1)]

    def u16(self) -> int:
        at = self.take(2)
        return (self.buf[at] << 8) | self.buf[at + 1]

    def u32(self) -> int:
        at = self.take(4)
        return int.from_bytes(self.buf[at : at + 4], "big")

    def varint(self) -> int:
        value, used = read_varint(self.buf, self.pos, self.end)
        if not used:
            raise OutOfBounds
        self.pos += used
        if value == BAD_VARINT:
            self.flag("mqtt.bad_varint")
            raise OutOfBounds
        return value

    def text(self) -> str:
        """A UTF-8 string: two-byte length, then the bytes (invalid ones replaced)."""
        n = self.u16()
        at = self.take(n)
        raw = self.buf[at : at + n]
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            self.flag("mqtt.bad_utf8")
            return raw.decode("utf-8", "replace")

    def blob(self) -> bytes:
        """Binary data: two-byte length, then the bytes."""
        n = self.u16()
        at = self.take(n)
        return self.buf[at : at + n]

"""OPC UA Binary encoding of the built-in types (OPC 10000-6, section 5.2): integers,
strings, byte strings, GUIDs and NodeIds, read from a bounded slice of bytes.

Pure: no I/O. A read past the end raises ``Truncated``, which the service decoders catch
at their top level and turn into an anomaly code; nothing escapes to the engine.
"""

from __future__ import annotations

import struct
from typing import Final, NamedTuple

MAX_STRING: Final = 1 << 24
"""Longest string or byte string accepted (a length beyond the data is truncation)."""

_U16 = struct.Struct("<H")
_U32 = struct.Struct("<I")
_I32 = struct.Struct("<i")
_I64 = struct.Struct("<q")
_U64 = struct.Struct("<Q")
_F32 = struct.Struct("<f")
_F64 = struct.Struct("<d")
_GUID = struct.Struct("<IHH8s")


class Truncated(Exception):
    """A value runs past the end of its message (internal to the decoders)."""


class BadEncoding(Truncated):
    """A value whose encoding byte is not in the standard (its length cannot be known)."""


class NodeId(NamedTuple):
    """A NodeId (OPC 10000-6, 5.2.2.9); identifier is an int, str, GUID text or hex."""

    encoding: int
    """The encoding byte's low six bits: 0 two-byte, 1 four-byte, 2 numeric, 3 string,
    4 GUID, 5 byte string."""
    namespace: int
    identifier: int | str

    @property
    def numeric(self) -> int:
        """The numeric identifier, or -1 for the other kinds."""
        return self.identifier if isinstance(self.identifier, int) else -1

    def text(self) -> str:
        """The standard string form: ``ns=2;s=Tank.Level``, ``i=2258`` (ns=0 omitted)."""
        kind = "i" if self.encoding <= 2 else "sgb"[self.encoding - 3]
        prefix = f"ns={self.namespace};" if self.namespace else ""
        return f"{prefix}{kind}={self.identifier}"


NULL_NODE: Final = NodeId(0, 0, 0)


class Reader:
    """A cursor over buf[pos:end]; every read checks the bound first."""

    __slots__ = ("buf", "end", "pos")

    def __init__(self, buf: bytes, pos: int = 0, end: int = -1) -> None:
        self.buf = buf
        self.pos = pos
        self.end = len(buf) if end < 0 else end

    @property
    def remaining(self) -> int:
        return self.end - self.pos

    def take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > self.end:
            raise Truncated
        start = self.pos
        self.pos += n
        return self.buf[start : self.pos]

    def skip(self, n: int) -> None:
        if n < 0 or self.pos + n > self.end:
            raise Truncated
        self.pos += n

    def u8(self) -> int:
        if self.pos >= self.end:
            raise Truncated
        self.pos += 1
        return self.buf[self.pos - 1]

    def boolean(self) -> bool:
        return self.u8() != 0

    def u16(self) -> int:
        return int(_U16.unpack(self.take(2))[0])

    def u32(self) -> int:
        return int(_U32.unpack(self.take(4))[0])

    def i32(self) -> int:
        return int(_I32.unpack(self.take(4))[0])

    def i64(self) -> int:
        return int(_I64.unpack(self.take(8))[0])

    def u64(self) -> int:
        return int(_U64.unpack(self.take(8))[0])

    def f32(self) -> float:
        return float(_F32.unpack(self.take(4))[0])

    def f64(self) -> float:
        return float(_F64.unpack(self.take(8))[0])

    def count(self) -> int:
        """An array length: -1 (null) reads as 0; more elements than bytes is truncation
        (every element takes at least one byte), so loops stay bounded by the data."""
        n = self.i32()
        if n < 0:
            return 0
        if n > self.remaining:
            raise Truncated
        return n

    def bytestring(self) -> bytes | None:
        """A ByteString; None for the null string (length -1)."""
        n = self.i32()
        if n < 0:
            return None
        if n > MAX_STRING:
            raise Truncated
        return self.take(n)

    def string(self) -> str | None:
        """A UTF-8 String; None for the null string. Invalid UTF-8 is replaced, not fatal."""
        raw = self.bytestring()
        return None if raw is None else raw.decode("utf-8", "replace")

    def guid(self) -> str:
        data1, data2, data3, rest = _GUID.unpack(self.take(16))
        tail = rest.hex()
        return f"{data1:08x}-{data2:04x}-{data3:04x}-{tail[:4]}-{tail[4:]}"

    def node_id(self) -> NodeId:
        return self._node_body(self.u8() & 0x3F)

    def expanded_node_id(self) -> NodeId:
        """An ExpandedNodeId; the namespace URI and server index are read and dropped."""
        mask = self.u8()
        node = self._node_body(mask & 0x3F)
        if mask & 0x80:
            self.string()
        if mask & 0x40:
            self.u32()
        return node

    def _node_body(self, encoding: int) -> NodeId:
        if encoding == 0:
            return NodeId(0, 0, self.u8())
        if encoding == 1:
            return NodeId(1, self.u8(), self.u16())
        if encoding > 5:
            raise BadEncoding
        namespace = self.u16()
        if encoding == 2:
            return NodeId(2, namespace, self.u32())
        if encoding == 3:
            return NodeId(3, namespace, self.string() or "")
        if encoding == 4:
            return NodeId(4, namespace, self.guid())
        return NodeId(5, namespace, (self.bytestring() or b"").hex())

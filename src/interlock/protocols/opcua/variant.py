"""The structured built-in types of OPC UA Binary (OPC 10000-6, 5.2.2.10-5.2.2.17):
QualifiedName, LocalizedText, ExtensionObject, Variant, DataValue and DiagnosticInfo.

Values come out JSON-friendly (int, float, bool, str, None, or lists of them): byte
strings as hex, NodeIds in their string form, so a written value can go straight into a
transaction's details. Nesting is bounded (MAX_DEPTH) and arrays keep at most MAX_KEPT
elements, though every element is read so that the cursor stays right.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from interlock.protocols.opcua.binary import BadEncoding, NodeId, Reader, Truncated

MAX_DEPTH: Final = 8
MAX_KEPT: Final = 64

Value = object
"""A decoded value: int, float, bool, str, None, or a list of values."""

TYPE_NAMES: Final = (
    "Null",
    "Boolean",
    "SByte",
    "Byte",
    "Int16",
    "UInt16",
    "Int32",
    "UInt32",
    "Int64",
    "UInt64",
    "Float",
    "Double",
    "String",
    "DateTime",
    "Guid",
    "ByteString",
    "XmlElement",
    "NodeId",
    "ExpandedNodeId",
    "StatusCode",
    "QualifiedName",
    "LocalizedText",
    "ExtensionObject",
    "DataValue",
    "Variant",
    "DiagnosticInfo",
)


class Variant(NamedTuple):
    type_id: int
    """The built-in type (1 Boolean ... 25 DiagnosticInfo; 0 null)."""
    value: Value
    is_array: bool

    @property
    def type_name(self) -> str:
        return TYPE_NAMES[self.type_id] if self.type_id < len(TYPE_NAMES) else "Unknown"


class ExtensionObject(NamedTuple):
    type_id: NodeId
    body: bytes
    """The binary body (empty when none, or when the body is XML)."""


NULL_VARIANT: Final = Variant(0, None, False)


def qualified_name(r: Reader) -> str:
    namespace = r.u16()
    name = r.string() or ""
    return f"{namespace}:{name}" if namespace else name


def localized_text(r: Reader) -> str:
    mask = r.u8()
    if mask & 0x01:
        r.string()  # locale
    return (r.string() or "") if mask & 0x02 else ""


def extension_object(r: Reader) -> ExtensionObject:
    type_id = r.node_id()
    encoding = r.u8()
    if encoding == 0:
        return ExtensionObject(type_id, b"")
    if encoding not in (1, 2):
        raise BadEncoding
    body = r.bytestring() or b""
    return ExtensionObject(type_id, body if encoding == 1 else b"")


def diagnostic_info(r: Reader, depth: int = 0) -> None:
    """Skip a DiagnosticInfo (nothing in it is kept)."""
    if depth > MAX_DEPTH:
        raise BadEncoding
    mask = r.u8()
    for bit in (0x01, 0x02, 0x08, 0x04):  # symbolic id, namespace, locale, localized text
        if mask & bit:
            r.i32()
    if mask & 0x10:
        r.string()
    if mask & 0x20:
        r.u32()
    if mask & 0x40:
        diagnostic_info(r, depth + 1)


def variant(r: Reader, depth: int = 0) -> Variant:
    if depth > MAX_DEPTH:
        raise BadEncoding
    mask = r.u8()
    type_id = mask & 0x3F
    if type_id > 25:
        raise BadEncoding
    if not mask & 0x80:
        return Variant(type_id, _scalar(r, type_id, depth), False)
    n = r.count()
    kept: list[Value] = []
    for i in range(n):
        item = _scalar(r, type_id, depth)
        if i < MAX_KEPT:
            kept.append(item)
    if mask & 0x40:  # array dimensions
        for _ in range(r.count()):
            r.i32()
    return Variant(type_id, kept, True)


def data_value(r: Reader, depth: int = 0) -> tuple[Variant, int]:
    """A DataValue: its value and its status code (0, Good, when absent)."""
    mask = r.u8()
    value = variant(r, depth + 1) if mask & 0x01 else NULL_VARIANT
    status = r.u32() if mask & 0x02 else 0
    if mask & 0x04:
        r.i64()
    if mask & 0x10:
        r.u16()
    if mask & 0x08:
        r.i64()
    if mask & 0x20:
        r.u16()
    return value, status


def _scalar(r: Reader, type_id: int, depth: int) -> Value:
    if type_id == 0:
        return None
    if type_id >= 22:
        return _nested(r, type_id, depth)
    if type_id <= 11:
        return _number(r, type_id)
    return _textual(r, type_id)


def _number(r: Reader, type_id: int) -> Value:
    if type_id == 1:
        return r.boolean()
    if type_id in (2, 3):
        value = r.u8()
        return value - 256 if type_id == 2 and value > 127 else value
    if type_id in (4, 5):
        value = r.u16()
        return value - 65536 if type_id == 4 and value > 32767 else value
    if type_id == 6:
        return r.i32()
    if type_id == 7:
        return r.u32()
    if type_id == 8:
        return r.i64()
    if type_id == 9:
        return r.u64()
    return r.f32() if type_id == 10 else r.f64()


def _textual(r: Reader, type_id: int) -> Value:
    if type_id in (12, 16):  # String, XmlElement
        return r.string()
    if type_id == 13:  # DateTime: 100 ns ticks since 1601-01-01, kept raw
        return r.i64()
    if type_id == 14:
        return r.guid()
    if type_id == 15:
        raw = r.bytestring()
        return None if raw is None else raw.hex()
    if type_id == 17:
        return r.node_id().text()
    if type_id == 18:
        return r.expanded_node_id().text()
    if type_id == 19:  # StatusCode
        return r.u32()
    return qualified_name(r) if type_id == 20 else localized_text(r)


def _nested(r: Reader, type_id: int, depth: int) -> Value:
    if type_id == 22:
        return extension_object(r).type_id.text()
    if type_id == 23:
        return data_value(r, depth + 1)[0].value
    if type_id == 24:
        return variant(r, depth + 1).value
    diagnostic_info(r, depth + 1)
    return None


__all__ = [
    "ExtensionObject",
    "Truncated",
    "Variant",
    "data_value",
    "diagnostic_info",
    "extension_object",
    "localized_text",
    "qualified_name",
    "variant",
]

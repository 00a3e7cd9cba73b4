"""A service's parameters decoded by its schema (interlock.protocols.bacnet.schemas): the
object identifiers and property identifiers it names, in wire order, each property access
with its object, array index, values, priority or error, and the named parameters.

Pure and bounded: everything found is in the bytes; a truncated or malformed encoding ends
the decoding with an anomaly code, never an exception.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from interlock.protocols.bacnet.schemas import SCHEMAS, Schema
from interlock.protocols.bacnet.tags import (
    CLOSING,
    ENUMERATED,
    OBJECT_IDENTIFIER,
    OPENING,
    Tag,
    Value,
    application_value,
    character_string,
    object_id,
    read_tag,
    unsigned,
)

MAX_VALUES: Final = 64
"""Values kept per property access (all object identifiers are still listed)."""
MAX_DEPTH: Final = 16
"""Nested schema sequences followed; deeper ones are skipped as opaque."""


class ObjectId(NamedTuple):
    type: int
    instance: int


class PropertyAccess(NamedTuple):
    """One property named by a service: read, written, reported or failed."""

    object: ObjectId | None
    property: int
    array_index: int | None
    values: tuple[Value, ...]
    priority: int | None
    error: tuple[int, int] | None
    """(error class, error code) of a failed read in a ReadPropertyMultiple ACK."""


class ServiceBody(NamedTuple):
    objects: tuple[ObjectId, ...]
    """Every object identifier, wire order (Wireshark's bacapp.objectType/instance_number)."""
    properties: tuple[int, ...]
    """Every property identifier, wire order (Wireshark's bacapp.property_identifier)."""
    accesses: tuple[PropertyAccess, ...]
    params: tuple[tuple[str, Value], ...]
    """Named parameters (durations, states, limits...); ``password`` is True when present."""
    values: tuple[Value, ...]
    """Application-tagged values at the top level, in order (I-Am, I-Have, error...)."""
    anomalies: tuple[str, ...]

    def param(self, name: str) -> Value:
        for key, value in self.params:
            if key == name:
                return value
        return None


EMPTY_BODY: Final = ServiceBody((), (), (), (), (), ())


class _Access:
    __slots__ = ("error", "index", "object", "priority", "property", "values")

    def __init__(self, obj: ObjectId | None, prop: int) -> None:
        self.object = obj
        self.property = prop
        self.index: int | None = None
        self.values: list[Value] = []
        self.priority: int | None = None
        self.error: tuple[int, int] | None = None

    def freeze(self) -> PropertyAccess:
        values = tuple(self.values)
        return PropertyAccess(
            self.object, self.property, self.index, values, self.priority, self.error
        )


class _Walker:
    __slots__ = (
        "accesses",
        "anomalies",
        "buf",
        "current",
        "last_object",
        "objects",
        "params",
        "properties",
        "values",
    )

    def __init__(self, buf: bytes) -> None:
        self.buf = buf
        self.objects: list[ObjectId] = []
        self.properties: list[int] = []
        self.accesses: list[_Access] = []
        self.current: _Access | None = None
        self.last_object: ObjectId | None = None
        self.params: list[tuple[str, Value]] = []
        self.values: list[Value] = []
        self.anomalies: list[str] = []

    def flag(self, code: str) -> None:
        if code not in self.anomalies:
            self.anomalies.append(code)

    def tag(self, pos: int, end: int) -> Tag | None:
        tag = read_tag(self.buf, pos, end)
        if tag is None:
            self.flag("bacnet.truncated_tag")
        elif tag.end > end:
            self.flag("bacnet.truncated_tag")
            tag = tag._replace(length=end - tag.data)
        return tag

    def walk(self, schema: Schema, pos: int, end: int, depth: int) -> int:
        """Fields of a sequence until its closing tag (nested) or the end; returns the
        offset after what was read. Unknown context tags end the top-level walk."""
        while pos < end:
            tag = self.tag(pos, end)
            if tag is None:
                return end
            if tag.kind == CLOSING:
                if depth:
                    return tag.data
                pos = tag.data  # a stray closing tag at the top: step over it
                continue
            if not tag.context:
                self.application(tag, depth == 0)
                pos = tag.end
                continue
            kind = schema.get(tag.number)
            if kind is None:
                if depth == 0:
                    self.flag("bacnet.unexpected_tag")
                    return end
                pos = self.skip(tag, end)
                continue
            pos = self.field(kind, tag, end, depth)
        return pos

    def application(self, tag: Tag, top: bool) -> None:
        value = application_value(self.buf, tag)
        if tag.number == OBJECT_IDENTIFIER and isinstance(value, tuple):
            self.objects.append(ObjectId(value[0], value[1]))
        if top:
            self.values.append(value)

    def field(self, kind: str, tag: Tag, end: int, depth: int) -> int:
        buf = self.buf
        if tag.kind == OPENING:
            if kind.startswith("seq:") and depth < MAX_DEPTH:
                return self.walk(SCHEMAS.get(kind[4:], {}), tag.data, end, depth + 1)
            if kind == "value":
                return self.value(tag.data, end, self.current)
            if kind in ("error", "errors"):
                return self.error(tag.data, end, kind == "error")
            return self.value(tag.data, end, None)
        if kind == "objid":
            obj = ObjectId(*object_id(buf, tag))
            self.objects.append(obj)
            self.last_object = obj
        elif kind == "prop":
            prop = unsigned(buf, tag)
            self.properties.append(prop)
            self.current = _Access(self.last_object, prop)
            self.accesses.append(self.current)
        elif kind == "index" and self.current is not None:
            self.current.index = unsigned(buf, tag)
        elif kind == "priority" and self.current is not None:
            self.current.priority = unsigned(buf, tag)
        elif kind.startswith("param:"):
            self.params.append((kind[6:], unsigned(buf, tag)))
        elif kind.startswith("text:"):
            self.params.append((kind[5:], character_string(buf, tag)))
        elif kind.startswith("secret:"):
            self.params.append((kind[7:], True))  # a password: its presence, never its text
        return tag.end

    def skip(self, tag: Tag, end: int) -> int:
        if tag.kind == OPENING:
            return self.value(tag.data, end, None)
        return tag.end

    def value(self, pos: int, end: int, access: _Access | None) -> int:
        """An abstract-syntax value up to the closing tag that matches the opening one
        before pos; application values go to access, object ids are listed."""
        depth = 0
        while pos < end:
            tag = self.tag(pos, end)
            if tag is None:
                return end
            pos = tag.end if tag.kind == 0 else tag.data
            if tag.kind == OPENING:
                depth += 1
            elif tag.kind == CLOSING:
                if not depth:
                    return pos
                depth -= 1
            elif not tag.context:
                value = application_value(self.buf, tag)
                if tag.number == OBJECT_IDENTIFIER and isinstance(value, tuple):
                    self.objects.append(ObjectId(value[0], value[1]))
                if access is not None and len(access.values) < MAX_VALUES:
                    access.values.append(value)
        self.flag("bacnet.missing_closing_tag")
        return pos

    def error(self, pos: int, end: int, per_property: bool) -> int:
        """An error class and code (two enumerated values) inside an opening tag."""
        codes: list[int] = []
        depth = 0
        while pos < end:
            tag = self.tag(pos, end)
            if tag is None:
                return end
            pos = tag.end if tag.kind == 0 else tag.data
            if tag.kind == CLOSING:
                if not depth:
                    break
                depth -= 1
            elif tag.kind == OPENING:
                depth += 1
            elif not tag.context and tag.number == ENUMERATED:
                codes.append(unsigned(self.buf, tag))
        if len(codes) >= 2:
            if per_property and self.current is not None:
                self.current.error = (codes[0], codes[1])
            else:
                self.params += [("error_class", codes[0]), ("error_code", codes[1])]
        return pos

    def result(self) -> ServiceBody:
        return ServiceBody(
            tuple(self.objects),
            tuple(self.properties),
            tuple(a.freeze() for a in self.accesses),
            tuple(self.params),
            tuple(self.values),
            tuple(self.anomalies),
        )


def decode_body(buf: bytes, start: int, end: int, schema_name: str) -> ServiceBody:
    """The parameters of a service laid out by the named schema, from buf[start:end]."""
    if start >= end:
        return EMPTY_BODY
    walker = _Walker(buf)
    walker.walk(SCHEMAS.get(schema_name, {}), start, end, 0)
    return walker.result()

"""MQTT 5.0 properties (section 2.2.2): a Variable Byte Integer length, then identifier
and value pairs, each value of the type its identifier names.

Read as Wireshark 4.0 reads them: a block longer than the packet is an anomaly and its
properties are read until one runs past the packet's end; an unknown identifier swallows
the rest of the block; a value running past the block (inside the packet) is kept and the
next field starts where the block said it ends.
"""

from __future__ import annotations

from typing import NamedTuple

from interlock.protocols.mqtt.vocabulary import (
    BINARY,
    BYTE,
    FOUR_BYTE,
    PROPERTIES,
    SECRET_PROPERTIES,
    STRING_PAIR,
    TWO_BYTE,
    UTF8,
    VARINT,
)
from interlock.protocols.mqtt.wire import Reader

PropertyValue = int | str | bytes | tuple[str, str]


class Property(NamedTuple):
    ident: int
    value: PropertyValue
    """An int (byte, two-, four-byte and variable integers), a str (UTF-8 string), bytes
    (binary data), a (name, value) pair (user property). Authentication Data keeps only
    its length (an int): it may be a credential."""


def read_properties(r: Reader, into: list[Property]) -> None:
    """Append the properties of the block at the reader to into (partial when the packet
    ends inside it: the caller sees what was read before OutOfBounds)."""
    length = r.varint()
    stop = r.pos + length
    if stop > r.end:
        r.flag("mqtt.bad_property_length")
    while r.pos < stop:
        ident = r.u8()
        entry = PROPERTIES.get(ident)
        if entry is None:  # its value cannot be sized: the rest of the block goes with it
            r.flag("mqtt.unknown_property")
            into.append(Property(ident, b""))
            r.take(stop - r.pos)
            break
        into.append(Property(ident, _value(r, entry[1], ident)))
    if r.pos > stop:
        r.flag("mqtt.bad_property")
        r.pos = stop


def _value(r: Reader, kind: str, ident: int) -> PropertyValue:
    if kind == BYTE:
        return r.u8()
    if kind == TWO_BYTE:
        return r.u16()
    if kind == FOUR_BYTE:
        return r.u32()
    if kind == VARINT:
        return r.varint()
    if kind == UTF8:
        return r.text()
    if kind == STRING_PAIR:
        return (r.text(), r.text())
    assert kind == BINARY
    data = r.blob()
    return len(data) if ident in SECRET_PROPERTIES else data


def property_value(properties: tuple[Property, ...] | None, ident: int) -> PropertyValue | None:
    """The first value of a property, or None."""
    for prop in properties or ():
        if prop.ident == ident:
            return prop.value
    return None

"""Attribute lists in requests and replies, walked as far as their encoding allows.

A Get_Attribute_List reply (CIP Volume 1, A-4.3) lists attribute id, status and value,
but a value's length is not on the wire: it comes from the attribute's data type. So a
reply can be walked only as far as its attributes are known; past the first unknown one
the rest is opaque. Set_Attribute_List requests (A-4.4) carry id and value, their
replies id and status. Get_Attributes_All (A-4.1) returns the object's attributes in
the order its class defines. The layouts are data (attribute_table).

Each walk says how it ended: "complete", "opaque" (an attribute of unknown encoding:
the rest is left as is) or "truncated" (the list or a value is cut short, or the count
cannot fit the data: the message is malformed). Pure.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from interlock.protocols.cip.attribute_table import (
    REST,
    Layout,
    get_all_order,
    layout,
    lenient,
)

WalkEnd = Literal["complete", "opaque", "truncated"]


class AttributeValue(NamedTuple):
    attribute: int
    status: int
    """Per-attribute status in a list reply (0 success); 0 where the format has none."""
    value: bytes


class AttributeWalk(NamedTuple):
    values: tuple[AttributeValue, ...]
    end: WalkEnd


NOTHING = AttributeWalk((), "opaque")
CUT = AttributeWalk((), "truncated")


def _empty(data: bytes) -> AttributeWalk:
    """No list at all (less than a count: an error reply, say) is only reported; a count
    the data cannot hold makes the message malformed."""
    return NOTHING if len(data) < 2 else CUT


def _count(data: bytes, least: int) -> int:
    """The entry count of a list, or -1 when the data cannot hold that many entries of at
    least `least` bytes (Wireshark then calls the list malformed and shows none of it)."""
    if len(data) < 2:
        return -1
    count = int.from_bytes(data[0:2], "little")
    return count if 2 + count * least <= len(data) else -1


def value_length(shape: Layout, data: bytes, pos: int) -> int:
    """Bytes the value at data[pos:] takes, or -1 when it is cut short."""
    left = len(data) - pos
    base, count_at, width, element, pad = shape
    if base < 0:
        return left
    size = base
    if width:
        at = pos + count_at
        if at + width > len(data):
            return -1
        count = int.from_bytes(data[at : at + width], "little")
        counted = (count + 7) // 8 if element == -8 else count * element
        size += counted + (counted & 1 if pad else 0)
    return size if size <= left else -1


def known(class_id: int | None, instance: int | None, attribute: int) -> Layout | None:
    if class_id is None or instance is None:
        return None
    return layout(class_id, instance, attribute)


def _walk(
    data: bytes, class_id: int | None, instance: int | None, with_status: bool
) -> AttributeWalk:
    """Entries of id (and status), then a value when it is there to read."""
    head = 4 if with_status else 2
    count = _count(data, head)
    if count < 0:
        return _empty(data)
    pos = 2
    found: list[AttributeValue] = []
    for _ in range(count):
        if pos + head > len(data):  # Wireshark reports the count, it does not throw
            return AttributeWalk(tuple(found), "opaque")
        attribute = int.from_bytes(data[pos : pos + 2], "little")
        status = int.from_bytes(data[pos + 2 : pos + 4], "little") if with_status else 0
        pos += head
        if status != 0:
            found.append(AttributeValue(attribute, status, b""))
            continue
        shape = known(class_id, instance, attribute)
        if shape is None:
            found.append(AttributeValue(attribute, 0, data[pos:]))
            return AttributeWalk(tuple(found), "opaque")
        size = value_length(shape, data, pos)
        if size < 0:
            found.append(AttributeValue(attribute, 0, data[pos:]))
            soft = lenient(class_id, instance, attribute, pos + shape[1] + shape[2] <= len(data))
            return AttributeWalk(tuple(found), "opaque" if soft else "truncated")
        found.append(AttributeValue(attribute, 0, data[pos : pos + size]))
        pos += size
    return AttributeWalk(tuple(found), "complete")


def attribute_list_reply(data: bytes, class_id: int | None, instance: int | None) -> AttributeWalk:
    """A Get_Attribute_List reply: id, status and (when the status is 0) value."""
    return _walk(data, class_id, instance, True)


def set_attribute_list_request(
    data: bytes, class_id: int | None, instance: int | None
) -> AttributeWalk:
    """A Set_Attribute_List request: id and value per attribute."""
    return _walk(data, class_id, instance, False)


def attribute_list_request(data: bytes) -> AttributeWalk:
    """A Get_Attribute_List request: the attribute ids asked for."""
    count = _count(data, 2)
    if count < 0:
        return _empty(data)
    ids = (int.from_bytes(data[2 + 2 * i : 4 + 2 * i], "little") for i in range(count))
    return AttributeWalk(tuple(AttributeValue(a, 0, b"") for a in ids), "complete")


def set_attribute_list_reply(data: bytes) -> AttributeWalk:
    """A Set_Attribute_List reply: attribute id and status per attribute, no values."""
    count = _count(data, 4)
    if count < 0:
        return _empty(data)
    found = (
        AttributeValue(
            int.from_bytes(data[2 + 4 * i : 4 + 4 * i], "little"),
            int.from_bytes(data[4 + 4 * i : 6 + 4 * i], "little"),
            b"",
        )
        for i in range(count)
    )
    return AttributeWalk(tuple(found), "complete")


def attributes_all_reply(data: bytes, class_id: int | None, instance: int | None) -> AttributeWalk:
    """The attributes of a Get_Attributes_All reply, for a class whose layout is known."""
    if class_id is None or instance is None:
        return AttributeWalk((), "opaque")
    order = get_all_order(class_id, instance)
    if order is None:
        return AttributeWalk((), "opaque")
    found: list[AttributeValue] = []
    pos = 0
    for attribute in order:
        if pos >= len(data):
            break
        shape = layout(class_id, instance, attribute) or REST
        size = value_length(shape, data, pos)
        if size < 0:
            found.append(AttributeValue(attribute, 0, data[pos:]))
            counted = pos + shape[1] + shape[2] <= len(data)
            soft = lenient(class_id, instance, attribute, counted)
            return AttributeWalk(tuple(found), "opaque" if soft else "truncated")
        found.append(AttributeValue(attribute, 0, data[pos : pos + size]))
        pos += size
    return AttributeWalk(tuple(found), "complete")


def single_value(
    data: bytes, class_id: int | None, instance: int | None, attribute: int | None
) -> AttributeWalk:
    """The value of one attribute (a Get_Attribute_Single reply, a Set_Attribute_Single
    request), when its encoding is known."""
    if attribute is None:
        return NOTHING
    shape = known(class_id, instance, attribute)
    if shape is None:
        return NOTHING
    size = value_length(shape, data, 0)
    if size >= 0:
        return AttributeWalk((AttributeValue(attribute, 0, data[:size]),), "complete")
    soft = lenient(class_id, instance, attribute, shape[1] + shape[2] <= len(data))
    return AttributeWalk((AttributeValue(attribute, 0, data),), "opaque" if soft else "truncated")

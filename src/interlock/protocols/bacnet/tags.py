"""BACnet tags and primitive values (ASHRAE 135 clause 20.2: the encoding of application
and context tags, opening and closing tags, and the application data types).

Pure: reads bytes, never raises on truncation (a tag that runs past the end is cut at the
end and flagged by its caller). Nothing here knows any service.
"""

from __future__ import annotations

import struct
from typing import Final, NamedTuple

PRIMITIVE: Final = 0
OPENING: Final = 6
CLOSING: Final = 7

# Application tag numbers (20.2.1.4).
NULL: Final = 0
BOOLEAN: Final = 1
UNSIGNED: Final = 2
SIGNED: Final = 3
REAL: Final = 4
DOUBLE: Final = 5
OCTET_STRING: Final = 6
CHARACTER_STRING: Final = 7
BIT_STRING: Final = 8
ENUMERATED: Final = 9
DATE: Final = 10
TIME: Final = 11
OBJECT_IDENTIFIER: Final = 12

_REAL = struct.Struct(">f")
_DOUBLE = struct.Struct(">d")
_CHARSETS: Final = {0: "utf-8", 3: "utf-32-be", 4: "utf-16-be", 5: "latin-1"}

Value = None | bool | int | float | str | tuple[int, int]
"""A decoded primitive: null, boolean, (un)signed or enumerated integer, real, text (strings,
octet strings as hex, bit strings as 0/1 digits, dates and times), object id (type, instance)."""


class Tag(NamedTuple):
    number: int
    context: bool
    kind: int
    """PRIMITIVE, OPENING or CLOSING."""
    start: int
    """Offset of the tag's first octet."""
    data: int
    """Offset of its value (the end of its header)."""
    length: int
    """Length of the value (0 for an application boolean, whose value is in the LVT)."""
    lvt: int

    @property
    def end(self) -> int:
        return self.data + self.length


def read_tag(buf: bytes, pos: int, end: int) -> Tag | None:
    """The tag at pos, or None when its header does not fit before end."""
    if pos >= end:
        return None
    first = buf[pos]
    number = first >> 4
    context = bool(first & 0x08)
    lvt = first & 0x07
    at = pos + 1
    if number == 15:
        if at >= end:
            return None
        number = buf[at]
        at += 1
    kind = PRIMITIVE
    length = lvt
    if lvt == 5:
        if at >= end:
            return None
        length = buf[at]
        at += 1
        if length == 254:
            if at + 2 > end:
                return None
            length = (buf[at] << 8) | buf[at + 1]
            at += 2
        elif length == 255:
            if at + 4 > end:
                return None
            length = int.from_bytes(buf[at : at + 4], "big")
            at += 4
    elif context and lvt in (OPENING, CLOSING):
        kind, length = lvt, 0
    elif not context and number == BOOLEAN:
        length = 0
    return Tag(number, context, kind, pos, at, length, lvt)


def unsigned(buf: bytes, tag: Tag) -> int:
    """The tag's value as an unsigned integer (at most 8 octets are read)."""
    return int.from_bytes(buf[tag.data : tag.data + min(tag.length, 8)], "big")


def signed(buf: bytes, tag: Tag) -> int:
    return int.from_bytes(buf[tag.data : tag.data + min(tag.length, 8)], "big", signed=True)


def object_id(buf: bytes, tag: Tag) -> tuple[int, int]:
    """Object type (10 bits) and instance (22 bits), 20.2.14."""
    raw = unsigned(buf, tag) & 0xFFFFFFFF
    return raw >> 22, raw & 0x3FFFFF


def character_string(buf: bytes, tag: Tag) -> str:
    """A character string's text; the first octet names its character set (20.2.9)."""
    if tag.length < 1:
        return ""
    raw = buf[tag.data + 1 : tag.end]
    charset = _CHARSETS.get(buf[tag.data], "latin-1")
    return raw.decode(charset, errors="replace")


def bit_string(buf: bytes, tag: Tag) -> str:
    """Bits as '0'/'1' digits, first bit first; the first octet counts the unused bits."""
    if tag.length < 1:
        return ""
    unused = buf[tag.data] & 0x07
    bits = "".join(f"{b:08b}" for b in buf[tag.data + 1 : tag.end])
    return bits[: max(len(bits) - unused, 0)]


def _date(raw: bytes) -> str:
    year, month, day, weekday = (raw + b"\xff\xff\xff\xff")[:4]
    y = "*" if year == 255 else str(1900 + year)
    m = "*" if month == 255 else str(month)
    d = "*" if day == 255 else str(day)
    w = "*" if weekday == 255 else str(weekday)
    return f"{y}-{m}-{d} (day {w})"


def _time(raw: bytes) -> str:
    parts = ["*" if b == 255 else f"{b:02d}" for b in (raw + b"\xff\xff\xff\xff")[:4]]
    return f"{parts[0]}:{parts[1]}:{parts[2]}.{parts[3]}"


def application_value(buf: bytes, tag: Tag) -> Value:
    """The decoded value of an application-tagged primitive (20.2.2 to 20.2.14)."""
    number = tag.number
    raw = buf[tag.data : tag.end]
    if number == NULL:
        return None
    if number == BOOLEAN:
        return bool(tag.lvt)
    if number in (UNSIGNED, ENUMERATED):
        return unsigned(buf, tag)
    if number == SIGNED:
        return signed(buf, tag)
    if number == REAL and len(raw) == 4:
        return float(_REAL.unpack(raw)[0])
    if number == DOUBLE and len(raw) == 8:
        return float(_DOUBLE.unpack(raw)[0])
    if number == CHARACTER_STRING:
        return character_string(buf, tag)
    if number == BIT_STRING:
        return bit_string(buf, tag)
    if number == DATE:
        return _date(raw)
    if number == TIME:
        return _time(raw)
    if number == OBJECT_IDENTIFIER:
        return object_id(buf, tag)
    return raw.hex()

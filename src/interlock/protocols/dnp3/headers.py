"""Walk the object headers of an application fragment (IEEE 1815-2012, section 4.2.2.7):
group, variation, qualifier, range, then the objects themselves, header after header.

How big each object is comes from an ObjectRules value: the standard's library
(STANDARD_RULES, used by the engine's model) or a dissector's narrower knowledge (the
`dissect` renderer passes Wireshark 4.0's). The walk itself follows the order in which
Wireshark reads, so that both stop at the same byte: a header whose qualifier or range is
cut short, a bogus range, an object of unknown size or objects running past the end
stop the walk with an anomaly code. Pure; never raises on malformed input.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final, NamedTuple

from interlock.protocols.dnp3.objects import (
    BITS,
    DOUBLE_BITS,
    LENGTH_IN_VARIATION,
    VARIABLE,
    layout,
    layout_size,
)
from interlock.protocols.dnp3.qualifiers import (
    PREFIX_SIZES,
    RANGE_SIZES,
    SIZE_PREFIXES,
    Range,
    read_prefix,
    read_range,
)

Item = tuple[int, bytes]
"""(point index, or the object size for size prefixes; the object's bytes)."""
SizeFn = Callable[[int, int, bytes, int, int, int], "tuple[int, int] | None"]
"""(group, variation, buf, data position, prefix value, prefix code) -> (bytes the object
takes, bytes that must be present), or None when the size cannot be known."""


class ObjectRules(NamedTuple):
    kind: Callable[[int, int], str | None]
    """An object's layout (objects.py), or None for an object these rules do not know."""
    size: SizeFn
    reserved_ranges_empty: bool
    """Read a reserved range code as "no objects" and go on (Wireshark), or stop."""


class ObjectHeader(NamedTuple):
    group: int
    variation: int
    qualifier: int
    """-1 when the header is cut short before it."""
    start: int
    """First index or absolute address; -1 for quantities and when absent."""
    stop: int
    quantity: int
    """Objects announced (negative for a bogus range; -1 when the range is cut short)."""
    items: tuple[Item, ...]


def _attribute_size(buf: bytes, pos: int) -> tuple[int, int]:
    """A device attribute (group 0): data type, length, value."""
    if pos + 2 > len(buf):
        return 2, 2
    return 2 + buf[pos + 1], 2 + buf[pos + 1]


def _standard_size(
    group: int, variation: int, buf: bytes, pos: int, prefix_value: int, prefix_code: int
) -> tuple[int, int] | None:
    fields = layout(group, variation)
    if fields is None:
        return None
    if fields != VARIABLE:
        size = layout_size(fields)
        return size, size
    if group in LENGTH_IN_VARIATION:
        return variation, variation
    if group == 0:
        return _attribute_size(buf, pos)
    if prefix_code in SIZE_PREFIXES:
        return prefix_value, prefix_value
    return None


STANDARD_RULES: Final = ObjectRules(layout, _standard_size, False)
EXCESSIVE_COUNT: Final = 100_000
"""Objects of no bytes announced beyond this are read as a malformed header."""


def walk(
    buf: bytes, pos: int, header_only: bool, rules: ObjectRules
) -> tuple[list[ObjectHeader], str]:
    """Every object header from pos on, and the anomaly that stopped the walk ("" if none).

    header_only: the function's objects carry no data (a READ), so only index prefixes
    (and objects behind size prefixes) are read.
    """
    headers: list[ObjectHeader] = []
    end = len(buf)
    while pos <= end - 2:
        pos, header, problem = _one_header(buf, pos, header_only, rules)
        headers.append(header)
        if problem:
            return headers, problem
    return headers, ""


def _one_header(
    buf: bytes, pos: int, header_only: bool, rules: ObjectRules
) -> tuple[int, ObjectHeader, str]:
    group, variation = buf[pos], buf[pos + 1]
    if pos + 3 > len(buf):
        return pos, ObjectHeader(group, variation, -1, -1, -1, -1, ()), "dnp3.object_truncated"
    qualifier = buf[pos + 2]
    code = qualifier & 0x0F
    rng = read_range(buf, pos + 3, code)
    if rng is None:
        header = ObjectHeader(group, variation, qualifier, -1, -1, -1, ())
        return pos, header, "dnp3.object_truncated"
    header = ObjectHeader(group, variation, qualifier, rng.start, rng.stop, rng.quantity, ())
    if code not in RANGE_SIZES and not rules.reserved_ranges_empty:
        return pos, header, "dnp3.qualifier_reserved"
    if rng.quantity < 0:
        return pos, header, "dnp3.range_invalid"
    pos += 3 + rng.size
    prefix = (qualifier >> 4) & 0x07
    if header_only and prefix == 0:
        return pos, header, ""
    pos, items, problem = _objects(buf, pos, header_only, rules, header, prefix, rng)
    return pos, header._replace(items=tuple(items)), problem


def _objects(
    buf: bytes,
    pos: int,
    header_only: bool,
    rules: ObjectRules,
    header: ObjectHeader,
    prefix: int,
    rng: Range,
) -> tuple[int, list[Item], str]:
    kind = rules.kind(header.group, header.variation)
    reads_data = not header_only or prefix in SIZE_PREFIXES
    if reads_data and kind in (BITS, DOUBLE_BITS):
        return _packed(buf, pos, header, prefix, rng, kind == BITS)
    items: list[Item] = []
    psize = PREFIX_SIZES[prefix]
    index = max(rng.start, 0)
    count, k = rng.quantity, 0
    while k < count:
        if pos + psize > len(buf):
            return len(buf), items, "dnp3.object_truncated"
        index = read_prefix(buf, pos, prefix) if psize else index
        data_pos = pos + psize
        if kind == "":
            count = 0  # a class or default variation has no objects: one at most
        if not reads_data or kind == "":
            items.append((index, b""))
            if data_pos == pos:
                return _no_progress(pos, items, count - k)
            pos = data_pos
        else:
            sized = None if kind is None else rules.size(*header[:2], buf, data_pos, index, prefix)
            if sized is None or data_pos + sized[1] > len(buf):
                problem = "dnp3.object_unknown" if sized is None else "dnp3.object_truncated"
                return len(buf), items, problem
            items.append((index, buf[data_pos : data_pos + sized[0]]))
            if sized[0] == 0 and data_pos == pos:
                return _no_progress(pos, items, count - k)
            pos = data_pos + sized[0]
        index, k = index + 1, k + 1
    return pos, items, ""


def _no_progress(pos: int, items: list[Item], left: int) -> tuple[int, list[Item], str]:
    """Objects of no bytes: every one left would be the same. A few are harmless; millions
    (a 32-bit quantity) make Wireshark give up on the packet, and the walk stops too."""
    return pos, items, "dnp3.object_count_excessive" if left > EXCESSIVE_COUNT else ""


def _packed(
    buf: bytes, pos: int, header: ObjectHeader, prefix: int, rng: Range, single: bool
) -> tuple[int, list[Item], str]:
    """Objects packed 8 (single bits) or 4 (double bits) to a byte. Behind a prefix each
    single bit gets its own byte, except internal indications, which stay packed as
    Wireshark reads them; double bits stay packed whatever the prefix."""
    psize = PREFIX_SIZES[prefix]
    iin = (header.group, header.variation) == (80, 1)
    per_block = 8 if single and (not psize or iin) else (4 if not single else 1)
    block = psize + 1
    count = rng.quantity
    blocks = (count + per_block - 1) // per_block
    reach = psize + 1 if single else max(psize, 1)  # bytes each block's reads need
    fits = (len(buf) - pos - reach) // block + 1 if len(buf) - pos >= reach else 0
    problem = ""
    if blocks > fits:
        blocks, count, problem = fits, fits * per_block, "dnp3.object_truncated"
    bits = 1 if single else 2
    items: list[Item] = []
    start = max(rng.start, 0)
    for k in range(count):
        at = pos + (k // per_block) * block
        index = read_prefix(buf, at, prefix) if psize else start + k
        value = buf[at + (psize if single else 0)] >> (bits * (k % per_block))
        items.append((index, bytes((value & ((1 << bits) - 1),))))
    return (len(buf) if problem else pos + blocks * block), items, problem

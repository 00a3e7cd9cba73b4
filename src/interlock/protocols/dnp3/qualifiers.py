"""Object header qualifiers as data (IEEE 1815-2012, section 4.2.2.7): a prefix code (what
precedes each object) and a range code (what the range field holds).

Counts are computed as Wireshark 4.0 computes them, in 32-bit signed arithmetic, so that
a stop index below its start gives a count the caller can reject (a "bogus" range).
"""

from __future__ import annotations

from typing import Final, NamedTuple

PREFIX_SIZES: Final = (0, 1, 2, 4, 1, 2, 4, 0)
"""Bytes before each object, by prefix code: none, index (1, 2, 4), object size (1, 2, 4);
code 7 is reserved and read as no prefix."""
INDEX_PREFIXES: Final = frozenset({1, 2, 3})
SIZE_PREFIXES: Final = frozenset({4, 5, 6})

PREFIX_NAMES: Final = (
    "none",
    "index8",
    "index16",
    "index32",
    "size8",
    "size16",
    "size32",
    "reserved",
)

RANGE_SIZES: Final[dict[int, int]] = {
    0x0: 2,  # 8-bit start and stop indices
    0x1: 4,  # 16-bit start and stop indices
    0x2: 8,  # 32-bit start and stop indices
    0x3: 1,  # 8-bit absolute address (one object)
    0x4: 2,  # 16-bit absolute address
    0x5: 4,  # 32-bit absolute address
    0x6: 0,  # no range field: all objects
    0x7: 1,  # 8-bit quantity
    0x8: 2,  # 16-bit quantity
    0x9: 4,  # 32-bit quantity
    0xB: 1,  # free format: 8-bit quantity
}
"""Bytes of the range field, by range code; codes 0xA and 0xC-0xF are reserved."""

_START_STOP: Final = {0x0: 1, 0x1: 2, 0x2: 4}
_ADDRESS: Final = {0x3: 1, 0x4: 2, 0x5: 4}
_QUANTITY: Final = {0x7: 1, 0x8: 2, 0x9: 4, 0xB: 1}


class Range(NamedTuple):
    start: int
    """First index, or the absolute address; -1 when the range gives a quantity."""
    stop: int
    quantity: int
    """Objects announced; negative when the stop index is below the start."""
    size: int
    """Bytes the range field occupies."""


def _le(buf: bytes, pos: int, n: int) -> int:
    return int.from_bytes(buf[pos : pos + n], "little")


def _signed32(value: int) -> int:
    value &= 0xFFFFFFFF
    return value - 0x100000000 if value & 0x80000000 else value


def read_range(buf: bytes, pos: int, code: int) -> Range | None:
    """The range field at pos for a range code; None when it is cut short. A reserved
    code reads as an empty range of no bytes."""
    size = RANGE_SIZES.get(code)
    if size is None:
        return Range(-1, -1, 0, 0)
    if pos + size > len(buf):
        return None
    if code in _START_STOP:
        n = _START_STOP[code]
        start, stop = _le(buf, pos, n), _le(buf, pos + n, n)
        count = stop - start + 1 if n < 4 else _signed32(stop - start + 1)
        return Range(start, stop, count, size)
    if code in _ADDRESS:
        address = _le(buf, pos, size)
        return Range(address, address, 1, size)
    if code in _QUANTITY:
        return Range(-1, -1, _signed32(_le(buf, pos, size)), size)
    return Range(-1, -1, 0, 0)  # 0x6: no range field


def read_prefix(buf: bytes, pos: int, code: int) -> int:
    """The index or object size before an object (the caller checked the bytes exist)."""
    return _le(buf, pos, PREFIX_SIZES[code])

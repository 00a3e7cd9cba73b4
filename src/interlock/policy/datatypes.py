"""Tag values: raw words (or bits) to engineering units, per data type and word order.

A tag occupies one element (bool, 16-bit types) or two or four consecutive 16-bit words;
`big` word order puts the most significant word first (Modbus's usual high-word-first
float), `little` the least significant. Bytes within a word are big-endian, as Modbus
sends them. Engineering value = raw * scale + offset. Pure.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Sequence
from typing import Final

from interlock.policy.model import Tag

Decoder = Callable[[Sequence[int]], float | bool]

_FLOAT32: Final = struct.Struct(">f")
_FLOAT64: Final = struct.Struct(">d")


def decoder(tag: Tag) -> Decoder:
    """The function from the tag's words (in address order) to its engineering value."""
    if tag.type == "bool":
        return lambda words: bool(words[0])
    raw = _raw_decoder(tag)
    scale, offset = tag.scale, tag.offset
    if scale == 1.0 and offset == 0.0:
        return lambda words: float(raw(words))
    return lambda words: raw(words) * scale + offset


def _raw_decoder(tag: Tag) -> Callable[[Sequence[int]], float]:
    little = tag.word_order == "little"
    if tag.type == "uint16":
        return lambda w: float(w[0] & 0xFFFF)
    if tag.type == "int16":
        return lambda w: float(_signed(w[0] & 0xFFFF, 16))
    if tag.type in ("uint32", "int32"):
        signed = tag.type == "int32"

        def integer(w: Sequence[int]) -> float:
            value = _join(w, little)
            return float(_signed(value, 32) if signed else value)

        return integer
    packer = _FLOAT32 if tag.type == "float32" else _FLOAT64

    def floating(w: Sequence[int]) -> float:
        value = _join(w, little)
        return float(packer.unpack(value.to_bytes(packer.size, "big"))[0])

    return floating


def _join(words: Sequence[int], little: bool) -> int:
    ordered = reversed(words) if little else words
    value = 0
    for word in ordered:
        value = (value << 16) | (word & 0xFFFF)
    return value


def _signed(value: int, bits: int) -> int:
    return value - (1 << bits) if value >= 1 << (bits - 1) else value


def format_value(value: float | bool | None, units: str = "") -> str:
    """A value as a reason shows it: `500.0 %`, `true`, `unknown`."""
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "true" if value else "false"
    shown = repr(round(value, 6)) if value == value and abs(value) != float("inf") else str(value)
    return f"{shown} {units}" if units else shown

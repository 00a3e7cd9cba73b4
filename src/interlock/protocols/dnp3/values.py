"""Decode DNP3 objects into values: point readings, control relay output blocks, analog
output commands, device attributes. Layouts come from objects.py.

Pure; an object too short for its layout decodes to None rather than raising.
"""

from __future__ import annotations

import math
import struct
from typing import Final

from interlock.protocols.dnp3.attributes import (
    CONTROL_OPERATIONS,
    CONTROL_STATUS,
    DATA_FLT,
    DATA_INT,
    DATA_TIME,
    DATA_TYPES,
    DATA_UINT,
    DATA_VSTR,
    TRIP_CLOSE,
)
from interlock.protocols.dnp3.objects import BITS, DOUBLE_BITS, FIELD_SIZES

Number = int | float
_FORMATS: Final[dict[str, str]] = {
    "f": "B",
    "s": "B",
    "c": "B",
    "n": "B",
    "b": "B",
    "h": "h",
    "H": "H",
    "r": "H",
    "i": "i",
    "I": "I",
    "F": "f",
    "D": "d",
}
_VALUES: Final = "bhHiIFD"
"""Field codes that hold a point's value (flags, status, times are not values)."""


def unpack(fields: str, data: bytes) -> list[Number] | None:
    """The fields of one object, in order (a DNP3 time as milliseconds since 1970)."""
    if len(data) < sum(FIELD_SIZES[c] for c in fields):
        return None
    out: list[Number] = []
    pos = 0
    for code in fields:
        if code == "T":
            out.append(int.from_bytes(data[pos : pos + 6], "little"))
        else:
            out.append(struct.unpack_from("<" + _FORMATS[code], data, pos)[0])
        pos += FIELD_SIZES[code]
    return out


def point_value(fields: str, data: bytes) -> Number | None:
    """The value of one point object: its state, count or analog value."""
    if fields in (BITS, DOUBLE_BITS):
        return data[0] if data else None
    unpacked = unpack(fields, data)
    if unpacked is None:
        return None
    for code, value in zip(fields, unpacked):
        if code in _VALUES:
            return value
    if fields.startswith("f") and unpacked:  # a binary with flags: the state is bit 7
        return (int(unpacked[0]) >> 7) & 1
    return None


def crob(data: bytes) -> dict[str, object] | None:
    """A control relay output block (group 12 variation 1), spelled out."""
    unpacked = unpack("cnIIs", data)
    if unpacked is None:
        return None
    code, count, on_time, off_time, status = (int(v) for v in unpacked)
    return {
        "op_type": CONTROL_OPERATIONS.get(code & 0x0F, f"op_{code & 0x0F}"),
        "queue": bool(code & 0x10),
        "clear": bool(code & 0x20),
        "trip_close": TRIP_CLOSE[code >> 6],
        "count": count,
        "on_time": on_time,
        "off_time": off_time,
        "status": CONTROL_STATUS.get(status & 0x7F, f"status_{status & 0x7F}"),
    }


def analog_command(fields: str, data: bytes) -> dict[str, object] | None:
    """An analog output command (group 41): the value to set and the status."""
    unpacked = unpack(fields, data)
    if unpacked is None:
        return None
    status = int(unpacked[-1]) & 0x7F
    return {"value": unpacked[0], "status": CONTROL_STATUS.get(status, f"status_{status}")}


def attribute(data: bytes) -> tuple[str, object] | None:
    """A device attribute (group 0): its data type's name and its value."""
    if len(data) < 2 or len(data) < 2 + data[1]:
        return None
    data_type, value = data[0], data[2 : 2 + data[1]]
    name = DATA_TYPES.get(data_type, f"type_{data_type}")
    if data_type == DATA_VSTR:
        return name, value.decode("latin-1")
    if data_type in (DATA_UINT, DATA_TIME):
        return name, int.from_bytes(value, "little")
    if data_type == DATA_INT:
        return name, int.from_bytes(value, "little", signed=True)
    if data_type == DATA_FLT and len(value) in (4, 8):
        number = struct.unpack("<f" if len(value) == 4 else "<d", value)[0]
        return name, number if math.isfinite(number) else None
    return name, value.hex()

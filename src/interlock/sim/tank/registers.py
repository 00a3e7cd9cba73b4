"""The tank's Modbus register map (TANK.md): addresses, scaling and the float32 word order.

Unit id 1. Scaled integers are unsigned 16-bit ("x10": raw = value * 10); outflow_limit is
an IEEE float32 in two holding registers, high word first. Pure: no I/O.
"""

from __future__ import annotations

import math
import struct
from typing import Final

UNIT_ID: Final = 1

# coils
PUMP_RUN: Final = 0
INLET_VALVE_OPEN: Final = 1
OUTLET_VALVE_OPEN: Final = 2
COIL_COUNT: Final = 3

# holding registers
LEVEL_SP: Final = 0
PUMP_SPEED_SP: Final = 1
OUTFLOW_LIMIT: Final = 2  # and 3: float32, high word first
HIGH_ALARM_LIMIT: Final = 10
HOLDING_ADDRESSES: Final = (LEVEL_SP, PUMP_SPEED_SP, OUTFLOW_LIMIT, OUTFLOW_LIMIT + 1, 10)

# input registers
TANK_LEVEL: Final = 0
INFLOW: Final = 1
OUTFLOW: Final = 2
INPUT_COUNT: Final = 3

# discrete inputs
HIGH_ALARM: Final = 0
LOW_ALARM: Final = 1
DISCRETE_COUNT: Final = 2

RAW_MAX: Final = 0xFFFF


def to_x10(value: float) -> int:
    """Engineering value -> raw x10 register, clamped to what 16 bits unsigned can hold."""
    if not math.isfinite(value):
        return 0
    return max(0, min(RAW_MAX, round(value * 10)))


def from_x10(raw: int) -> float:
    return (raw & RAW_MAX) / 10


def float_to_words(value: float) -> tuple[int, int]:
    """float32 big-endian, high word first (TANK.md holding 2-3)."""
    high, low = struct.unpack(">HH", struct.pack(">f", value))
    return high, low


def words_to_float(high: int, low: int) -> float:
    value: float = struct.unpack(">f", struct.pack(">HH", high & RAW_MAX, low & RAW_MAX))[0]
    return value

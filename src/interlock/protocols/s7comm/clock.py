"""The S7 clock (userdata time functions): ten BCD bytes, as read and set.

    reserved | year (high digits) | year | month | day | hour | minute | second
             | milliseconds (hundreds, tens) | milliseconds (ones) << 4 | weekday

(Wireshark's s7comm_add_timestamp_to_tree, ten-byte form: the year is the two low digits,
1990-2089.) Pure; None for anything that is not such a time.
"""

from __future__ import annotations

CLOCK_LEN = 10


def _bcd(value: int) -> int | None:
    high, low = value >> 4, value & 0x0F
    return high * 10 + low if high < 10 and low < 10 else None


def decode_clock(payload: bytes | None) -> str | None:
    """The time in payload as "YYYY-MM-DDTHH:MM:SS.mmm", or None."""
    if payload is None or len(payload) < CLOCK_LEN:
        return None
    fields = [_bcd(b) for b in payload[1:9]]
    ones = payload[9] >> 4
    if any(f is None for f in fields) or ones > 9:
        return None
    _century, year, month, day, hour, minute, second, ms = (f or 0 for f in fields)
    if not (1 <= month <= 12 and 1 <= day <= 31 and hour < 24 and minute < 60 and second < 60):
        return None
    full_year = 2000 + year if year < 90 else 1900 + year  # as Wireshark reads it
    millis = ms * 10 + ones
    return (
        f"{full_year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}.{millis:03d}"
    )

"""Information elements (IEC 60870-5-101 section 7.2.6): point values with their quality
descriptors, command and set-point qualifiers, time tags, and the qualifiers of the
system commands. Pure functions over one object's element bytes; a short element gives
what it holds and nothing more.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Callable
from typing import Final

Element = dict[str, object]

_FLOAT = struct.Struct("<f")
_INT16 = struct.Struct("<h")
_INT32 = struct.Struct("<i")

QUALIFIERS: Final = ("no_pulse", "short_pulse", "long_pulse", "persistent")


def quality(octet: int) -> list[str]:
    """Quality descriptor bits set (QDS, SIQ, DIQ share BL/SB/NT/IV; OV is QDS's)."""
    names = [(0x10, "blocked"), (0x20, "substituted"), (0x40, "not_topical"), (0x80, "invalid")]
    return [name for bit, name in names if octet & bit]


def cp56time(data: bytes) -> str:
    """CP56Time2a as ISO 8601 (years 2000-2099; the invalid and summer bits apart)."""
    ms = data[0] | (data[1] << 8)
    return (
        f"{2000 + (data[6] & 0x7F):04d}-{data[5] & 0x0F:02d}-{data[4] & 0x1F:02d}"
        f"T{data[3] & 0x1F:02d}:{data[2] & 0x3F:02d}:{ms // 1000:02d}.{ms % 1000:03d}"
    )


def _time(out: Element, data: bytes, at: int) -> None:
    if len(data) >= at + 7:
        out["time"] = cp56time(data[at : at + 7])
        if data[at + 2] & 0x80:
            out["time_invalid"] = True
    elif len(data) >= at + 3:
        out["time_ms"] = data[at] | (data[at + 1] << 8)
        out["time_minute"] = data[at + 2] & 0x3F


def _command(octet: int, state: int) -> Element:
    qu = (octet >> 2) & 0x1F
    return {
        "state": state,
        "select": bool(octet & 0x80),
        "qualifier": QUALIFIERS[qu] if qu < len(QUALIFIERS) else qu,
    }


def _number(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _single(d: bytes) -> Element:
    return {"value": d[0] & 1, "quality": quality(d[0])}


def _double(d: bytes) -> Element:
    return {"value": d[0] & 3, "quality": quality(d[0])}


def _step(d: bytes) -> Element:
    value = d[0] & 0x7F
    return {
        "value": value - 0x80 if value & 0x40 else value,
        "transient": bool(d[0] & 0x80),
        "quality": quality(d[1]),
    }


def _bitstring(d: bytes) -> Element:
    return {"value": int.from_bytes(d[:4], "little"), "quality": quality(d[4])}


def _normalized(d: bytes) -> Element:
    return {"normalized": _INT16.unpack_from(d)[0] / 32768, "quality": quality(d[2])}


def _scaled(d: bytes) -> Element:
    return {"value": _INT16.unpack_from(d)[0], "quality": quality(d[2])}


def _short_float(d: bytes) -> Element:
    return {"float": _number(_FLOAT.unpack_from(d)[0]), "quality": quality(d[4])}


def _counter(d: bytes) -> Element:
    return {
        "value": _INT32.unpack_from(d)[0],
        "sequence": d[4] & 0x1F,
        "invalid": bool(d[4] & 0x80),
    }


def _sco(d: bytes) -> Element:
    return _command(d[0], d[0] & 1)


def _dco(d: bytes) -> Element:
    return _command(d[0], d[0] & 3)


def _setpoint(value: Element, qos: int) -> Element:
    return {**value, "select": bool(qos & 0x80), "qualifier": qos & 0x7F}


def _se_normalized(d: bytes) -> Element:
    return _setpoint({"normalized": _INT16.unpack_from(d)[0] / 32768}, d[2])


def _se_scaled(d: bytes) -> Element:
    return _setpoint({"value": _INT16.unpack_from(d)[0]}, d[2])


def _se_float(d: bytes) -> Element:
    return _setpoint({"float": _number(_FLOAT.unpack_from(d)[0])}, d[4])


def _bo_command(d: bytes) -> Element:
    return {"value": int.from_bytes(d[:4], "little")}


def _qoi(d: bytes) -> Element:
    return {"qoi": d[0]}


def _qcc(d: bytes) -> Element:
    return {"request": d[0] & 0x3F, "freeze": d[0] >> 6}


def _coi(d: bytes) -> Element:
    return {"cause_of_initialization": d[0] & 0x7F, "after_parameter_change": bool(d[0] & 0x80)}


def _qrp(d: bytes) -> Element:
    return {"qrp": d[0]}


def _clock(d: bytes) -> Element:
    out: Element = {}
    _time(out, d, 0)
    return out


def _parameter(value: Callable[[bytes], Element], at: int) -> Callable[[bytes], Element]:
    def decode(d: bytes) -> Element:
        base = value(d[:at] + b"\x00")
        base.pop("quality", None)
        return {**base, "kind_of_parameter": d[at] & 0x3F}

    return decode


# type id -> (decoder, bytes it needs, offset of a time tag or -1)
_DECODERS: Final[dict[int, tuple[Callable[[bytes], Element], int, int]]] = {
    1: (_single, 1, -1), 2: (_single, 1, 1), 30: (_single, 1, 1),
    3: (_double, 1, -1), 4: (_double, 1, 1), 31: (_double, 1, 1),
    5: (_step, 2, -1), 6: (_step, 2, 2), 32: (_step, 2, 2),
    7: (_bitstring, 5, -1), 8: (_bitstring, 5, 5), 33: (_bitstring, 5, 5),
    9: (_normalized, 3, -1), 10: (_normalized, 3, 3), 34: (_normalized, 3, 3),
    11: (_scaled, 3, -1), 12: (_scaled, 3, 3), 35: (_scaled, 3, 3),
    13: (_short_float, 5, -1), 14: (_short_float, 5, 5), 36: (_short_float, 5, 5),
    15: (_counter, 5, -1), 16: (_counter, 5, 5), 37: (_counter, 5, 5),
    45: (_sco, 1, -1), 58: (_sco, 1, 1),
    46: (_dco, 1, -1), 59: (_dco, 1, 1),
    47: (_dco, 1, -1), 60: (_dco, 1, 1),
    48: (_se_normalized, 3, -1), 61: (_se_normalized, 3, 3),
    49: (_se_scaled, 3, -1), 62: (_se_scaled, 3, 3),
    50: (_se_float, 5, -1), 63: (_se_float, 5, 5),
    51: (_bo_command, 4, -1), 64: (_bo_command, 4, 4),
    70: (_coi, 1, -1),
    100: (_qoi, 1, -1),
    101: (_qcc, 1, -1),
    103: (_clock, 7, -1),
    105: (_qrp, 1, -1),
    107: (_clock, 9, -1),
    110: (_parameter(_normalized, 2), 3, -1),
    111: (_parameter(_scaled, 2), 3, -1),
    112: (_parameter(_short_float, 4), 5, -1),
}  # fmt: skip


def decode_element(type_id: int, element: bytes) -> Element:
    """What one object's elements say, as plain JSON-ready values ({} when not understood)."""
    entry = _DECODERS.get(type_id)
    if entry is None or len(element) < entry[1]:
        return {}
    decoder, _, time_at = entry
    if type_id == 107:  # C_TS_TA_1: test sequence counter, then CP56Time2a
        out: Element = {"test_counter": element[0] | (element[1] << 8)}
        _time(out, element, 2)
        return out
    out = decoder(element)
    if time_at >= 0:
        _time(out, element, time_at)
    return out

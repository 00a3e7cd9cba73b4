"""Decode Modbus PDUs (function code and data) into typed values, per function code.

Modbus Application Protocol Specification v1.1b3, section 6; FC 43/14 in 6.21; UMAS as
publicly documented. Pure; malformed PDUs become anomaly codes, never exceptions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from interlock.protocols.modbus.functions import EXCEPTION_CODES, MEI_READ_DEVICE_ID


@dataclass(frozen=True, slots=True)
class DeviceIdObject:
    object_id: int
    value: bytes


@dataclass(frozen=True, slots=True)
class FileRecordRef:
    reference_type: int
    file_number: int
    record_number: int
    record_length: int


@dataclass(frozen=True, slots=True)
class ModbusPDU:
    """A decoded request or response. Fields that do not apply to the function are None."""

    function: int
    is_request: bool
    exception_code: int | None = None
    start: int | None = None
    count: int | None = None
    byte_count: int | None = None
    values: tuple[int, ...] = ()
    write_start: int | None = None
    write_count: int | None = None
    and_mask: int | None = None
    or_mask: int | None = None
    sub_function: int | None = None
    mei_type: int | None = None
    device_id_code: int | None = None
    object_id: int | None = None
    conformity_level: int | None = None
    more_follows: int | None = None
    next_object_id: int | None = None
    objects: tuple[DeviceIdObject, ...] = ()
    file_records: tuple[FileRecordRef, ...] = ()
    umas_session: int | None = None
    umas_function: int | None = None
    data: bytes = b""
    anomalies: tuple[str, ...] = ()


def _u16(b: bytes, i: int) -> int:
    return (b[i] << 8) | b[i + 1]


def _words(b: bytes, start: int, n: int) -> tuple[int, ...]:
    return tuple(_u16(b, start + 2 * k) for k in range(n) if start + 2 * k + 1 < len(b))


def _bits(b: bytes, start: int, n: int) -> tuple[int, ...]:
    return tuple((b[start + k // 8] >> (k % 8)) & 1 for k in range(n) if start + k // 8 < len(b))


def _flag(fields: dict[str, object], code: str) -> None:
    anomalies = fields.setdefault("anomalies", [])
    assert isinstance(anomalies, list)
    anomalies.append(code)


def _need(p: bytes, n: int, fields: dict[str, object]) -> bool:
    """True when p has at least n bytes; otherwise note the truncation."""
    if len(p) >= n:
        return True
    _flag(fields, "modbus.pdu_too_short")
    return False


Decoder = Callable[[bytes, dict[str, object]], None]


def _read_request(p: bytes, f: dict[str, object]) -> None:
    if _need(p, 5, f):
        f["start"], f["count"] = _u16(p, 1), _u16(p, 3)
        limit = 2000 if p[0] in (1, 2) else 125
        if not 1 <= _u16(p, 3) <= limit:
            _flag(f, "modbus.quantity_out_of_range")
        if len(p) > 5:
            _flag(f, "modbus.length_mismatch")


def _read_response(p: bytes, f: dict[str, object]) -> None:
    if _need(p, 2, f):
        f["byte_count"] = p[1]
        f["data"] = p[2 : 2 + p[1]]
        if len(p) != 2 + p[1]:
            _flag(f, "modbus.length_mismatch")


def _register_response(p: bytes, f: dict[str, object]) -> None:
    _read_response(p, f)
    if "byte_count" in f:
        f["values"] = _words(p, 2, p[1] // 2)


def _write_single(p: bytes, f: dict[str, object]) -> None:
    if _need(p, 5, f):
        f["start"], f["count"] = _u16(p, 1), 1
        f["values"] = (_u16(p, 3),)
        if p[0] == 5 and _u16(p, 3) not in (0x0000, 0xFF00):
            _flag(f, "modbus.coil_value_invalid")


def _write_multiple_request(p: bytes, f: dict[str, object]) -> None:
    if _need(p, 6, f):
        f["start"], f["count"], f["byte_count"] = _u16(p, 1), _u16(p, 3), p[5]
        n = _u16(p, 3)
        f["values"] = _bits(p, 6, n) if p[0] == 15 else _words(p, 6, n)
        if len(p) != 6 + p[5]:
            _flag(f, "modbus.length_mismatch")


def _write_multiple_response(p: bytes, f: dict[str, object]) -> None:
    if _need(p, 5, f):
        f["start"], f["count"] = _u16(p, 1), _u16(p, 3)


def _mask_write(p: bytes, f: dict[str, object]) -> None:
    if _need(p, 7, f):
        f["start"], f["count"] = _u16(p, 1), 1
        f["and_mask"], f["or_mask"] = _u16(p, 3), _u16(p, 5)


def _read_write_request(p: bytes, f: dict[str, object]) -> None:
    if _need(p, 10, f):
        f["start"], f["count"] = _u16(p, 1), _u16(p, 3)
        f["write_start"], f["write_count"], f["byte_count"] = _u16(p, 5), _u16(p, 7), p[9]
        f["values"] = _words(p, 10, _u16(p, 7))


def _fifo_request(p: bytes, f: dict[str, object]) -> None:
    if _need(p, 3, f):
        f["start"] = _u16(p, 1)


def _fifo_response(p: bytes, f: dict[str, object]) -> None:
    if _need(p, 5, f):
        f["byte_count"], f["count"] = _u16(p, 1), _u16(p, 3)
        f["values"] = _words(p, 5, _u16(p, 3))


def _diagnostics(p: bytes, f: dict[str, object]) -> None:
    if _need(p, 3, f):
        f["sub_function"] = _u16(p, 1)
        f["data"] = p[3:]
        f["values"] = _words(p, 3, (len(p) - 3) // 2)


def _file_record_request(p: bytes, f: dict[str, object]) -> None:
    if not _need(p, 2, f):
        return
    f["byte_count"] = p[1]
    refs = []
    pos = 2
    while pos + 7 <= len(p):
        length = _u16(p, pos + 5)
        refs.append(FileRecordRef(p[pos], _u16(p, pos + 1), _u16(p, pos + 3), length))
        pos += 7 + (2 * length if p[0] == 21 else 0)
    f["file_records"] = tuple(refs)


def _encapsulated(p: bytes, f: dict[str, object]) -> None:
    if not _need(p, 2, f):
        return
    f["mei_type"] = p[1]
    if p[1] != MEI_READ_DEVICE_ID:
        f["data"] = p[2:]
        return
    if f["is_request"]:
        if _need(p, 4, f):
            f["device_id_code"], f["object_id"] = p[2], p[3]
        return
    if not _need(p, 7, f):
        return
    f["device_id_code"], f["conformity_level"] = p[2], p[3]
    f["more_follows"], f["next_object_id"] = p[4], p[5]
    objects = []
    pos = 7
    for _ in range(p[6]):
        if pos + 2 > len(p) or pos + 2 + p[pos + 1] > len(p):
            _flag(f, "modbus.device_id_truncated")
            break
        objects.append(DeviceIdObject(p[pos], p[pos + 2 : pos + 2 + p[pos + 1]]))
        pos += 2 + p[pos + 1]
    f["objects"] = tuple(objects)


def _report_server_id_response(p: bytes, f: dict[str, object]) -> None:
    if _need(p, 2, f):
        f["byte_count"] = p[1]
        f["data"] = p[2 : 2 + p[1]]


def _umas(p: bytes, f: dict[str, object]) -> None:
    if _need(p, 3, f):
        f["umas_session"], f["umas_function"] = p[1], p[2]
        f["data"] = p[3:]


def _raw(p: bytes, f: dict[str, object]) -> None:
    f["data"] = p[1:]


_REQUESTS: Final[dict[int, Decoder]] = {
    1: _read_request,
    2: _read_request,
    3: _read_request,
    4: _read_request,
    5: _write_single,
    6: _write_single,
    8: _diagnostics,
    15: _write_multiple_request,
    16: _write_multiple_request,
    20: _file_record_request,
    21: _file_record_request,
    22: _mask_write,
    23: _read_write_request,
    24: _fifo_request,
    43: _encapsulated,
    90: _umas,
}
_RESPONSES: Final[dict[int, Decoder]] = {
    1: _read_response,
    2: _read_response,
    3: _register_response,
    4: _register_response,
    5: _write_single,
    6: _write_single,
    8: _diagnostics,
    15: _write_multiple_response,
    16: _write_multiple_response,
    17: _report_server_id_response,
    22: _mask_write,
    23: _register_response,
    24: _fifo_response,
    43: _encapsulated,
    90: _umas,
}


def decode_pdu(pdu: bytes, is_request: bool) -> ModbusPDU:
    """Decode a PDU (function code byte first) sent by a client (is_request) or a server."""
    if not pdu:
        return ModbusPDU(-1, is_request, anomalies=("modbus.pdu_empty",))
    code = pdu[0]
    fields: dict[str, object] = {"is_request": is_request}
    if code & 0x80 and not is_request:
        if _need(pdu, 2, fields):
            fields["exception_code"] = pdu[1]
            if pdu[1] not in EXCEPTION_CODES:
                _flag(fields, "modbus.exception_code_unknown")
    else:
        decoder = (_REQUESTS if is_request else _RESPONSES).get(code & 0x7F, _raw)
        decoder(pdu, fields)
    anomalies = fields.pop("anomalies", ())
    fields["anomalies"] = tuple(anomalies)  # type: ignore[arg-type]
    return ModbusPDU(code & 0x7F, **fields)  # type: ignore[arg-type]


# PDU lengths of the common functions, for a cheap "is this well formed?" answer.
_REQUEST_LENGTHS: Final[dict[int, int]] = {
    3: 5,
    4: 5,
    6: 5,
    7: 1,
    11: 1,
    12: 1,
    17: 1,
    22: 7,
    24: 3,
}
_RESPONSE_LENGTHS: Final[dict[int, int]] = {6: 5, 15: 5, 16: 5, 22: 7, 7: 2, 11: 5}
_BYTE_COUNTED_RESPONSES: Final = frozenset({1, 2, 3, 4, 12, 17, 23})


def pdu_anomalies(pdu: bytes, is_request: bool) -> tuple[str, ...]:
    """The anomalies decode_pdu would find, without decoding a well-formed common PDU."""
    n = len(pdu)
    if not n:
        return ("modbus.pdu_empty",)
    fc = pdu[0]
    if is_request:
        if fc in (1, 2) and n == 5 and 1 <= ((pdu[3] << 8) | pdu[4]) <= 2000:
            return ()
        if _REQUEST_LENGTHS.get(fc) == n and (fc > 4 or 1 <= ((pdu[3] << 8) | pdu[4]) <= 125):
            return ()
        if fc in (15, 16) and n >= 6 and n == 6 + pdu[5]:
            return ()
        if fc == 5 and n == 5 and pdu[3] in (0, 0xFF) and not pdu[4]:
            return ()
        if (fc == 23 and n >= 10 and n == 10 + pdu[9]) or (fc == 43 and n == 4 and pdu[1] == 14):
            return ()
        if fc == 8 and n >= 3:
            return ()
    elif (
        (fc == 8 and n >= 3)
        or (fc == 5 and n == 5 and pdu[3] in (0, 0xFF) and not pdu[4])
        or (
            n >= 2
            and (
                _RESPONSE_LENGTHS.get(fc) == n
                or (fc in _BYTE_COUNTED_RESPONSES and n == 2 + pdu[1])
                or (fc & 0x80 and n == 2 and pdu[1] in EXCEPTION_CODES)
            )
        )
    ):
        return ()
    return decode_pdu(pdu, is_request).anomalies

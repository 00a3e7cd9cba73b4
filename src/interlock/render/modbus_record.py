"""Modbus/TCP units as Wireshark 4.0 shows them (packet-mbtcp.c), for `interlock dissect`.

Wireshark's quirks live here only: query or response is decided by port (the Modbus port
on one side only), exception responses carry no request frame, and the request fields
it prints depend on the function code.
"""

from __future__ import annotations

from typing import Any

from interlock.protocols.modbus.mbap import ModbusADU
from interlock.protocols.modbus.pdu import pdu_anomalies
from interlock.protocols.modbus.session import SeenRequest

_READS_BITS = frozenset({1, 2})
_READS_WORDS = frozenset({3, 4})


def _u16(p: bytes, i: int) -> int | None:
    return (p[i] << 8) | p[i + 1] if len(p) >= i + 2 else None


def modbus_record(
    adu: ModbusADU, role: int, answered: SeenRequest | None
) -> tuple[None, dict[str, Any], tuple[str, ...]]:
    """Fields and anomalies of one ADU; role 1 query, 0 response, -1 when ports cannot tell."""
    # Indexes rather than field names: this runs for every unit (0 trans_id, 3 unit_id,
    # 5 pdu, 6 anomalies).
    f: dict[str, Any] = {"mbtcp.trans_id": adu[0], "mbtcp.unit_id": adu[3]}
    pdu = adu[5]
    anomalies = adu[6] or pdu_anomalies(pdu, role != 0)
    if not pdu:
        return None, f, anomalies
    raw = pdu[0]
    fc = raw & 0x7F
    f["modbus.func_code"] = fc
    if raw & 0x80 and len(pdu) >= 2 and pdu[1]:
        f["modbus.exception_code"] = pdu[1]
    elif role == 1:
        if fc < 5 and len(pdu) >= 5:  # the polling reads: by far the most frequent
            f["modbus.reference_num"] = (pdu[1] << 8) | pdu[2]
            f["modbus.bit_cnt" if fc < 3 else "modbus.word_cnt"] = (pdu[3] << 8) | pdu[4]
        else:
            _request(fc, pdu, f)
    elif role == 0:
        if answered is not None:
            f["modbus.request_frame"] = answered[0]
        if fc > 4:
            _response(fc, pdu, f)
    return None, f, anomalies


def _put(f: dict[str, Any], key: str, value: int | None) -> None:
    if value is not None:
        f[key] = value


def _request(fc: int, p: bytes, f: dict[str, Any]) -> None:
    if fc in _READS_BITS or fc == 15:
        _put(f, "modbus.reference_num", _u16(p, 1))
        _put(f, "modbus.bit_cnt", _u16(p, 3))
    elif fc in _READS_WORDS or fc == 16:
        _put(f, "modbus.reference_num", _u16(p, 1))
        _put(f, "modbus.word_cnt", _u16(p, 3))
    elif fc in (5, 6, 22, 24):
        _put(f, "modbus.reference_num", _u16(p, 1))
    elif fc in (20, 21):
        _file_groups(p, f)


def _response(fc: int, p: bytes, f: dict[str, Any]) -> None:
    if fc == 15:
        _put(f, "modbus.reference_num", _u16(p, 1))
        _put(f, "modbus.bit_cnt", _u16(p, 3))
    elif fc == 16:
        _put(f, "modbus.reference_num", _u16(p, 1))
        _put(f, "modbus.word_cnt", _u16(p, 3))
    elif fc in (5, 6, 22):
        _put(f, "modbus.reference_num", _u16(p, 1))
    elif fc == 24:
        _put(f, "modbus.word_cnt", _u16(p, 3))
    elif fc in (20, 21):
        _file_groups(p, f)


def _file_groups(p: bytes, f: dict[str, Any]) -> None:
    if len(p) < 2:
        return
    counts = [
        (p[i + 5] << 8) | p[i + 6] for i in range(2, 2 + (p[1] // 7) * 7, 7) if i + 7 <= len(p)
    ]
    if counts:
        f["modbus.word_cnt"] = counts

"""MBAP framing and the Modbus/TCP ADU (Messaging on TCP/IP Implementation Guide v1.0b,
section 3.1.3): transaction id, protocol id, length, unit id, then the PDU.

Pure: bytes in, typed values out; the same codec serves the passive dissector and the
inline gateway. Nothing here raises on malformed input: it becomes anomaly codes.
"""

from __future__ import annotations

import struct
from typing import Final, NamedTuple

HEADER_LEN: Final = 7
# Wireshark's heuristic wants 8 bytes (MBAP and a function code) before it calls a
# segment Modbus at all.
MIN_START_LEN: Final = 8
MAX_LENGTH_FIELD: Final = 254  # unit id + 253-byte PDU

_HEADER = struct.Struct(">HHHB")
_new = tuple.__new__


class ModbusADU(NamedTuple):
    """One Modbus/TCP application data unit, decoded only as far as its header."""

    trans_id: int
    protocol_id: int
    length: int
    unit_id: int
    function_raw: int
    """Function code as on the wire, exception bit included; -1 when the PDU is empty."""
    pdu: bytes
    """The PDU: function code byte and data (as captured)."""
    anomalies: tuple[str, ...]

    @property
    def function(self) -> int:
        return self.function_raw & 0x7F if self.function_raw >= 0 else -1

    @property
    def is_exception(self) -> bool:
        return self.function_raw >= 0x80


def unit_length(buf: bytes, pos: int) -> int:
    """Total ADU length from the MBAP header at pos; 0 if fewer than 6 bytes are there."""
    if len(buf) - pos < 6:
        return 0
    return ((buf[pos + 4] << 8) | buf[pos + 5]) + 6


def starts_unit(buf: bytes, pos: int, end: int) -> bool:
    """Can a Modbus/TCP ADU start at pos? Wireshark's test for a segment's first bytes."""
    if end - pos < MIN_START_LEN:
        return False
    if buf[pos + 2] or buf[pos + 3]:
        return False
    return ((buf[pos + 4] << 8) | buf[pos + 5]) >= 2


def probe(buf: bytes, pos: int, end: int) -> bool:
    """Stricter content test for traffic on a port that is not Modbus's."""
    if not starts_unit(buf, pos, end):
        return False
    length = (buf[pos + 4] << 8) | buf[pos + 5]
    if length > MAX_LENGTH_FIELD or pos + 6 + length != end:
        return False
    fc = buf[pos + 7] & 0x7F
    return 0 < fc < 0x80 and (fc <= 24 or fc in (43, 90, 125, 126))


def parse_exact(buf: bytes, start: int, end: int) -> ModbusADU | None:
    """The ADU when buf[start:end] is exactly one well-formed ADU, else None.

    The engine's fast path for a segment holding one whole unit: one call instead of
    framing, start test and parse.
    """
    if end - start > HEADER_LEN:
        tid, pid, length, unit = _HEADER.unpack_from(buf, start)
        if not pid and 2 <= length <= MAX_LENGTH_FIELD and end - start == length + 6:
            # tuple.__new__ skips NamedTuple's Python-level constructor: this is per packet.
            return _new(ModbusADU, (tid, 0, length, unit, buf[start + 7], buf[start + 7 : end], ()))
    return None


def parse_adu(buf: bytes, start: int, end: int) -> ModbusADU:
    """Decode the ADU occupying buf[start:end]."""
    return parse_exact(buf, start, end) or _parse_irregular(buf, start, end)


def _parse_irregular(buf: bytes, start: int, end: int) -> ModbusADU:
    anomalies: list[str] = []
    if end - start < HEADER_LEN:
        padded = buf[start:end] + bytes(HEADER_LEN)
        tid, pid, length, unit = _HEADER.unpack_from(padded, 0)
        return ModbusADU(tid, pid, length, unit, -1, b"", ("modbus.truncated",))
    tid, pid, length, unit = _HEADER.unpack_from(buf, start)
    pdu = buf[start + HEADER_LEN : end]
    if pid != 0:
        anomalies.append("modbus.protocol_id")
    if length < 2:
        anomalies.append("modbus.length_too_short")
    elif length > MAX_LENGTH_FIELD:
        anomalies.append("modbus.length_too_long")
    if len(pdu) != length - 1 and length >= 1:
        anomalies.append("modbus.truncated")
    function_raw = pdu[0] if pdu else -1
    return ModbusADU(tid, pid, length, unit, function_raw, pdu, tuple(anomalies))


def encode_adu(trans_id: int, unit_id: int, pdu: bytes) -> bytes:
    """Frame a PDU for Modbus/TCP."""
    return _HEADER.pack(trans_id & 0xFFFF, 0, len(pdu) + 1, unit_id & 0xFF) + pdu

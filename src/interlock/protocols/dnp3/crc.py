"""The DNP3 link-layer CRC (IEEE 1815-2012, section 9.2.5): CRC-16 with polynomial 0x3D65,
bits reflected, initial value 0, result complemented, sent low byte first.

Pure and table-driven: the table is computed once at import.
"""

from __future__ import annotations

from typing import Final

_REFLECTED_POLY: Final = 0xA6BC  # 0x3D65, bit-reversed


def _table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ _REFLECTED_POLY if crc & 1 else crc >> 1
        table.append(crc)
    return tuple(table)


_TABLE: Final = _table()


def crc16(buf: bytes, start: int, end: int) -> int:
    """The DNP3 CRC of buf[start:end]."""
    crc = 0
    table = _TABLE
    for i in range(start, end):
        crc = (crc >> 8) ^ table[(crc ^ buf[i]) & 0xFF]
    return ~crc & 0xFFFF


def crc_ok(buf: bytes, start: int, end: int) -> bool:
    """Whether the two bytes at buf[end:end + 2] are the CRC of buf[start:end]."""
    if end + 2 > len(buf):
        return False
    return crc16(buf, start, end) == buf[end] | (buf[end + 1] << 8)


def with_crc(block: bytes) -> bytes:
    """block followed by its CRC, as it goes on the wire."""
    crc = crc16(block, 0, len(block))
    return block + bytes((crc & 0xFF, crc >> 8))

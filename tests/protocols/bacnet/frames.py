"""Ethernet/IPv4/UDP frames on port 47808 for the project's own BACnet captures."""

from __future__ import annotations

import socket
import struct
from pathlib import Path
from typing import Final

BASE_TS: Final = 1_767_225_600.0  # 2026-01-01T00:00:00Z
STEP: Final = 0.004
DATA: Final = Path(__file__).resolve().parents[2] / "data"
CLIENT_IP: Final = "10.0.0.1"
DEVICE_IP: Final = "10.0.0.2"
PORT: Final = 47808


def _checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f">{len(data) // 2}H", data))
    total = (total >> 16) + (total & 0xFFFF)
    return ~(total + (total >> 16)) & 0xFFFF


def udp_frame(src: str, dst: str, payload: bytes, ident: int) -> bytes:
    """An Ethernet/IPv4/UDP frame from src:47808 to dst:47808."""
    udp = struct.pack(">HHHH", PORT, PORT, 8 + len(payload), 0) + payload
    header = struct.pack(
        ">BBHHHBBH4s4s",
        0x45,
        0,
        20 + len(udp),
        ident,
        0,
        64,
        17,
        0,
        socket.inet_aton(src),
        socket.inet_aton(dst),
    )
    header = header[:10] + struct.pack(">H", _checksum(header)) + header[12:]
    macs = (b"\x02\x00\x00\x00\x00\x01", b"\x02\x00\x00\x00\x00\x02")
    dst_mac, src_mac = (macs[1], macs[0]) if src == CLIENT_IP else (macs[0], macs[1])
    return dst_mac + src_mac + b"\x08\x00" + header + udp

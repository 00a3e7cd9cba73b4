"""Ethernet/IPv4/TCP frames for a recorded conversation: handshake, data, teardown.

Builds the frames a tap would have seen for a byte stream exchanged between two hosts,
with consistent sequence numbers and valid checksums.
"""

from __future__ import annotations

import ipaddress
import struct
from dataclasses import dataclass, field

_ETH_TYPE_IPV4 = b"\x08\x00"
SYN, ACK, PSH, FIN = 0x02, 0x10, 0x08, 0x01


def _checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\x00"
    total = int(sum(struct.unpack(f"!{len(data) // 2}H", data)))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def _mac(index: int) -> bytes:
    return bytes((0x02, 0x00, 0x5E, 0x10, 0x00, index & 0xFF))


@dataclass
class TcpConversation:
    """Both directions of one TCP connection; direction 0 is the client."""

    client_ip: str
    client_port: int
    server_ip: str
    server_port: int
    seq: list[int] = field(default_factory=lambda: [1000, 50000])
    ip_id: int = 1
    client_mac: bytes | None = None
    """The client's own MAC; by default every client shares one (older captures rely on it)."""

    def __post_init__(self) -> None:
        self._ips = (
            ipaddress.IPv4Address(self.client_ip).packed,
            ipaddress.IPv4Address(self.server_ip).packed,
        )
        self._ports = (self.client_port, self.server_port)
        self._macs = (self.client_mac or _mac(1), _mac(2))

    def packet(self, direction: int, flags: int, payload: bytes = b"") -> bytes:
        src, dst = self._ips[direction], self._ips[1 - direction]
        sport, dport = self._ports[direction], self._ports[1 - direction]
        seq, ack = self.seq[direction], self.seq[1 - direction]
        tcp = struct.pack(
            "!HHIIBBHHH", sport, dport, seq, ack if flags & ACK else 0, 5 << 4, flags, 65535, 0, 0
        )
        pseudo = src + dst + struct.pack("!BBH", 0, 6, len(tcp) + len(payload))
        csum = _checksum(pseudo + tcp + payload)
        tcp = tcp[:16] + struct.pack("!H", csum) + tcp[18:]
        total = 20 + len(tcp) + len(payload)
        ip = struct.pack(
            "!BBHHHBBH4s4s", 0x45, 0, total, self.ip_id & 0xFFFF, 0x4000, 64, 6, 0, src, dst
        )
        ip = ip[:10] + struct.pack("!H", _checksum(ip)) + ip[12:]
        self.ip_id += 1
        advance = len(payload) + (1 if flags & (SYN | FIN) else 0)
        self.seq[direction] = (seq + advance) & 0xFFFFFFFF
        eth = self._macs[1 - direction] + self._macs[direction] + _ETH_TYPE_IPV4
        return eth + ip + tcp + payload

    def handshake(self) -> list[bytes]:
        return [self.packet(0, SYN), self.packet(1, SYN | ACK), self.packet(0, ACK)]

    def data(self, direction: int, payload: bytes) -> bytes:
        return self.packet(direction, PSH | ACK, payload)

    def close(self) -> list[bytes]:
        return [self.packet(0, FIN | ACK), self.packet(1, FIN | ACK), self.packet(0, ACK)]

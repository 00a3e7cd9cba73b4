"""The ARP packet (RFC 826): hardware and protocol types and sizes, opcode, then sender
and target hardware and protocol addresses of the announced sizes.

Pure: bytes in, a typed packet out; malformed input becomes anomaly codes.
"""

from __future__ import annotations

from typing import Final, NamedTuple

ETHERNET_HW: Final = 1
IPV4: Final = 0x0800
REQUEST: Final = 1
REPLY: Final = 2
OPCODE_NAMES: Final = {
    1: "request",
    2: "reply",
    3: "reverse_request",
    4: "reverse_reply",
    5: "drarp_request",
    6: "drarp_reply",
    7: "drarp_error",
    8: "inarp_request",
    9: "inarp_reply",
    10: "arp_nak",
}
_ZERO4: Final = bytes(4)
_ZERO6: Final = bytes(6)


class ArpPacket(NamedTuple):
    hw_type: int
    proto_type: int
    hw_size: int
    proto_size: int
    opcode: int
    sender_hw: bytes
    sender_proto: bytes
    target_hw: bytes
    target_proto: bytes
    anomalies: tuple[str, ...]

    @property
    def is_ethernet_ipv4(self) -> bool:
        """Hardware and protocol addresses are a MAC and an IPv4 address."""
        return self.hw_size == 6 and self.proto_size == 4 and self.proto_type == IPV4

    @property
    def is_gratuitous(self) -> bool:
        """Sender and target protocol addresses agree: the sender announces its own."""
        return (
            self.opcode in (REQUEST, REPLY)
            and len(self.sender_proto) == self.proto_size
            and len(self.target_proto) == self.proto_size
            and self.sender_proto == self.target_proto
        )

    @property
    def is_probe(self) -> bool:
        """RFC 5227 probe: a request from 0.0.0.0 asking whether an address is taken."""
        return (
            self.opcode == REQUEST
            and self.is_ethernet_ipv4
            and self.sender_proto == _ZERO4
            and self.target_hw == _ZERO6
        )

    @property
    def is_announcement(self) -> bool:
        """RFC 5227 announcement: a gratuitous request with an all-zero target MAC."""
        return self.opcode == REQUEST and self.is_gratuitous and not any(self.target_hw)

    @property
    def kind(self) -> str:
        if self.is_probe:
            return "probe"
        if self.is_announcement:
            return "announcement"
        if self.is_gratuitous:
            return "gratuitous"
        return OPCODE_NAMES.get(self.opcode, "unknown")


def parse(buf: bytes, start: int, end: int) -> ArpPacket:
    """Decode the ARP packet at buf[start:end] (Ethernet padding after it is ignored)."""
    if end - start < 8:
        head = bytes(buf[start:end]) + bytes(8)
        hw, pt, hs, ps, op = _header(head, 0)
        return ArpPacket(hw, pt, hs, ps, op, b"", b"", b"", b"", ("arp.truncated",))
    hw, pt, hs, ps, op = _header(buf, start)
    anomalies: list[str] = []
    if hw == ETHERNET_HW and hs != 6:
        anomalies.append("arp.bad_hw_size")
    if pt == IPV4 and ps != 4:
        anomalies.append("arp.bad_proto_size")
    if op not in OPCODE_NAMES:
        anomalies.append("arp.unknown_opcode")
    pos = start + 8
    parts: list[bytes] = []
    for size in (hs, ps, hs, ps):
        parts.append(bytes(buf[pos : min(pos + size, end)]))
        pos += size
    if pos > end:
        anomalies.append("arp.truncated")
    return ArpPacket(hw, pt, hs, ps, op, parts[0], parts[1], parts[2], parts[3], tuple(anomalies))


def _header(buf: bytes, at: int) -> tuple[int, int, int, int, int]:
    return (
        (buf[at] << 8) | buf[at + 1],
        (buf[at + 2] << 8) | buf[at + 3],
        buf[at + 4],
        buf[at + 5],
        (buf[at + 6] << 8) | buf[at + 7],
    )

"""Frame builders for the identity protocols' crafted captures: Ethernet II, 802.3 with
LLC/SNAP, 802.1Q tags, and IPv4/UDP datagrams (checksum left zero: Wireshark does not
validate it, and neither does Interlock)."""

from __future__ import annotations

import struct

BROADCAST = b"\xff" * 6


def mac(text: str) -> bytes:
    return bytes.fromhex(text.replace(":", ""))


def ip(text: str) -> bytes:
    return bytes(int(p) for p in text.split("."))


def ethernet(dst: bytes, src: bytes, ethertype: int, payload: bytes, vlan: int = -1) -> bytes:
    tag = struct.pack("!HH", 0x8100, vlan) if vlan >= 0 else b""
    frame = dst + src + tag + struct.pack("!H", ethertype) + payload
    return frame + bytes(max(0, 60 - len(frame)))  # minimum Ethernet frame: padding


def snap(dst: bytes, src: bytes, oui: int, pid: int, payload: bytes) -> bytes:
    llc = b"\xaa\xaa\x03" + oui.to_bytes(3, "big") + struct.pack("!H", pid) + payload
    frame = dst + src + struct.pack("!H", len(llc)) + llc
    return frame + bytes(max(0, 60 - len(frame)))


def udp(
    src_mac: bytes, dst_mac: bytes, src: str, dst: str, sport: int, dport: int, payload: bytes
) -> bytes:
    header = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0)
    total = 20 + 8 + len(payload)
    ipv4 = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, 1, 0, 64, 17, 0, ip(src), ip(dst))
    return ethernet(dst_mac, src_mac, 0x0800, ipv4 + header + payload)

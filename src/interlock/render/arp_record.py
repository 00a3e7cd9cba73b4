"""ARP packets as Wireshark 4.0 shows them (packet-arp.c), for `interlock dissect`.

Addresses of the usual sizes get their typed fields (arp.src.hw_mac, arp.src.proto_ipv4);
other sizes the raw ones (arp.src.hw, arp.src.proto, hex). arp.isgratuitous, arp.isprobe
and arp.isannouncement are present (as 1) only when true, as Wireshark adds them.
Wireshark's duplicate-address and storm detection (state across frames) is not rendered.
"""

from __future__ import annotations

from typing import Any

from interlock.protocols.arp.packet import ETHERNET_HW, IPV4, ArpPacket
from interlock.protocols.identity.wire import hex_text, ipv4_text, mac_text


def arp_record(
    packet: ArpPacket, role: int, answered: Any
) -> tuple[None, dict[str, Any], tuple[str, ...]]:
    f: dict[str, Any] = {
        "arp.hw.type": packet.hw_type,
        "arp.proto.type": packet.proto_type,
        "arp.hw.size": packet.hw_size,
        "arp.proto.size": packet.proto_size,
        "arp.opcode": packet.opcode,
    }
    if "arp.truncated" in packet.anomalies and not packet.target_proto:
        return None, f, packet.anomalies
    if packet.is_gratuitous:
        f["arp.isgratuitous"] = 1
    if packet.is_probe:
        f["arp.isprobe"] = 1
    if packet.is_announcement:
        f["arp.isannouncement"] = 1
    mac = packet.hw_type == ETHERNET_HW and packet.hw_size == 6
    ip = packet.proto_type == IPV4 and packet.proto_size == 4
    for side, hw, proto in (
        ("src", packet.sender_hw, packet.sender_proto),
        ("dst", packet.target_hw, packet.target_proto),
    ):
        if len(hw) == packet.hw_size:
            if mac:
                f[f"arp.{side}.hw_mac"] = mac_text(hw)
            elif hw:
                f[f"arp.{side}.hw"] = hex_text(hw)
        if len(proto) == packet.proto_size:
            if ip:
                f[f"arp.{side}.proto_ipv4"] = ipv4_text(proto)
            elif proto:
                f[f"arp.{side}.proto"] = hex_text(proto)
    return None, f, packet.anomalies

"""Crafted link-layer frames: ARP (RFC 826, RFC 5227), LLDP (IEEE 802.1AB-2016 with IEEE
802.1, 802.3 and PROFINET organizational TLVs), built byte by byte from the documented
layouts. No stack on this host speaks them to a capture we can make, so these are
crafted; tshark 4.0's dissection of them is the committed truth."""

from __future__ import annotations

import struct

from protocols.identity.frames import BROADCAST, ethernet, ip, mac

PLC = mac("00:1b:1b:12:34:56")
SWITCH = mac("00:0e:cf:aa:bb:01")
STATION = mac("08:00:06:01:02:03")
LLDP_MULTICAST = mac("01:80:c2:00:00:0e")


def arp(op: int, sha: bytes, spa: bytes, tha: bytes, tpa: bytes, hs: int = 6, ps: int = 4) -> bytes:
    return struct.pack("!HHBBH", 1, 0x0800, hs, ps, op) + sha + spa + tha + tpa


def arp_frames() -> list[bytes]:
    zero = bytes(6)
    station_ip, plc_ip = ip("192.168.0.10"), ip("192.168.0.20")
    return [
        ethernet(BROADCAST, STATION, 0x0806, arp(1, STATION, station_ip, zero, plc_ip)),
        ethernet(STATION, PLC, 0x0806, arp(2, PLC, plc_ip, STATION, station_ip)),
        ethernet(BROADCAST, PLC, 0x0806, arp(1, PLC, bytes(4), zero, plc_ip)),  # probe
        ethernet(BROADCAST, PLC, 0x0806, arp(1, PLC, plc_ip, zero, plc_ip)),  # announcement
        ethernet(BROADCAST, PLC, 0x0806, arp(2, PLC, plc_ip, PLC, plc_ip)),  # gratuitous reply
        ethernet(BROADCAST, PLC, 0x0806, arp(1, PLC, plc_ip, zero, plc_ip), vlan=10),
        ethernet(
            BROADCAST, PLC, 0x0806, arp(1, PLC + b"\0\0", plc_ip, zero + b"\0\0", plc_ip, hs=8)
        ),
        ethernet(
            BROADCAST, PLC, 0x0806, arp(1, PLC, plc_ip, zero, plc_ip)[:20]
        ),  # cut short (padded)
    ]


def tlv(kind: int, value: bytes) -> bytes:
    return struct.pack("!H", (kind << 9) | len(value)) + value


def org(oui: int, subtype: int, data: bytes) -> bytes:
    return tlv(127, oui.to_bytes(3, "big") + bytes((subtype,)) + data)


def mgmt_ipv4(address: str, ifindex: int) -> bytes:
    return tlv(8, b"\x05\x01" + ip(address) + b"\x02" + struct.pack("!I", ifindex) + b"\x00")


def lldp_frames() -> list[bytes]:
    switch = (
        tlv(1, b"\x04" + SWITCH)
        + tlv(2, b"\x05" + b"port-001.siemens")  # interface name
        + tlv(3, struct.pack("!H", 20))
        + tlv(4, b"Siemens, SIMATIC NET, Ethernet Port, X1 P1")
        + tlv(5, b"scalance-x204")
        + tlv(6, b"Siemens, SIMATIC NET, SCALANCE X204IRT, 6GK5 204-0BA00-2BA3, HW: 7")
        + tlv(7, struct.pack("!HH", 0x0014, 0x0004))
        + mgmt_ipv4("192.168.0.2", 1)
        + org(0x0080C2, 1, struct.pack("!H", 10))
        + org(0x0080C2, 3, struct.pack("!HB", 10, 4) + b"ot10")
        + org(0x00120F, 1, b"\x03" + struct.pack("!HH", 0x6C00, 16))
        + org(0x000ECF, 1, struct.pack("!IIIII", 0, 0, 0, 0, 50))
        + org(0x000ECF, 2, struct.pack("!HH", 0, 0))
        + org(0x000ECF, 5, SWITCH)
        + tlv(0, b"")
    )
    device = (
        tlv(1, b"\x07" + b"plc-1.profinet")  # locally assigned
        + tlv(2, b"\x03" + PLC)  # MAC address
        + tlv(3, struct.pack("!H", 0))  # shutdown
        + tlv(8, b"\x11\x02" + bytes(15) + b"\x01" + b"\x02" + struct.pack("!I", 3) + b"\x00")
        + tlv(0, b"")
    )
    broken = (
        tlv(1, b"\x04" + PLC) + tlv(3, b"\x00\x78") + struct.pack("!H", (5 << 9) | 200) + b"abc"
    )
    network = (
        tlv(1, b"\x05\x01" + ip("10.0.0.1"))
        + tlv(2, b"\x01" + b"Gi0/1")
        + tlv(3, b"\x00\x78")
        + tlv(0, b"")
    )
    return [
        ethernet(LLDP_MULTICAST, SWITCH, 0x88CC, switch),
        ethernet(LLDP_MULTICAST, PLC, 0x88CC, device),
        ethernet(LLDP_MULTICAST, PLC, 0x88CC, broken),
        ethernet(LLDP_MULTICAST, SWITCH, 0x88CC, network),
    ]

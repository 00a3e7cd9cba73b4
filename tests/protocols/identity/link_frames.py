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


def cdp_tlv(kind: int, value: bytes) -> bytes:
    return struct.pack("!HH", kind, 4 + len(value)) + value


def cdp_ipv4(*addresses: str) -> bytes:
    entries = b"".join(b"\x01\x01\xcc\x00\x04" + ip(a) for a in addresses)
    return struct.pack("!I", len(addresses)) + entries


def cdp_frames() -> list[bytes]:
    from protocols.identity.frames import snap

    multicast = mac("01:00:0c:cc:cc:cc")
    router = mac("00:1e:be:11:22:33")
    body = (
        cdp_tlv(0x0001, b"core-sw1.plant.local")
        + cdp_tlv(0x0002, cdp_ipv4("10.1.1.1"))
        + cdp_tlv(0x0003, b"GigabitEthernet1/0/24")
        + cdp_tlv(0x0004, struct.pack("!I", 0x28))
        + cdp_tlv(0x0005, b"Cisco IOS Software, C3750E Software, Version 15.0(2)SE11")
        + cdp_tlv(0x0006, b"cisco WS-C3750X-48P")
        + cdp_tlv(0x0009, b"PLANT")
        + cdp_tlv(0x000A, struct.pack("!H", 10))
        + cdp_tlv(0x000B, b"\x01")
        + cdp_tlv(0x0016, cdp_ipv4("10.1.1.1", "10.1.2.1"))
    )
    broken = cdp_tlv(0x0001, b"sw2") + struct.pack("!HH", 0x0006, 200) + b"cut"
    return [
        snap(multicast, router, 0x00000C, 0x2000, b"\x02\xb4\x00\x00" + body),
        snap(multicast, router, 0x00000C, 0x2000, b"\x02\xb4\x12\x34" + broken),
        snap(
            multicast,
            router,
            0x00000C,
            0x2000,
            b"\x01\xb4\x00\x00" + cdp_tlv(0x0002, b"\x00\x00\x00\x05"),
        ),
    ]


DCP_MULTICAST = mac("01:0e:cf:00:00:00")
DEVICE2 = mac("00:0e:8c:aa:00:02")


def dcp_block(option: int, suboption: int, data: bytes) -> bytes:
    block = struct.pack("!BBH", option, suboption, len(data)) + data
    return block + b"\0" * (len(data) & 1)


def dcp(frame_id: int, service: int, kind: int, xid: int, blocks: bytes, delay: int = 0) -> bytes:
    return struct.pack("!HBBIHH", frame_id, service, kind, xid, delay, len(blocks)) + blocks


def dcp_identity(name: bytes, vendor: int, device: int, address: str, role: int = 1) -> bytes:
    return (
        dcp_block(2, 5, b"\0\0" + bytes((1, 2, 2, 1, 2, 2, 2, 3, 2, 4, 2, 5)))
        + dcp_block(2, 1, b"\0\0" + b"S7-1500")
        + dcp_block(2, 2, b"\0\0" + name)
        + dcp_block(2, 3, b"\0\0" + struct.pack("!HH", vendor, device))
        + dcp_block(2, 4, b"\0\0" + bytes((role, 0)))
        + dcp_block(1, 2, b"\0\1" + ip(address) + ip("255.255.255.0") + ip("0.0.0.0"))
    )


def dcp_frames() -> list[bytes]:
    identify_all = dcp(0xFEFE, 5, 0, 0x1001, dcp_block(0xFF, 0xFF, b""), delay=1)
    by_name = dcp(0xFEFE, 5, 0, 0x1002, dcp_block(2, 2, b"plc-1"), delay=1)
    set_name = dcp_block(5, 1, b"\0\0") + dcp_block(2, 2, b"\0\1" + b"plc-renamed")
    set_name += dcp_block(5, 2, b"\0\0")
    set_ok = dcp_block(5, 4, bytes((2, 2, 0)))
    set_ip = dcp_block(1, 2, b"\0\1" + ip("192.168.0.99") + ip("255.255.255.0") + ip("192.168.0.1"))
    set_refused = dcp_block(5, 4, bytes((1, 2, 3)))
    return [
        ethernet(DCP_MULTICAST, STATION, 0x8892, identify_all),
        ethernet(
            STATION,
            PLC,
            0x8892,
            dcp(0xFEFF, 5, 1, 0x1001, dcp_identity(b"plc-1", 0x002A, 0x0313, "192.168.0.20")),
        ),
        ethernet(
            STATION,
            DEVICE2,
            0x8892,
            dcp(
                0xFEFF, 5, 1, 0x1001, dcp_identity(b"et200sp-io", 0x002A, 0x0313, "192.168.0.21", 2)
            ),
        ),
        ethernet(DCP_MULTICAST, STATION, 0x8892, by_name),
        ethernet(PLC, STATION, 0x8892, dcp(0xFEFD, 3, 0, 0x1003, bytes((1, 2, 2, 2)))),
        ethernet(
            STATION,
            PLC,
            0x8892,
            dcp(
                0xFEFD,
                3,
                1,
                0x1003,
                dcp_block(1, 2, b"\0\1" + ip("192.168.0.20") + ip("255.255.255.0") + ip("0.0.0.0"))
                + dcp_block(2, 2, b"\0\0plc-1"),
            ),
        ),
        ethernet(PLC, STATION, 0x8892, dcp(0xFEFD, 4, 0, 0x1004, set_name)),
        ethernet(STATION, PLC, 0x8892, dcp(0xFEFD, 4, 1, 0x1004, set_ok)),
        ethernet(PLC, STATION, 0x8892, dcp(0xFEFD, 4, 0, 0x1005, set_ip)),
        ethernet(STATION, PLC, 0x8892, dcp(0xFEFD, 4, 1, 0x1005, set_refused)),
        ethernet(PLC, STATION, 0x8892, dcp(0xFEFD, 4, 0, 0x1006, dcp_block(5, 3, b"\0\0\1\0"))),
        ethernet(
            STATION, PLC, 0x8892, dcp(0xFEFD, 4, 1, 0x1006, dcp_block(5, 4, bytes((5, 3, 0))))
        ),
        ethernet(PLC, STATION, 0x8892, dcp(0xFEFD, 4, 0, 0x1007, dcp_block(5, 6, b"\0\2"))),
        ethernet(
            DCP_MULTICAST,
            DEVICE2,
            0x8892,
            dcp(
                0xFEFC, 6, 0, 0x2001, dcp_identity(b"et200sp-io", 0x002A, 0x0313, "192.168.0.21", 2)
            ),
        ),
        ethernet(
            PLC, STATION, 0x8892, struct.pack("!H", 0x8001) + bytes(40) + b"\x00\x35\x00"
        ),  # cyclic RT data
        ethernet(
            DCP_MULTICAST, STATION, 0x8892, dcp(0xFEFE, 5, 0, 0x1008, dcp_block(2, 2, b"plc-1"))[:8]
        ),
        ethernet(
            DCP_MULTICAST,
            STATION,
            0x8892,
            dcp(0xFEFE, 5, 0, 0x1009, dcp_block(2, 2, b"x" * 40))[:30],
        ),
    ]

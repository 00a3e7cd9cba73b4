"""Crafted UDP identity traffic: DHCP (RFC 2131/2132 BOOTP layout with options). No
DHCP client or server runs on this host's loopback to record, so the messages are
built byte by byte from the RFC layouts; tshark 4.0's dissection is the committed truth."""

from __future__ import annotations

import struct

from protocols.identity.frames import BROADCAST, ip, mac, udp

CLIENT_MAC = mac("00:1b:1b:77:88:99")
SERVER_MAC = mac("00:15:5d:01:02:03")


def opt(code: int, value: bytes) -> bytes:
    return bytes((code, len(value))) + value


def bootp(
    op: int,
    xid: int,
    options: bytes,
    yiaddr: str = "0.0.0.0",
    sname: bytes = b"",
    file: bytes = b"",
    cookie: bool = True,
) -> bytes:
    fixed = struct.pack("!BBBBIHH", op, 1, 6, 0, xid, 0, 0x8000)
    fixed += ip("0.0.0.0") + ip(yiaddr) + ip("0.0.0.0") + ip("0.0.0.0")
    fixed += CLIENT_MAC + bytes(10) + sname.ljust(64, b"\0") + file.ljust(128, b"\0")
    return fixed + (b"\x63\x82\x53\x63" if cookie else b"") + options


def dhcp_frames() -> list[bytes]:
    fqdn = opt(81, b"\x05\x00\x00" + b"\x05plc-7\x05plant\x05local\x00")
    discover = (
        opt(53, b"\x01")
        + opt(61, b"\x01" + CLIENT_MAC)
        + opt(12, b"plc-7")
        + opt(60, b"Siemens S7-1500")
        + opt(55, bytes((1, 3, 6, 15, 28, 42)))
        + opt(43, b"\x01\x04abcd")
        + fqdn
        + b"\xff"
    )
    offer = (
        opt(53, b"\x02")
        + opt(54, ip("192.168.0.1"))
        + opt(51, struct.pack("!I", 86400))
        + opt(1, ip("255.255.255.0"))
        + opt(3, ip("192.168.0.1"))
        + opt(6, ip("192.168.0.1") + ip("8.8.8.8"))
        + opt(15, b"plant.local")
        + b"\xff"
    )
    request = (
        opt(53, b"\x03")
        + opt(50, ip("192.168.0.77"))
        + opt(54, ip("192.168.0.1"))
        + opt(12, b"plc-7")
        + b"\xff"
    )
    ack = (
        opt(53, b"\x05") + opt(54, ip("192.168.0.1")) + opt(51, struct.pack("!I", 86400)) + b"\xff"
    )
    overloaded = opt(53, b"\x08") + opt(52, b"\x01") + b"\xff"
    in_file = opt(12, b"hmi-2") + b"\xff"
    broken = opt(53, b"\x01") + opt(12, b"abc") + bytes((60, 40)) + b"short"
    return [
        udp(
            CLIENT_MAC,
            BROADCAST,
            "0.0.0.0",
            "255.255.255.255",
            68,
            67,
            bootp(1, 0xABCD0001, discover),
        ),
        udp(
            SERVER_MAC,
            BROADCAST,
            "192.168.0.1",
            "255.255.255.255",
            67,
            68,
            bootp(2, 0xABCD0001, offer, "192.168.0.77", sname=b"dhcp-srv"),
        ),
        udp(
            CLIENT_MAC,
            BROADCAST,
            "0.0.0.0",
            "255.255.255.255",
            68,
            67,
            bootp(1, 0xABCD0001, request),
        ),
        udp(
            SERVER_MAC,
            BROADCAST,
            "192.168.0.1",
            "255.255.255.255",
            67,
            68,
            bootp(2, 0xABCD0001, ack, "192.168.0.77"),
        ),
        udp(
            CLIENT_MAC,
            SERVER_MAC,
            "192.168.0.77",
            "192.168.0.1",
            68,
            67,
            bootp(1, 0xABCD0002, overloaded, file=in_file),
        ),
        udp(
            CLIENT_MAC,
            BROADCAST,
            "0.0.0.0",
            "255.255.255.255",
            68,
            67,
            bootp(1, 0xABCD0003, b"", cookie=False),
        ),
        udp(
            CLIENT_MAC,
            BROADCAST,
            "0.0.0.0",
            "255.255.255.255",
            68,
            67,
            bootp(1, 0xABCD0004, broken),
        ),
        udp(
            CLIENT_MAC,
            BROADCAST,
            "0.0.0.0",
            "255.255.255.255",
            68,
            67,
            bootp(1, 0xABCD0005, b"")[:100],
        ),
    ]

"""Crafted NetBIOS name service traffic (RFC 1002 section 4.2 layouts: header, first-level
encoded names, NB and NBSTAT records), built byte by byte: no NetBIOS name server or
Windows host runs on this machine to record, so tshark 4.0's dissection of these frames
is the committed truth."""

from __future__ import annotations

import struct

from protocols.identity.frames import BROADCAST, ip, mac, udp

HOST_MAC = mac("00:1b:1b:21:22:23")
PEER_MAC = mac("00:50:56:aa:bb:cc")
HOST, PEER, SUBNET = "192.168.10.21", "192.168.10.105", "192.168.10.255"


def nb_name(name: bytes, suffix: int, scope: bytes = b"") -> bytes:
    """First-level encoding (RFC 1001 14.1): 16 bytes, each as two letters 'A' + nibble."""
    raw = name.ljust(15, b" ")[:15] + bytes((suffix,))
    encoded = bytes(c for b in raw for c in (0x41 + (b >> 4), 0x41 + (b & 0x0F)))
    labels = b"\x20" + encoded
    for label in scope.split(b".") if scope else ():
        labels += bytes((len(label),)) + label
    return labels + b"\0"


def header(xid: int, flags: int, qd: int, an: int, ns: int = 0, ar: int = 0) -> bytes:
    return struct.pack("!HHHHHH", xid, flags, qd, an, ns, ar)


def question(name: bytes, qtype: int = 0x20) -> bytes:
    return name + struct.pack("!HH", qtype, 1)


def nb_record(name: bytes, ttl: int, entries: list[tuple[int, str]]) -> bytes:
    data = b"".join(struct.pack("!H", flags) + ip(addr) for flags, addr in entries)
    return name + struct.pack("!HHIH", 0x20, 1, ttl, len(data)) + data


def nbstat_record(name: bytes, names: list[tuple[bytes, int, int]], unit: bytes) -> bytes:
    data = bytes((len(names),))
    for entry, suffix, flags in names:
        data += entry.ljust(15, b" ") + bytes((suffix,)) + struct.pack("!H", flags)
    data += unit + bytes(34) + struct.pack("!H", 1460) + bytes(4)  # statistics: 46 bytes
    return name + struct.pack("!HHIH", 0x21, 1, 0, len(data)) + data


def nbns_payloads() -> list[tuple[bool, str, bytes]]:
    """(sent by the host, destination, NBNS message) in capture order."""
    plc = nb_name(b"PLC-LINE-7", 0x20)
    hmi = nb_name(b"HMI-2", 0x00)
    group = nb_name(b"WORKGROUP", 0x00)
    star = nb_name(b"*" + bytes(14), 0x00)
    scoped = nb_name(b"ENG-WS", 0x20, b"plant.local")
    query = header(0x8001, 0x0110, 1, 0) + question(plc)
    positive = header(0x8001, 0x8500, 0, 1) + nb_record(plc, 300000, [(0x6000, PEER)])
    registration = (
        header(0x8002, 0x2910, 1, 0, 0, 1)
        + question(hmi)
        + nb_record(b"\xc0\x0c", 300000, [(0x0000, HOST)])
    )
    conflict = header(0x8002, 0xAD86, 0, 1) + nb_record(hmi, 0, [(0x0000, PEER)])
    wack = header(0x8003, 0xBC00, 0, 1) + hmi + struct.pack("!HHIHH", 0x20, 1, 2, 2, 0x2910)
    refresh = (
        header(0x8004, 0x4100, 1, 0, 0, 1)
        + question(group)
        + nb_record(b"\xc0\x0c", 300000, [(0x8000, HOST)])
    )
    release = (
        header(0x8005, 0x3010, 1, 0, 0, 1)
        + question(hmi)
        + nb_record(b"\xc0\x0c", 0, [(0x0000, HOST)])
    )
    status_query = header(0x8006, 0x0000, 1, 0) + question(star, 0x21)
    status = header(0x8006, 0x8400, 0, 1) + nbstat_record(
        star,
        [(b"HMI-2", 0x00, 0x0400), (b"WORKGROUP", 0x00, 0x8400), (b"HMI-2", 0x20, 0x0400)],
        HOST_MAC,
    )
    scoped_query = header(0x8007, 0x0110, 1, 0) + question(scoped)
    negative = header(0x8007, 0x8583, 0, 0)
    illegal = header(0x8008, 0x0110, 1, 0) + question(b"\x20" + b"ab" * 16 + b"\0")
    truncated = (header(0x8009, 0x8500, 0, 1) + nb_record(plc, 300000, [(0x6000, PEER)]))[:60]
    return [
        (True, SUBNET, query),
        (False, HOST, positive),
        (True, SUBNET, registration),
        (False, HOST, conflict),
        (False, HOST, wack),
        (True, SUBNET, refresh),
        (True, SUBNET, release),
        (True, PEER, status_query),
        (False, HOST, status),
        (True, SUBNET, scoped_query),
        (False, HOST, negative),
        (True, SUBNET, illegal),
        (False, HOST, truncated),
    ]


def nbns_frames() -> list[bytes]:
    frames = []
    for by_host, dst, message in nbns_payloads():
        if by_host:
            dst_mac = BROADCAST if dst == SUBNET else PEER_MAC
            frames.append(udp(HOST_MAC, dst_mac, HOST, dst, 137, 137, message))
        else:
            frames.append(udp(PEER_MAC, HOST_MAC, PEER, dst, 137, 137, message))
    return frames

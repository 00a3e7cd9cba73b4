"""Link layers: where the network-layer packet starts in a frame, and which one it is.

LINKTYPE_* values from https://www.tcpdump.org/linktypes.html.
"""

from __future__ import annotations

from typing import Final

ETHERNET: Final = 1
NULL: Final = 0
RAW: Final = 101
RAW_OPENBSD: Final = 12  # DLT_RAW as OpenBSD numbers it; libpcap maps it to RAW
RAW_OLD: Final = 14
LOOP: Final = 108
C_HDLC: Final = 104
LINUX_SLL: Final = 113
LINUX_SLL2: Final = 276
IPV4: Final = 228
IPV6: Final = 229

ETHERTYPE_IPV4: Final = 0x0800
ETHERTYPE_IPV6: Final = 0x86DD
ETHERTYPE_VLAN: Final = 0x8100
ETHERTYPE_QINQ: Final = 0x88A8
ETHERTYPE_QINQ_OLD: Final = 0x9100

# 802.2 LLC/SNAP frames (an 802.3 length instead of an ethertype) are named by their SNAP
# protocol id, offset by OUI so that they cannot collide with real ethertypes.
CISCO_SNAP: Final = 0x20000  # OUI 00-00-0C: CDP (0x2000), VTP, DTP

# BSD loopback address families that mean IPv6 on some BSD or macOS.
AF_INET6_VALUES: Final = frozenset({10, 24, 28, 30})

SUPPORTED: Final = frozenset(
    {ETHERNET, NULL, RAW, RAW_OPENBSD, RAW_OLD, LOOP, C_HDLC, LINUX_SLL, LINUX_SLL2, IPV4, IPV6}
)


def _ethertype_at(data: bytes, pos: int) -> tuple[int, int]:
    """Follow 802.1Q / QinQ tags from an ethertype field at pos: (ethertype, payload offset)."""
    return _untagged(data, (data[pos] << 8) | data[pos + 1], pos + 2)


def _untagged(data: bytes, etype: int, pos: int) -> tuple[int, int]:
    """Skip the 4-byte VLAN tags that start at pos while etype names one."""
    while etype in (ETHERTYPE_VLAN, ETHERTYPE_QINQ, ETHERTYPE_QINQ_OLD) and len(data) >= pos + 4:
        etype = (data[pos + 2] << 8) | data[pos + 3]
        pos += 4
    return etype, pos


def network_layer(linktype: int, data: bytes) -> tuple[int, int]:
    """(ethertype, offset) of the network-layer packet; ethertype 0 when there is none.

    Only the IPv4 and IPv6 ethertypes are meaningful to callers; anything else is skipped.
    """
    n = len(data)
    if linktype == ETHERNET:
        if n < 14:
            return 0, 0
        return _ethertype_at(data, 12)
    if linktype in (RAW, RAW_OPENBSD, RAW_OLD, IPV4, IPV6):
        if n < 1:
            return 0, 0
        version = data[0] >> 4
        return (ETHERTYPE_IPV4 if version == 4 else ETHERTYPE_IPV6 if version == 6 else 0), 0
    if linktype in (NULL, LOOP):
        if n < 4:
            return 0, 0
        family = int.from_bytes(data[:4], "big" if linktype == LOOP else "little")
        if family > 0xFFFF:  # written in the other byte order by the capturing host
            family = int.from_bytes(data[:4], "little" if linktype == LOOP else "big")
        if family == 2:
            return ETHERTYPE_IPV4, 4
        if family in AF_INET6_VALUES:
            return ETHERTYPE_IPV6, 4
        return 0, 0
    if linktype == LINUX_SLL:
        if n < 16:
            return 0, 0
        return _ethertype_at(data, 14)
    if linktype == LINUX_SLL2:
        if n < 20:
            return 0, 0
        return _untagged(data, (data[0] << 8) | data[1], 20)
    if linktype == C_HDLC:
        if n < 4:
            return 0, 0
        return (data[2] << 8) | data[3], 4
    return 0, 0

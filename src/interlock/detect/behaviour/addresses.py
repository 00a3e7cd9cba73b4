"""What an address says on its own: broadcast, multicast, outside the plant's address space.

Endpoints carry IPv4/IPv6 text, or a MAC for link-layer protocols (PROFINET DCP, ARP).
Without the subnet masks a directed broadcast cannot be told for sure; an IPv4 address
ending in .255 is taken as one, as Wireshark's and Zeek's heuristics do.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Literal

Reach = Literal["unicast", "broadcast", "multicast"]


@lru_cache(maxsize=8192)
def reach_of(address: str) -> Reach:
    """Whether a destination names one host, a broadcast domain, or a multicast group."""
    if address.count(":") == 5 and len(address) == 17:
        if address.lower() == "ff:ff:ff:ff:ff:ff":
            return "broadcast"
        return "multicast" if int(address[:2], 16) & 1 else "unicast"
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "unicast"
    if ip.is_multicast:
        return "multicast"
    if isinstance(ip, ipaddress.IPv4Address) and (
        ip == ipaddress.IPv4Address("255.255.255.255") or ip.packed[3] == 255
    ):
        return "broadcast"
    return "unicast"


@lru_cache(maxsize=8192)
def is_external(address: str) -> bool:
    """Whether an IP is globally routable (outside any private, shared or local range)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return ip.is_global and not ip.is_multicast

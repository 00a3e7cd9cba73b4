"""The NIC vendor of a MAC address, from the IEEE OUI registry that netaddr ships (a
maintained copy from the package registry; nothing is fetched at run time)."""

from __future__ import annotations

from functools import lru_cache

import netaddr


@lru_cache(maxsize=4096)
def nic_vendor(mac: str) -> str | None:
    """The organization the IEEE registered the address's OUI to; None when unregistered
    or locally administered (virtual machines, randomized addresses)."""
    try:
        eui = netaddr.EUI(mac)
    except (netaddr.AddrFormatError, ValueError, TypeError):
        return None
    if eui.words[0] & 0x02:
        return None
    try:
        org = str(eui.oui.registration().org)
    except (netaddr.NotRegisteredError, IndexError, ValueError):
        return None
    return org.strip().rstrip(",").strip() or None

"""What the identity protocols' renderers share (ARP, DHCP, LLDP, CDP, SNMP, PROFINET
DCP, NBNS, mDNS): a field seen once is a value, seen again a list in wire order."""

from __future__ import annotations

from typing import Any

Fields = dict[str, Any]


def add(f: Fields, key: str, value: object) -> None:
    """Add one occurrence of a field: the second occurrence turns it into a list."""
    old = f.get(key)
    if old is None:
        f[key] = value
    elif isinstance(old, list):
        old.append(value)
    else:
        f[key] = [old, value]

"""What the earlier slices of a run saw of each MAC address, to tell a router's MAC.

A MAC address seen with more IP addresses than a host has, or with addresses in two IPv4
/24s, is a router's (routed traffic carries the router's MAC). A run merged in slices
(``interlock.inventory.slices``) sees that only across slices; this remembers enough of
each MAC (a few addresses, whether traffic gave it to a host) to judge it run-wide.
Bounded: at most MAX_WITNESSED_MACS addresses, a few IP addresses each.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

# A MAC seen with more IP addresses than this, or with addresses in two IPv4 /24s, is a
# router's: a host rarely has more than an IPv4, a link-local and a global IPv6 address.
MAX_ADDRESSES_PER_HOST_MAC: Final = 3
MAX_WITNESSED_MACS: Final = 65_536


@dataclass
class MacWitness:
    """What the earlier slices of a run saw of each MAC address: the first few IP
    addresses it carried (enough to tell a router's) and whether traffic gave it to a
    host. At most MAX_WITNESSED_MACS addresses; past that, a slice judges alone."""

    ips: dict[str, list[str]] = field(default_factory=dict)
    hosts: set[str] = field(default_factory=set)
    """MACs that traffic alone (no binding the device stated) gave to a host asset."""
    bound: set[str] = field(default_factory=set)

    def see(self, mac: str, ips: list[str]) -> list[str]:
        """The run's IP addresses with this MAC so far (at most one more than a host's)."""
        known = self.ips.get(mac)
        if known is None:
            known = list(ips[: MAX_ADDRESSES_PER_HOST_MAC + 1])
            if len(self.ips) < MAX_WITNESSED_MACS:
                self.ips[mac] = known
            return ips if len(ips) > len(known) else known
        for ip in ips:
            if len(known) > MAX_ADDRESSES_PER_HOST_MAC:
                break
            if ip not in known:
                known.append(ip)
        return ips if len(ips) > len(known) else known

    def given(self, mac: str, by_binding: bool) -> None:
        if by_binding:
            if len(self.bound) < MAX_WITNESSED_MACS:
                self.bound.add(mac)
            self.hosts.discard(mac)
        elif mac not in self.bound and len(self.hosts) < MAX_WITNESSED_MACS:
            self.hosts.add(mac)

    def carried(self, mac: str) -> bool:
        """Whether an earlier slice gave this (now a router's) MAC to the host whose
        traffic it carried then; answered once."""
        if mac in self.hosts:
            self.hosts.discard(mac)
            return True
        return False

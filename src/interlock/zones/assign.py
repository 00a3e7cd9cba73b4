"""Which zone each asset and each address is in.

Rules (docs/inventory-zones.md):
1. An asset named explicitly by a zone (its asset id, one of its MACs, or one of its
   `name` identity values as a hostname) is in that zone, whatever its addresses.
2. A device behind an address (a Modbus unit, a CIP module...) is in its parent's zone
   unless it is named explicitly itself.
3. Otherwise each IP address is in the zone with the most specific CIDR containing it
   (10.10.1.0/24 in `cell-1` beats 10.10.0.0/16 in `plant`); an asset whose addresses fall
   in one zone is in it. Addresses in two zones make a conflict, reported, and no zone.

Pure: an Inventory and a ZoneModel in, an Assignment out.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Literal

from interlock.inventory.model import Asset, Inventory, is_mac
from interlock.zones.model import IpNetwork, ZoneModel

Means = Literal["asset", "mac", "hostname", "cidr", "parent"]


@dataclass(frozen=True, slots=True)
class Placement:
    zone: str
    by: Means
    match: str
    """What matched: the asset id, MAC, hostname, CIDR (with the address), or parent id."""

    @property
    def explicit(self) -> bool:
        return self.by in ("asset", "mac", "hostname")


@dataclass
class Assignment:
    placed: dict[int, Placement] = field(default_factory=dict)
    conflicts: dict[int, tuple[Placement, ...]] = field(default_factory=dict)
    unassigned: list[int] = field(default_factory=list)
    networks: list[tuple[IpNetwork, str]] = field(default_factory=list)
    """Every zone CIDR, most specific first."""
    explicit_macs: dict[str, str] = field(default_factory=dict)
    owners: dict[str, int] = field(default_factory=dict)
    """Address -> the (lowest-id) top-level asset that has it."""

    def zone_of_asset(self, asset_id: int) -> str | None:
        placement = self.placed.get(asset_id)
        return placement.zone if placement else None

    def zone_of_address(self, address: str) -> str | None:
        """The zone of an address seen in a flow: its asset's explicit zone, else by CIDR/MAC."""
        owner = self.owners.get(address)
        placement = self.placed.get(owner) if owner is not None else None
        if placement is not None and placement.explicit:
            return placement.zone
        if is_mac(address):
            return self.explicit_macs.get(address) or (placement.zone if placement else None)
        found = self.network_of(address)
        return found[1] if found else None

    def network_of(self, ip: str) -> tuple[IpNetwork, str] | None:
        try:
            address = ipaddress.ip_address(ip)
        except ValueError:
            return None
        for network, zone in self.networks:
            if address.version == network.version and address in network:
                return network, zone
        return None


def assign(model: ZoneModel, inventory: Inventory) -> Assignment:
    result = Assignment()
    result.networks = sorted(
        ((n, z.name) for z in model.zones for n in z.members.networks),
        key=lambda item: (-item[0].prefixlen, item[0].version, str(item[0])),
    )
    result.explicit_macs = {m: z.name for z in model.zones for m in z.members.macs}
    for asset in sorted(inventory.assets.values(), key=lambda a: a.id):
        if asset.parent_id is None:
            for address in asset.addresses:
                result.owners.setdefault(address, asset.id)
    ordered = sorted(inventory.assets.values(), key=lambda a: (a.parent_id is not None, a.id))
    for asset in ordered:
        candidates = _explicit(model, asset) or _inherited(result, asset) or _by_cidr(result, asset)
        zones = sorted({p.zone for p in candidates})
        if len(zones) == 1:
            result.placed[asset.id] = candidates[0]
        elif zones:
            result.conflicts[asset.id] = tuple(candidates)
        else:
            result.unassigned.append(asset.id)
    return result


def _explicit(model: ZoneModel, asset: Asset) -> list[Placement]:
    names = {v.value.lower() for v in asset.identity.values() if v.attribute == "name"}
    found: list[Placement] = []
    for zone in model.zones:
        members = zone.members
        if asset.id in members.asset_ids:
            found.append(Placement(zone.name, "asset", str(asset.id)))
        found += [Placement(zone.name, "mac", m) for m in asset.macs if m in members.macs]
        found += [Placement(zone.name, "hostname", h) for h in members.hostnames if h in names]
    return found


def _inherited(result: Assignment, asset: Asset) -> list[Placement]:
    if asset.parent_id is None or asset.parent_id not in result.placed:
        return []
    return [Placement(result.placed[asset.parent_id].zone, "parent", str(asset.parent_id))]


def _by_cidr(result: Assignment, asset: Asset) -> list[Placement]:
    found: list[Placement] = []
    for ip in sorted(asset.ips):
        hit = result.network_of(ip)
        if hit is not None:
            found.append(Placement(hit[1], "cidr", f"{hit[0]} ({ip})"))
    return found

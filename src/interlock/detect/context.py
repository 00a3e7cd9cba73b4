"""The plant as detectors see it: assets from the inventory, zones and conduits from a file.

``InventoryContext`` answers ``PlantContext`` from an ``Inventory`` (an address belongs to
the lowest-id top-level asset that has it, as ``interlock.zones.assign`` decides) and,
when a zones file is given, from its zones and conduits (``interlock.zones.verdict``).
Pure: built from values already loaded; nothing here reads a file or the clock.
"""

from __future__ import annotations

from interlock.detect.hits import AssetView
from interlock.inventory.model import Inventory
from interlock.zones.assign import Assignment, assign
from interlock.zones.model import ZoneModel
from interlock.zones.verdict import judge


class InventoryContext:
    def __init__(self, inventory: Inventory | None = None, zones: ZoneModel | None = None) -> None:
        self.zones = zones
        self.views: dict[str, AssetView] = {}
        self.assignment: Assignment | None = None
        if inventory is None:
            inventory = Inventory()
        if zones is not None:
            self.assignment = assign(zones, inventory)
        owners: dict[str, int] = {}
        for asset in sorted(inventory.top_level(), key=lambda a: a.id):
            for address in asset.ips:
                owners.setdefault(address, asset.id)
        for address, asset_id in owners.items():
            asset = inventory.assets[asset_id]
            zone = self.assignment.zone_of_asset(asset_id) if self.assignment else None
            self.views[address] = AssetView(
                asset_id, asset.purdue_level, zone, tuple(r.role for r in asset.roles)
            )

    @property
    def judges_conduits(self) -> bool:
        """Whether conduit_allows can ever answer True or False (a zones file is loaded)."""
        return self.zones is not None

    def asset_at(self, ip: str) -> AssetView | None:
        return self.views.get(ip)

    def zone_of(self, ip: str) -> str | None:
        if self.assignment is None:
            return None
        return self.assignment.zone_of_address(ip)

    def conduit_allows(
        self, client_ip: str, server_ip: str, protocol: str, operation: str
    ) -> bool | None:
        if self.zones is None:
            return None
        client_zone, server_zone = self.zone_of(client_ip), self.zone_of(server_ip)
        if client_zone is None or server_zone is None:
            return None
        reason, _conduits = judge(self.zones, client_zone, server_zone, protocol, operation or None)
        return reason is None

"""Placing assets in zones: explicit members first, children with their parent, then the
most specific CIDR; conflicts and unassigned assets reported."""

from __future__ import annotations

from interlock.inventory.model import Inventory
from interlock.zones import ZoneModel, assign, load_zones
from zones.inventories import add_asset

ZONES = """\
zones:
  - name: plant
    security_level: 1
    members: {cidrs: [10.0.0.0/8, "fd00::/16"]}
  - name: cell-1
    security_level: 3
    members:
      cidrs: [10.10.1.0/24, "fd00:10::/64"]
      macs: ["00:1b:1b:23:eb:3b"]
      assets: [7]
      hostnames: [Eng-WS]
  - name: dmz
    security_level: 2
    members: {cidrs: [172.16.0.0/24]}
"""


def zones() -> ZoneModel:
    loaded = load_zones(ZONES, "z.yaml")
    assert isinstance(loaded, ZoneModel), loaded
    return loaded


def test_most_specific_prefix_wins_for_ipv4_and_ipv6() -> None:
    inv = Inventory()
    in_cell = add_asset(inv, "10.10.1.5")
    in_plant = add_asset(inv, "10.10.2.5")
    v6 = add_asset(inv, "fd00:10::5")
    v6_plant = add_asset(inv, "fd00:99::5")
    placed = assign(zones(), inv).placed
    assert placed[in_cell.id].zone == "cell-1"
    assert placed[in_cell.id].match == "10.10.1.0/24 (10.10.1.5)"
    assert placed[in_plant.id].zone == "plant"
    assert placed[v6.id].zone == "cell-1" and placed[v6_plant.id].zone == "plant"


def test_explicit_members_beat_addresses() -> None:
    inv = Inventory()
    by_mac = add_asset(inv, "172.16.0.9", "00:1b:1b:23:eb:3b")
    by_name = add_asset(inv, "172.16.0.10", name="eng-ws")
    for _ in range(5):
        add_asset(inv, "192.0.2.1")
    by_id = inv.assets[7]
    result = assign(zones(), inv)
    assert (result.placed[by_mac.id].zone, result.placed[by_mac.id].by) == ("cell-1", "mac")
    assert (result.placed[by_name.id].zone, result.placed[by_name.id].by) == ("cell-1", "hostname")
    assert (result.placed[by_id.id].zone, result.placed[by_id.id].by) == ("cell-1", "asset")
    # A flow from the MAC-placed asset's address is in its explicit zone, not the CIDR's.
    assert result.zone_of_address("172.16.0.9") == "cell-1"
    assert result.zone_of_address("172.16.0.200") == "dmz"


def test_children_follow_their_parent_and_the_rest_is_reported() -> None:
    inv = Inventory()
    gateway = add_asset(inv, "10.10.1.5")
    unit = inv.new_asset(100.0, parent_id=gateway.id, child_kind="modbus_unit", child_key="3")
    stranger = add_asset(inv, "192.0.2.1")
    split = add_asset(inv, "10.10.1.9", "172.16.0.9")
    result = assign(zones(), inv)
    assert result.placed[unit.id].zone == "cell-1" and result.placed[unit.id].by == "parent"
    assert result.unassigned == [stranger.id]
    assert sorted(p.zone for p in result.conflicts[split.id]) == ["cell-1", "dmz"]
    assert result.zone_of_address("192.0.2.1") is None
    # Per address, a flow still knows where each of the split asset's addresses is.
    assert result.zone_of_address("172.16.0.9") == "dmz"

"""Building the map from domain objects: aggregation, children, flows, groups, determinism."""

from __future__ import annotations

import random

from interlock.inventory.model import Asset, Inventory
from interlock.map import build_map
from map.plant import add_asset, add_edge, add_flow, synthetic_plant


def small_plant() -> Inventory:
    inv = Inventory()
    hmi = add_asset(inv, "10.0.2.10", ("hmi",), {"name": "HMI-1"}, mac="02:00:00:00:00:01")
    gateway = add_asset(inv, "10.0.1.5", ("plc", "protocol_gateway"), {"vendor": "Acme"},
                        protocols=(("modbus", "server", 502),))  # fmt: skip
    unit = add_asset(inv, None, ("field_device",), {"product": "Pump drive"},
                     parent=gateway, child=("modbus_unit", "7"))  # fmt: skip
    ews = add_asset(inv, "10.0.2.20", ("engineering_workstation",))
    add_edge(inv, hmi, gateway, "modbus", "read", 40)
    add_edge(inv, hmi, gateway, "modbus", "write", 3)
    add_edge(inv, hmi, unit, "modbus", "read", 5)  # to the unit: drawn on its gateway
    add_edge(inv, ews, gateway, "modbus", "program", 1)
    add_edge(inv, ews, hmi, "rdp", "session", 2)
    add_flow(inv, "10.0.2.10", "10.0.1.5", 502, "modbus")
    add_flow(inv, "10.0.2.20", "10.0.2.10", 3389, "rdp")
    add_flow(inv, "10.0.2.10", "10.0.2.20", 8080, "")
    add_flow(inv, "10.0.2.10", "224.0.0.251", 5353, "mdns", "udp")
    add_flow(inv, "02:00:00:00:00:01", "ff:ff:ff:ff:ff:ff", 0, "arp", "ether")
    return inv


def test_edges_aggregate_operations_per_client_server_protocol() -> None:
    graph = build_map(small_plant())
    edges = {(e.client, e.server, e.protocol): e for e in graph.edges}
    modbus = edges["asset:1", "asset:2", "modbus"]
    assert modbus.kind == "operations"
    assert dict(modbus.operations) == {"read": 45, "write": 3}
    assert modbus.worst_operation == "write" and modbus.transactions == 48
    assert (modbus.packets, modbus.octets, modbus.connections) == (10, 1000, 1)
    assert edges["asset:4", "asset:2", "modbus"].worst_operation == "program"
    rdp = edges["asset:4", "asset:1", "rdp"]
    assert rdp.remote_access and rdp.packets == 10
    other = edges["asset:1", "asset:4", "tcp/8080"]
    assert other.kind == "flow" and other.operations == () and other.worst_operation is None
    assert edges["asset:1", "address:224.0.0.251", "mdns"].kind == "flow"
    assert not any(e.protocol == "arp" for e in graph.edges)


def test_nodes_are_top_level_assets_with_their_children() -> None:
    graph = build_map(small_plant())
    nodes = {n.id: n for n in graph.nodes}
    assert list(nodes) == ["asset:1", "asset:2", "asset:4", "address:224.0.0.251"]
    assert nodes["asset:1"].name == "HMI-1"
    assert nodes["asset:1"].addresses == ("10.0.2.10", "02:00:00:00:00:01")
    gateway = nodes["asset:2"]
    assert gateway.name == "Acme" and gateway.roles == ("plc", "protocol_gateway")
    assert [(c.asset_id, c.kind, c.key, c.name) for c in gateway.children] == [
        (3, "modbus_unit", "7", "Pump drive")
    ]
    assert nodes["asset:4"].name == "10.0.2.20"
    assert nodes["address:224.0.0.251"].kind == "address"


def test_groups_by_purdue_level_without_zones() -> None:
    graph = build_map(small_plant())
    assert [(g.id, g.label, g.nodes) for g in graph.groups] == [
        ("level-2", "Level 2 — supervisory", ("asset:1", "asset:4")),
        ("level-1", "Level 1 — control", ("asset:2",)),
        ("outside", "not in the inventory (broadcast, multicast, unresolved)",
         ("address:224.0.0.251",)),
    ]  # fmt: skip


def test_groups_by_zone_with_a_callback() -> None:
    def zone_of(asset: Asset) -> str | None:
        ips = asset.ips
        if not ips:
            return None
        return (
            "cell"
            if ips[0].startswith("10.0.1.")
            else "control room"
            if ips[0].startswith("10.")
            else None
        )

    graph = build_map(small_plant(), zone_of=zone_of)
    assert [(g.id, g.label, g.nodes) for g in graph.groups] == [
        ("zone:cell", "cell", ("asset:2",)),
        ("zone:control room", "control room", ("asset:1", "asset:4")),
        ("zone-none", "outside any zone", ("address:224.0.0.251",)),
    ]


def test_ics_only_keeps_industrial_operations_and_their_assets() -> None:
    inv = small_plant()
    add_asset(inv, "10.0.3.3", ())  # talks to nobody over an industrial protocol
    graph = build_map(inv, ics_only=True)
    assert {e.protocol for e in graph.edges} == {"modbus"}
    assert {e.kind for e in graph.edges} == {"operations"}
    assert [n.id for n in graph.nodes] == ["asset:1", "asset:2", "asset:4"]


def test_same_inventory_in_any_order_gives_the_same_map() -> None:
    inv = synthetic_plant(cells=3, plcs_per_cell=4)
    first = build_map(inv)
    for seed in range(3):
        shuffled = Inventory(next_id=inv.next_id)
        rng = random.Random(seed)
        for name in ("assets", "flows", "edges"):
            items = list(getattr(inv, name).items())
            rng.shuffle(items)
            setattr(shuffled, name, dict(items))
        assert build_map(shuffled) == first

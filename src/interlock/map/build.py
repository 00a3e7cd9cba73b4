"""Build the communication map from an Inventory. Pure and deterministic: the same
inventory gives the same map, nodes and edges sorted by id.

Nodes are top-level assets (devices behind an address are listed in their parent's node)
and, for flows to addresses no asset holds (broadcast, multicast), address nodes. Edges are
the inventory's operation edges aggregated per (client, server, protocol), carrying every
operation class with its count, plus the remaining flows aggregated per (client, server,
protocol or transport/port). Groups are zones when a ``zone_of`` callback is given, else
Purdue levels.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from interlock.inventory.model import Asset, FlowRecord, Inventory, Span
from interlock.map.model import CommunicationMap, MapChild, MapEdge, MapGroup, MapNode
from interlock.map.naming import best_name
from interlock.map.style import (
    INDUSTRIAL_PROTOCOLS,
    LEVEL_GROUPS,
    NEIGHBOUR_PROTOCOLS,
    NO_ZONE_GROUP,
    OUTSIDE_GROUP,
    REMOTE_ACCESS_PROTOCOLS,
    UNKNOWN_LEVEL_GROUP,
    level_group,
    worst_operation,
)

ZoneOf = Callable[[Asset], str | None]
"""An asset (or, for an address node, a stand-in asset holding only that address) -> the
name of its zone, or None when it is in none."""


@dataclass
class _Tally:
    operations: Counter[str] = field(default_factory=Counter)
    packets: int = 0
    octets: int = 0
    connections: int = 0
    first: float = float("inf")
    last: float = float("-inf")

    def seen(self, span: Span) -> None:
        self.first = min(self.first, span.first)
        self.last = max(self.last, span.last)

    def add_flow(self, flow: FlowRecord) -> None:
        self.packets += flow.packets
        self.octets += flow.octets
        self.connections += flow.connections
        self.seen(flow.span)


def asset_node_id(asset_id: int) -> str:
    return f"asset:{asset_id}"


def address_node_id(address: str) -> str:
    return f"address:{address}"


def build_map(
    inventory: Inventory, zone_of: ZoneOf | None = None, ics_only: bool = False
) -> CommunicationMap:
    """The map of who talks to whom; ``ics_only`` keeps only operations over industrial
    protocols (interlock.map.style.INDUSTRIAL_PROTOCOLS) and the assets taking part."""
    root = _roots(inventory)
    by_address = {
        address: root[asset.id]
        for asset in inventory.assets.values()
        for address in asset.addresses
    }
    tallies: dict[tuple[str, str, str, str], _Tally] = {}
    for edge in inventory.edges.values():
        if ics_only and edge.proto not in INDUSTRIAL_PROTOCOLS:
            continue
        key = (
            asset_node_id(root[edge.client_id]),
            asset_node_id(root[edge.server_id]),
            edge.proto,
            "operations",
        )
        tally = tallies.setdefault(key, _Tally())
        tally.operations[edge.operation] += edge.span.count
        tally.seen(edge.span)
    for flow in inventory.flows.values():
        if flow.proto in NEIGHBOUR_PROTOCOLS:
            continue
        client = _endpoint(flow.client, by_address)
        server = _endpoint(flow.server, by_address)
        if flow.proto and (client, server, flow.proto, "operations") in tallies:
            tallies[client, server, flow.proto, "operations"].add_flow(flow)
        elif not ics_only:
            protocol = flow.proto or _port_name(flow)
            tallies.setdefault((client, server, protocol, "flow"), _Tally()).add_flow(flow)
    edges = tuple(_edge(key, tally) for key, tally in sorted(tallies.items(), key=_edge_order))
    nodes = _nodes(inventory, edges, zone_of, ics_only)
    return CommunicationMap(nodes, edges, _groups(nodes, zone_of is not None))


def _roots(inventory: Inventory) -> dict[int, int]:
    """asset id -> id of its top-level ancestor (children hang under their address)."""
    roots: dict[int, int] = {}
    for asset in inventory.assets.values():
        current, hops = asset, 0
        while current.parent_id is not None and current.parent_id in inventory.assets and hops < 8:
            current, hops = inventory.assets[current.parent_id], hops + 1
        roots[asset.id] = current.id
    return roots


def _endpoint(address: str, by_address: dict[str, int]) -> str:
    asset_id = by_address.get(address)
    return address_node_id(address) if asset_id is None else asset_node_id(asset_id)


def _port_name(flow: FlowRecord) -> str:
    return flow.transport if flow.transport == "ether" else f"{flow.transport}/{flow.server_port}"


def _edge(key: tuple[str, str, str, str], tally: _Tally) -> MapEdge:
    client, server, protocol, kind = key
    operations = tuple(sorted(tally.operations.items()))
    return MapEdge(
        client=client,
        server=server,
        protocol=protocol,
        kind="operations" if kind == "operations" else "flow",
        operations=operations,
        worst_operation=worst_operation(set(tally.operations)),
        remote_access=protocol in REMOTE_ACCESS_PROTOCOLS,
        packets=tally.packets,
        octets=tally.octets,
        connections=tally.connections,
        first_seen=tally.first,
        last_seen=tally.last,
    )


def node_order(node_id: str) -> tuple[int, int, str]:
    """Assets by numeric id, then addresses alphabetically."""
    kind, _, rest = node_id.partition(":")
    if kind == "asset":
        return (0, int(rest), "")
    return (1, 0, rest)


def _edge_order(item: tuple[tuple[str, str, str, str], _Tally]) -> tuple[object, ...]:
    client, server, protocol, kind = item[0]
    return (node_order(client), node_order(server), protocol, kind)


def _nodes(
    inventory: Inventory, edges: tuple[MapEdge, ...], zone_of: ZoneOf | None, ics_only: bool
) -> tuple[MapNode, ...]:
    linked = {e.client for e in edges} | {e.server for e in edges}
    nodes: list[MapNode] = []
    for asset in sorted(inventory.top_level(), key=lambda a: a.id):
        node_id = asset_node_id(asset.id)
        industrial = any(p in INDUSTRIAL_PROTOCOLS for p, _, _ in asset.protocols)
        if ics_only and node_id not in linked and not industrial:
            continue
        nodes.append(_asset_node(asset, inventory, _group_of(asset, zone_of)))
    for node_id in sorted((n for n in linked if n.startswith("address:")), key=node_order):
        address = node_id.partition(":")[2]
        stand_in = Asset(0, Span(0.0, 0.0, 0), addresses={address: Span(0.0, 0.0, 0)})
        group = OUTSIDE_GROUP[0] if zone_of is None else _zone_group(zone_of(stand_in))
        nodes.append(MapNode(node_id, "address", None, address, (address,), (), None, group))
    return tuple(nodes)


def _asset_node(asset: Asset, inventory: Inventory, group: str) -> MapNode:
    children = tuple(
        MapChild(c.id, c.child_kind or "", c.child_key or "", best_name(c))
        for c in sorted(inventory.children_of(asset.id), key=lambda c: c.id)
    )
    addresses = tuple(sorted(asset.ips)) + tuple(sorted(asset.macs))
    roles = tuple(dict.fromkeys(r.role for r in asset.roles))
    return MapNode(
        asset_node_id(asset.id), "asset", asset.id, best_name(asset), addresses, roles,
        asset.purdue_level, group, children,
    )  # fmt: skip


def _group_of(asset: Asset, zone_of: ZoneOf | None) -> str:
    if zone_of is None:
        return level_group(asset.purdue_level)[0]
    return _zone_group(zone_of(asset))


def _zone_group(zone: str | None) -> str:
    return NO_ZONE_GROUP[0] if zone is None else f"zone:{zone}"


def _groups(nodes: tuple[MapNode, ...], by_zone: bool) -> tuple[MapGroup, ...]:
    members: dict[str, list[str]] = {}
    for node in nodes:
        members.setdefault(node.group, []).append(node.id)
    if by_zone:
        fixed = [NO_ZONE_GROUP, OUTSIDE_GROUP]
        zones = sorted(g for g in members if g.startswith("zone:") and g != NO_ZONE_GROUP[0])
        ordered = [(g, g.partition(":")[2]) for g in zones] + fixed
    else:
        ordered = [LEVEL_GROUPS[3], LEVEL_GROUPS[2], LEVEL_GROUPS[1], UNKNOWN_LEVEL_GROUP]
        ordered.append(OUTSIDE_GROUP)
    return tuple(
        MapGroup(gid, label, tuple(members[gid])) for gid, label in ordered if gid in members
    )

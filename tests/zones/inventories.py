"""Small hand-made inventories for the zone tests."""

from __future__ import annotations

from interlock.inventory.model import (
    Asset,
    Edge,
    Evidence,
    FlowRecord,
    IdentityValue,
    Inventory,
    Span,
)


def span(first: float = 100.0, last: float = 200.0, count: int = 1) -> Span:
    return Span(first, last, count)


def add_asset(inv: Inventory, *addresses: str, name: str | None = None) -> Asset:
    asset = inv.new_asset(100.0)
    for address in addresses:
        asset.addresses[address] = span()
    if name is not None:
        ev = Evidence("0" * 64, 1, 100.0, "lab")
        asset.identity[("name", name, "dhcp.hostname")] = IdentityValue(
            "name", name, "dhcp.hostname", 0.9, ev, span()
        )
    return asset


def add_flow(
    inv: Inventory, client: str, server: str, port: int, proto: str, transport: str = "tcp"
) -> FlowRecord:
    flow = FlowRecord(transport, client, server, port, proto, 10, 1000, 1, span())
    inv.flows[(transport, client, server, port, proto)] = flow
    return flow


def add_edge(inv: Inventory, client: int, server: int, proto: str, operation: str) -> Edge:
    edge = Edge(client, server, proto, operation, span(count=3))
    inv.edges[(client, server, proto, operation)] = edge
    return edge

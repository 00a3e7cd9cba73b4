"""Findings: every flow and every operation edge of the inventory that no conduit allows,
with the evidence a person needs to act on it. Flows are judged by protocol, edges by
protocol and operation class (so "allows modbus read only, saw write" comes from edges).

A flow to a broadcast or multicast address stays in its sender's zone (it is judged as
traffic within that zone). An endpoint in no zone, or an asset in two, is a finding.

Pure and deterministic: findings are sorted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from interlock.inventory.model import Edge, FlowRecord, Inventory, is_mac
from interlock.inventory.observations import is_host_address
from interlock.zones.assign import Assignment
from interlock.zones.model import ZoneModel
from interlock.zones.verdict import judge


@dataclass(frozen=True, slots=True)
class Party:
    address: str
    """The flow's IP or MAC; for an edge, the asset's first address."""
    asset_id: int | None
    zone: str | None


@dataclass(frozen=True, slots=True)
class Finding:
    kind: Literal["flow", "operation"]
    reason: str
    client: Party
    server: Party
    proto: str
    """Engine protocol of a flow ("" when unidentified), transaction protocol of an edge."""
    operation: str | None
    transport: str | None
    server_port: int | None
    first_seen: float
    last_seen: float
    count: int
    """Connections of a flow; operations of an edge."""
    packets: int | None
    octets: int | None
    conduits: tuple[str, ...]
    """The conduits that were considered (none when no conduit joins the zones)."""

    def sort_key(self) -> tuple[str, str, str, str, str, str, str, float]:
        return (
            self.client.zone or "", self.server.zone or "", self.proto, self.kind,
            self.client.address, self.server.address, self.operation or "", self.first_seen,
        )  # fmt: skip


def check(model: ZoneModel, inventory: Inventory, assignment: Assignment) -> list[Finding]:
    findings = [f for flow in inventory.flows.values() if (f := _flow(model, assignment, flow))]
    findings += [f for edge in inventory.edges.values() if (f := _edge(model, inventory, assignment, edge))]  # fmt: skip
    return sorted(findings, key=Finding.sort_key)


def _flow(model: ZoneModel, assignment: Assignment, flow: FlowRecord) -> Finding | None:
    client = _party(assignment, flow.client)
    server = _party(assignment, flow.server)
    client_group, server_group = _is_group(flow.client), _is_group(flow.server)
    if client_group and server_group:
        return None
    if server_group:
        server = Party(server.address, server.asset_id, client.zone)
    elif client_group:
        client = Party(client.address, client.asset_id, server.zone)
    reason, conduits = _reason(model, client, server, flow.proto, None)
    if reason is None:
        return None
    span = flow.span
    return Finding(
        "flow", reason, client, server, flow.proto, None, flow.transport, flow.server_port,
        span.first, span.last, flow.connections, flow.packets, flow.octets, conduits,
    )  # fmt: skip


def _edge(
    model: ZoneModel, inventory: Inventory, assignment: Assignment, edge: Edge
) -> Finding | None:
    client = _asset_party(inventory, assignment, edge.client_id)
    server = _asset_party(inventory, assignment, edge.server_id)
    reason: str | None = _conflict(assignment, edge.client_id)
    reason = reason or _conflict(assignment, edge.server_id)
    conduits: tuple[str, ...] = ()
    if reason is None:
        reason, conduits = _reason(model, client, server, edge.proto, edge.operation)
    if reason is None:
        return None
    span = edge.span
    return Finding(
        "operation", reason, client, server, edge.proto, edge.operation, None, None,
        span.first, span.last, span.count, None, None, conduits,
    )  # fmt: skip


def _reason(
    model: ZoneModel, client: Party, server: Party, proto: str, operation: str | None
) -> tuple[str | None, tuple[str, ...]]:
    unzoned = [_name(p) for p in (client, server) if p.zone is None]
    if unzoned:
        return f"{' and '.join(unzoned)} {'is' if len(unzoned) == 1 else 'are'} in no zone", ()
    assert client.zone is not None and server.zone is not None
    return judge(model, client.zone, server.zone, proto, operation)


def _party(assignment: Assignment, address: str) -> Party:
    return Party(address, assignment.owners.get(address), assignment.zone_of_address(address))


def _asset_party(inventory: Inventory, assignment: Assignment, asset_id: int) -> Party:
    asset = inventory.assets.get(asset_id)
    addresses = sorted(asset.addresses, key=lambda a: (is_mac(a), a)) if asset else []
    address = addresses[0] if addresses else f"asset {asset_id}"
    return Party(address, asset_id, assignment.zone_of_asset(asset_id))


def _conflict(assignment: Assignment, asset_id: int) -> str | None:
    placements = assignment.conflicts.get(asset_id)
    if not placements:
        return None
    zones = ", ".join(sorted({p.zone for p in placements}))
    return f"asset {asset_id} is in several zones ({zones})"


def _name(party: Party) -> str:
    if party.asset_id is not None and party.address != f"asset {party.asset_id}":
        return f"{party.address} (asset {party.asset_id})"
    return party.address


def _is_group(address: str) -> bool:
    """Broadcast or multicast: the frame stays in its sender's zone."""
    if is_mac(address):
        return int(address[:2], 16) & 1 == 1
    return not is_host_address(address)

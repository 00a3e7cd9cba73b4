"""The communication map as data: nodes (top-level assets, and addresses outside the
inventory), edges (operations or flows between two nodes over one protocol) and groups
(zones, or Purdue levels when no zones are given). Pure: frozen values, no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

NodeKind = Literal["asset", "address"]
EdgeKind = Literal["operations", "flow"]


@dataclass(frozen=True, slots=True)
class MapChild:
    """A device behind an asset's address (Modbus unit, DNP3 outstation, CIP slot...)."""

    asset_id: int
    kind: str
    key: str
    name: str


@dataclass(frozen=True, slots=True)
class MapNode:
    id: str
    """"asset:<id>" for an asset, "address:<ip or mac>" for an address outside the inventory."""
    kind: NodeKind
    asset_id: int | None
    name: str
    """Best name: identity name, else vendor + product, else vendor, else first address."""
    addresses: tuple[str, ...]
    roles: tuple[str, ...]
    purdue_level: float | None
    group: str
    children: tuple[MapChild, ...] = ()


@dataclass(frozen=True, slots=True)
class MapEdge:
    client: str
    server: str
    protocol: str
    """The dissected protocol, or "<transport>/<port>" for a flow nothing dissected."""
    kind: EdgeKind
    operations: tuple[tuple[str, int], ...]
    """(operation class, transactions) sorted by class; empty for a plain flow."""
    worst_operation: str | None
    remote_access: bool
    packets: int
    octets: int
    connections: int
    first_seen: float
    last_seen: float

    @property
    def transactions(self) -> int:
        return sum(count for _, count in self.operations)


@dataclass(frozen=True, slots=True)
class MapGroup:
    id: str
    label: str
    nodes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CommunicationMap:
    nodes: tuple[MapNode, ...]
    edges: tuple[MapEdge, ...]
    groups: tuple[MapGroup, ...]

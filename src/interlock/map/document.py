"""The JSON shape of the communication map (docs/inventory-map.md; pinned by
tests/map/test_document.py). Pure: a map in, plain dicts out."""

from __future__ import annotations

from typing import Any

from interlock.map.model import CommunicationMap, MapEdge, MapGroup, MapNode


def map_document(graph: CommunicationMap) -> dict[str, Any]:
    return {
        "nodes": [node_record(n) for n in graph.nodes],
        "edges": [edge_record(e) for e in graph.edges],
        "groups": [group_record(g) for g in graph.groups],
    }


def node_record(node: MapNode) -> dict[str, Any]:
    return {
        "id": node.id,
        "kind": node.kind,
        "asset_id": node.asset_id,
        "name": node.name,
        "addresses": list(node.addresses),
        "roles": list(node.roles),
        "purdue_level": node.purdue_level,
        "group": node.group,
        "children": [
            {"asset_id": c.asset_id, "kind": c.kind, "key": c.key, "name": c.name}
            for c in node.children
        ],
    }


def edge_record(edge: MapEdge) -> dict[str, Any]:
    return {
        "client": edge.client,
        "server": edge.server,
        "protocol": edge.protocol,
        "kind": edge.kind,
        "operations": dict(edge.operations),
        "worst_operation": edge.worst_operation,
        "transactions": edge.transactions,
        "remote_access": edge.remote_access,
        "packets": edge.packets,
        "bytes": edge.octets,
        "connections": edge.connections,
        "first_seen": edge.first_seen,
        "last_seen": edge.last_seen,
    }


def group_record(group: MapGroup) -> dict[str, Any]:
    return {"id": group.id, "label": group.label, "nodes": list(group.nodes)}

"""JSON shapes of the inventory views (../shared/spec/inventory.md fixes the minimum;
docs/inventory.md documents the rest). Pure: Inventory objects in, plain dicts out."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from interlock.inventory.model import Asset, Change, FlowRecord, Inventory, Span, is_mac


def asset_record(asset: Asset, inventory: Inventory) -> dict[str, Any]:
    identity: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for value in sorted(asset.identity.values(), key=lambda v: (v.attribute, -v.confidence)):
        span = value.span
        identity[value.attribute].append(
            {
                "value": value.value,
                "source": value.source,
                "confidence": value.confidence,
                "evidence": value.evidence.as_dict(),
                "first_seen": span.first,
                "last_seen": span.last,
                "count": span.count,
            }
        )
    addresses = sorted(asset.addresses, key=lambda a: (is_mac(a), a))
    record: dict[str, Any] = {
        "id": asset.id,
        "addresses": addresses,
        "ips": [a for a in addresses if not is_mac(a)],
        "macs": [a for a in addresses if is_mac(a)],
        "identity": dict(identity),
        "roles": [{"role": r.role, "reason": r.reason} for r in asset.roles],
        "purdue_level": asset.purdue_level,
        "protocols": [
            {"proto": proto, "side": side, "port": port, **_span(span)}
            for (proto, side, port), span in sorted(asset.protocols.items())
        ],
        **_span(asset.span),
    }
    if asset.parent_id is not None:
        record["parent_id"] = asset.parent_id
        record["kind"] = asset.child_kind
        record["key"] = asset.child_key
    record["children"] = [
        asset_record(child, inventory)
        for child in sorted(inventory.children_of(asset.id), key=lambda c: c.id)
    ]
    return record


def assets_document(inventory: Inventory) -> dict[str, Any]:
    return {
        "assets": [
            asset_record(a, inventory) for a in sorted(inventory.top_level(), key=lambda a: a.id)
        ]
    }


def flow_record(flow: FlowRecord) -> dict[str, Any]:
    return {
        "transport": flow.transport,
        "client": flow.client,
        "server": flow.server,
        "server_port": flow.server_port,
        "proto": flow.proto or None,
        "packets": flow.packets,
        "bytes": flow.octets,
        "connections": flow.connections,
        "first_seen": flow.span.first,
        "last_seen": flow.span.last,
    }


def change_record(change: Change) -> dict[str, Any]:
    return {
        "kind": change.kind,
        "ts": change.ts,
        "asset_id": change.asset_id,
        "summary": change.summary,
        "evidence": change.evidence.as_dict() if change.evidence else None,
        "detail": change.detail,
    }


def _span(span: Span) -> dict[str, Any]:
    return {"first_seen": span.first, "last_seen": span.last, "count": span.count}

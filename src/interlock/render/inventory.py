"""JSON shapes of the inventory views (../shared/spec/inventory.md fixes the minimum;
docs/inventory.md documents the rest). Pure: Inventory objects in, plain dicts out."""

from __future__ import annotations

from typing import Any

from interlock.inventory.model import (
    Asset,
    Change,
    FlowRecord,
    IdentityValue,
    Inventory,
    Span,
    is_mac,
)


def asset_record(asset: Asset, inventory: Inventory) -> dict[str, Any]:
    # Written for speed: `assets --json` renders 10,000 of these.
    identity: dict[str, list[dict[str, Any]]] = {}
    values = list(asset.identity.values())
    if len(values) > 1:
        values.sort(key=_identity_order)
    for value in values:
        span, evidence = value.span, value.evidence
        entry = {
            "value": value.value,
            "source": value.source,
            "confidence": value.confidence,
            "evidence": {
                "capture": evidence.capture, "frame": evidence.frame, "ts": evidence.ts,
                "site": evidence.site,
            },
            "first_seen": span.first,
            "last_seen": span.last,
            "count": span.count,
        }  # fmt: skip
        listed = identity.get(value.attribute)
        if listed is None:
            identity[value.attribute] = [entry]
        else:
            listed.append(entry)
    ips: list[str] = []
    macs: list[str] = []
    for address in sorted(asset.addresses):
        (macs if is_mac(address) else ips).append(address)
    span = asset.span
    record: dict[str, Any] = {
        "id": asset.id,
        "addresses": ips + macs,
        "ips": ips,
        "macs": macs,
        "identity": identity,
        "roles": [{"role": r.role, "reason": r.reason} for r in asset.roles],
        "purdue_level": asset.purdue_level,
        "protocols": [
            {
                "proto": proto,
                "side": side,
                "port": port,
                "first_seen": s.first,
                "last_seen": s.last,
                "count": s.count,
            }
            for (proto, side, port), s in sorted(asset.protocols.items())
        ],
        "first_seen": span.first,
        "last_seen": span.last,
        "count": span.count,
    }
    if asset.parent_id is not None:
        record["parent_id"] = asset.parent_id
        record["kind"] = asset.child_kind
        record["key"] = asset.child_key
    children = inventory.children_of(asset.id)
    if len(children) > 1:
        children.sort(key=lambda c: c.id)
    record["children"] = [asset_record(child, inventory) for child in children]
    return record


def _identity_order(value: IdentityValue) -> tuple[str, float]:
    return (value.attribute, -value.confidence)


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

"""JSON shapes of `interlock zones check` and `zones validate` (docs/inventory-zones.md).
Pure: zone model, assignment and findings in, plain dicts out."""

from __future__ import annotations

from typing import Any

from interlock.inventory.model import Asset, Inventory, is_mac
from interlock.zones.assign import Assignment, Placement
from interlock.zones.check import Finding, Party
from interlock.zones.model import Conduit, LoadError, Zone, ZoneModel


def errors_document(source: str, errors: list[LoadError]) -> dict[str, Any]:
    return {
        "file": source,
        "valid": False,
        "errors": [{"file": e.source, "line": e.line, "message": e.message} for e in errors],
    }


def model_document(model: ZoneModel) -> dict[str, Any]:
    return {
        "file": model.source,
        "valid": True,
        "errors": [],
        "zones": [zone_record(z) for z in model.zones],
        "conduits": [conduit_record(c) for c in model.conduits],
    }


def zone_record(zone: Zone) -> dict[str, Any]:
    m = zone.members
    return {
        "name": zone.name,
        "description": zone.description,
        "security_level": zone.security_level.as_json(),
        "members": {
            "cidrs": [str(n) for n in m.networks],
            "assets": list(m.asset_ids),
            "macs": list(m.macs),
            "hostnames": list(m.hostnames),
        },
        "line": zone.line,
    }


def conduit_record(conduit: Conduit) -> dict[str, Any]:
    return {
        "name": conduit.name,
        "description": conduit.description,
        "zones": list(conduit.zones),
        "initiator": conduit.initiator,
        "security_level": conduit.security_level.as_json() if conduit.security_level else None,
        "protocols": {
            r.protocol: None if r.operations is None else sorted(r.operations)
            for r in conduit.rules
        },
        "line": conduit.line,
    }


def check_document(
    model: ZoneModel,
    inventory: Inventory,
    assignment: Assignment,
    findings: list[Finding],
    store: str,
) -> dict[str, Any]:
    by_zone: dict[str, list[int]] = {z.name: [] for z in model.zones}
    for asset_id, placement in sorted(assignment.placed.items()):
        by_zone[placement.zone].append(asset_id)
    zones = []
    for zone in model.zones:
        record = zone_record(zone)
        record["assets"] = by_zone[zone.name]
        zones.append(record)
    return {
        "file": model.source,
        "store": store,
        "zones": zones,
        "conduits": [conduit_record(c) for c in model.conduits],
        "assignments": [
            {**_asset(inventory, i), **_placement(p)} for i, p in sorted(assignment.placed.items())
        ],
        "unassigned": [_asset(inventory, i) for i in sorted(assignment.unassigned)],
        "conflicts": [
            {**_asset(inventory, i), "placements": [_placement(p) for p in ps]}
            for i, ps in sorted(assignment.conflicts.items())
        ],
        "findings": [finding_record(f) for f in findings],
        "summary": {
            "assets": len(inventory.assets),
            "assigned": len(assignment.placed),
            "unassigned": len(assignment.unassigned),
            "conflicts": len(assignment.conflicts),
            "findings": len(findings),
        },
    }


def finding_record(finding: Finding) -> dict[str, Any]:
    return {
        "kind": finding.kind,
        "reason": finding.reason,
        "client": _party(finding.client),
        "server": _party(finding.server),
        "proto": finding.proto or None,
        "operation": finding.operation,
        "transport": finding.transport,
        "server_port": finding.server_port,
        "first_seen": finding.first_seen,
        "last_seen": finding.last_seen,
        "count": finding.count,
        "packets": finding.packets,
        "bytes": finding.octets,
        "conduits": list(finding.conduits),
    }


def _party(party: Party) -> dict[str, Any]:
    return {"address": party.address, "asset_id": party.asset_id, "zone": party.zone}


def _asset(inventory: Inventory, asset_id: int) -> dict[str, Any]:
    asset: Asset | None = inventory.assets.get(asset_id)
    addresses = sorted(asset.addresses, key=lambda a: (is_mac(a), a)) if asset else []
    record: dict[str, Any] = {"asset_id": asset_id, "addresses": addresses}
    if asset is not None and asset.parent_id is not None:
        record["parent_id"] = asset.parent_id
    return record


def _placement(placement: Placement) -> dict[str, Any]:
    return {"zone": placement.zone, "by": placement.by, "match": placement.match}

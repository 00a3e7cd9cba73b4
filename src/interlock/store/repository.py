"""Load the inventory from the store and save it back, in one transaction each.

Saving rewrites the inventory's current state (assets, identity, flows, edges) and appends
this run's changes and capture, all in one transaction: an interrupted run leaves the store
as it was before the run.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, delete, func, insert, select

from interlock.inventory.model import (
    Asset,
    CaptureRecord,
    Change,
    Edge,
    Evidence,
    FlowRecord,
    IdentityValue,
    Inventory,
    Role,
    Span,
)
from interlock.store import tables as t

CURRENT_STATE = (
    t.assets, t.asset_addresses, t.identity, t.asset_protocols, t.roles, t.flows, t.edges,
)  # fmt: skip


def load(engine: Engine) -> Inventory:
    inv = Inventory()
    with engine.connect() as c:
        for r in c.execute(select(t.assets)).mappings():
            inv.assets[r["id"]] = Asset(
                r["id"], Span(r["first_seen"], r["last_seen"], r["seen_count"]),
                r["parent_id"], r["child_kind"], r["child_key"], purdue_level=r["purdue_level"],
            )  # fmt: skip
        for r in c.execute(select(t.asset_addresses)).mappings():
            inv.assets[r["asset_id"]].addresses[r["address"]] = _span(r)
        for r in c.execute(select(t.identity)).mappings():
            value = IdentityValue(
                r["attribute"], r["value"], r["source"], r["confidence"],
                Evidence(r["capture"], r["frame"], r["ts"], r["site"]), _span(r),
            )  # fmt: skip
            inv.assets[r["asset_id"]].identity[(r["attribute"], r["value"], r["source"])] = value
        for r in c.execute(select(t.asset_protocols)).mappings():
            inv.assets[r["asset_id"]].protocols[(r["proto"], r["side"], r["port"])] = _span(r)
        for r in c.execute(select(t.roles)).mappings():
            inv.assets[r["asset_id"]].roles.append(Role(r["role"], r["reason"]))
        for r in c.execute(select(t.flows)).mappings():
            key = (r["transport"], r["client"], r["server"], r["server_port"], r["proto"])
            inv.flows[key] = FlowRecord(
                *key, r["packets"], r["octets"], r["connections"],
                Span(r["first_seen"], r["last_seen"], r["connections"]),
            )  # fmt: skip
        for r in c.execute(select(t.edges)).mappings():
            key4 = (r["client_id"], r["server_id"], r["proto"], r["operation"])
            inv.edges[key4] = Edge(*key4, _span(r))
        quiet = select(t.changes.c.asset_id, func.max(t.changes.c.ts)).where(
            t.changes.c.kind == "asset_quiet"
        )
        for asset_id, ts in c.execute(quiet.group_by(t.changes.c.asset_id)):
            inv.quiet_noted[asset_id] = ts
    inv.next_id = max(inv.assets, default=0) + 1
    return inv


def analyzed(engine: Engine, sha256: str, site: str) -> bool:
    """Whether this capture was already merged for this site (merging twice double-counts)."""
    with engine.connect() as c:
        query = select(t.captures.c.sha256).where(
            t.captures.c.sha256 == sha256, t.captures.c.site == site
        )
        return c.execute(query).first() is not None


def save(engine: Engine, inv: Inventory) -> None:
    with engine.begin() as c:
        for table in CURRENT_STATE:
            c.execute(delete(table))
        _insert(c, t.assets, (_asset_row(a) for a in inv.assets.values()))
        _insert(c, t.asset_addresses, (
            {"asset_id": a.id, "address": k, **_span_row(s)}
            for a in inv.assets.values() for k, s in a.addresses.items()
        ))  # fmt: skip
        _insert(c, t.identity, (
            {"asset_id": a.id, "attribute": v.attribute, "value": v.value, "source": v.source,
             "confidence": v.confidence, "capture": v.evidence.capture, "frame": v.evidence.frame,
             "ts": v.evidence.ts, "site": v.evidence.site, **_span_row(v.span)}
            for a in inv.assets.values() for v in a.identity.values()
        ))  # fmt: skip
        _insert(c, t.asset_protocols, (
            {"asset_id": a.id, "proto": p, "side": side, "port": port, **_span_row(s)}
            for a in inv.assets.values() for (p, side, port), s in a.protocols.items()
        ))  # fmt: skip
        _insert(c, t.roles, (
            {"asset_id": a.id, "role": r.role, "reason": r.reason}
            for a in inv.assets.values() for r in a.roles
        ))  # fmt: skip
        _insert(c, t.flows, (
            {"transport": f.transport, "client": f.client, "server": f.server,
             "server_port": f.server_port, "proto": f.proto, "packets": f.packets,
             "octets": f.octets, "connections": f.connections,
             "first_seen": f.span.first, "last_seen": f.span.last}
            for f in inv.flows.values()
        ))  # fmt: skip
        _insert(c, t.edges, (
            {"client_id": e.client_id, "server_id": e.server_id, "proto": e.proto,
             "operation": e.operation, **_span_row(e.span)}
            for e in inv.edges.values()
        ))  # fmt: skip
        _insert(c, t.changes, (_change_row(ch) for ch in inv.changes))
        _insert(c, t.captures, (
            {"sha256": cap.sha256, "site": cap.site, "name": cap.name, "frames": cap.frames,
             "first_ts": cap.first_ts, "last_ts": cap.last_ts}
            for cap in inv.captures
        ))  # fmt: skip
    inv.changes.clear()
    inv.captures.clear()


def changes(engine: Engine, since: float | None = None, kind: str | None = None) -> list[Change]:
    query = select(t.changes).order_by(t.changes.c.ts, t.changes.c.id)
    if since is not None:
        query = query.where(t.changes.c.ts >= since)
    if kind is not None:
        query = query.where(t.changes.c.kind == kind)
    with engine.connect() as c:
        return [
            Change(
                r["kind"],
                r["ts"],
                r["asset_id"],
                r["summary"],
                Evidence(r["capture"], r["frame"] or 0, r["ts"], r["site"] or "")
                if r["capture"]
                else None,
                orjson.loads(r["detail"]),
            )
            for r in c.execute(query).mappings()
        ]


def captures(engine: Engine) -> list[CaptureRecord]:
    with engine.connect() as c:
        return [
            CaptureRecord(
                r["sha256"], r["name"], r["site"], r["frames"], r["first_ts"], r["last_ts"]
            )
            for r in c.execute(select(t.captures)).mappings()
        ]


def _insert(c: Connection, table: Any, rows: Iterable[dict[str, Any]]) -> None:
    batch = list(rows)
    if batch:
        c.execute(insert(table), batch)


def _span(r: Any) -> Span:
    return Span(r["first_seen"], r["last_seen"], r["count"])


def _span_row(s: Span) -> dict[str, Any]:
    return {"first_seen": s.first, "last_seen": s.last, "count": s.count}


def _asset_row(a: Asset) -> dict[str, Any]:
    return {
        "id": a.id, "parent_id": a.parent_id, "child_kind": a.child_kind,
        "child_key": a.child_key, "first_seen": a.span.first, "last_seen": a.span.last,
        "seen_count": a.span.count, "purdue_level": a.purdue_level,
    }  # fmt: skip


def _change_row(ch: Change) -> dict[str, Any]:
    ev = ch.evidence
    return {
        "kind": ch.kind, "ts": ch.ts, "asset_id": ch.asset_id, "summary": ch.summary,
        "capture": ev.capture if ev else None, "frame": ev.frame if ev else None,
        "site": ev.site if ev else None, "detail": orjson.dumps(ch.detail).decode(),
    }  # fmt: skip

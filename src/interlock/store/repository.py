"""Load the inventory from the store and save it back, in one transaction each.

Saving rewrites the inventory's current state (assets, identity, flows, edges) and appends
this run's changes and capture, all in one transaction: an interrupted run leaves the store
as it was before the run.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, delete, func, insert, select

from interlock.gc_pause import paused_gc
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
from interlock.store.reader import assets_from_rows

INSERT_BATCH = 2000
ZERO_SPAN = Span(0.0, 0.0, 0)
"""Where a view of the plant needs an address but not when it was seen."""
CURRENT_STATE = (
    t.assets, t.asset_addresses, t.identity, t.asset_protocols, t.roles, t.flows, t.edges,
)  # fmt: skip


def load(engine: Engine, traffic: bool = True) -> Inventory:
    """The whole inventory; without ``traffic``, only the assets (no flows, edges or
    quiet notes: what `interlock assets` and `asset` show)."""
    # Rows as plain tuples, in table column order: `assets --json` on 10,000 assets reads
    # about 100,000 rows, and mapping access per row was most of its time.
    with engine.connect() as c, paused_gc():
        inv = assets_from_rows(lambda table: _rows(c, t.metadata.tables[table]))
        if not traffic:
            return inv
        for row in _rows(c, t.flows):
            transport, client, server, port, proto, packets, octets, connections, first, last = row
            key = (transport, client, server, port, proto)
            inv.flows[key] = FlowRecord(
                *key, packets, octets, connections, Span(first, last, connections)
            )
        for cid, sid, proto, operation, first, last, count in _rows(c, t.edges):
            inv.edges[(cid, sid, proto, operation)] = Edge(
                cid, sid, proto, operation, Span(first, last, count)
            )
        quiet = select(t.changes.c.asset_id, func.max(t.changes.c.ts)).where(
            t.changes.c.kind == "asset_quiet"
        )
        for asset_id, ts in c.execute(quiet.group_by(t.changes.c.asset_id)):
            inv.quiet_noted[asset_id] = ts
    return inv


def plant(c: Connection) -> Inventory:
    """The top-level assets as detection sees them: addresses, roles, Purdue level and
    `name` values (what zones place them by); much less than the whole inventory."""
    a = t.assets
    inv = Inventory()
    assets = inv.assets
    query = select(a.c.id, a.c.purdue_level).where(a.c.parent_id.is_(None))
    for aid, purdue in c.execute(query):
        assets[aid] = Asset(aid, Span(0.0, 0.0, 0), purdue_level=purdue)
    for aid, address, *_span in c.execute(select(t.asset_addresses)):
        if aid in assets:
            assets[aid].addresses[address] = ZERO_SPAN
    for aid, role, reason in c.execute(select(t.roles)):
        if aid in assets:
            assets[aid].roles.append(Role(role, reason))
    names = select(t.identity).where(t.identity.c.attribute == "name")
    for aid, attribute, value, source, confidence, *rest in c.execute(names):
        if aid in assets:
            assets[aid].identity[(attribute, value, source)] = IdentityValue(
                attribute, value, source, confidence, Evidence(*rest[:4]), Span(*rest[4:])
            )
    return inv


def owners(c: Connection, addresses: Collection[str]) -> dict[str, int]:
    """address -> the lowest-id top-level asset having it (as ``InventoryContext`` and
    ``zones.assign`` decide), for the addresses some asset has."""
    a, ad = t.assets, t.asset_addresses
    found = sorted(addresses)
    having: dict[str, list[int]] = {}
    for names in (found[i : i + 900] for i in range(0, len(found), 900)):
        for address, aid in c.execute(
            select(ad.c.address, ad.c.asset_id).where(ad.c.address.in_(names))
        ):
            having.setdefault(address, []).append(aid)
    ids = sorted({aid for aids in having.values() for aid in aids})
    top: set[int] = set()
    for part in (ids[i : i + 900] for i in range(0, len(ids), 900)):
        query = select(a.c.id, a.c.parent_id).where(a.c.id.in_(part))
        top.update(aid for aid, parent in c.execute(query) if parent is None)
    return {
        address: min(tops)
        for address, aids in having.items()
        if (tops := [aid for aid in aids if aid in top])
    }


def asset_count(engine: Engine) -> int:
    """How many top-level assets the store holds."""
    with engine.connect() as c:
        query = select(func.count()).select_from(t.assets).where(t.assets.c.parent_id.is_(None))
        return int(c.execute(query).scalar() or 0)


def analyzed(engine: Engine, sha256: str, site: str) -> bool:
    """Whether this capture was already merged for this site (merging twice double-counts)."""
    with engine.connect() as c:
        query = select(t.captures.c.sha256).where(
            t.captures.c.sha256 == sha256, t.captures.c.site == site
        )
        return c.execute(query).first() is not None


def save(engine: Engine, inv: Inventory, also: Callable[[Connection], None] | None = None) -> None:
    """Write the inventory; `also` writes more in the same transaction (a run's alerts)."""
    with engine.begin() as c:
        for table in CURRENT_STATE:
            c.execute(delete(table))
        insert_rows(c, t.assets, (asset_row(a) for a in inv.assets.values()))
        insert_rows(c, t.asset_addresses, (
            {"asset_id": a.id, "address": k, **span_row(s)}
            for a in inv.assets.values() for k, s in a.addresses.items()
        ))  # fmt: skip
        insert_rows(c, t.identity, (
            {"asset_id": a.id, "attribute": v.attribute, "value": v.value, "source": v.source,
             "confidence": v.confidence, "capture": v.evidence.capture, "frame": v.evidence.frame,
             "ts": v.evidence.ts, "site": v.evidence.site, **span_row(v.span)}
            for a in inv.assets.values() for v in a.identity.values()
        ))  # fmt: skip
        insert_rows(c, t.asset_protocols, (
            {"asset_id": a.id, "proto": p, "side": side, "port": port, **span_row(s)}
            for a in inv.assets.values() for (p, side, port), s in a.protocols.items()
        ))  # fmt: skip
        insert_rows(c, t.roles, (
            {"asset_id": a.id, "role": r.role, "reason": r.reason}
            for a in inv.assets.values() for r in a.roles
        ))  # fmt: skip
        insert_rows(c, t.flows, (
            {"transport": f.transport, "client": f.client, "server": f.server,
             "server_port": f.server_port, "proto": f.proto, "packets": f.packets,
             "octets": f.octets, "connections": f.connections,
             "first_seen": f.span.first, "last_seen": f.span.last}
            for f in inv.flows.values()
        ))  # fmt: skip
        insert_rows(c, t.edges, (
            {"client_id": e.client_id, "server_id": e.server_id, "proto": e.proto,
             "operation": e.operation, **span_row(e.span)}
            for e in inv.edges.values()
        ))  # fmt: skip
        insert_rows(c, t.changes, (change_row(ch) for ch in inv.changes))
        insert_rows(c, t.captures, (capture_row(cap) for cap in inv.captures))
        if also is not None:
            also(c)
    inv.changes.clear()
    inv.captures.clear()


def changes(
    engine: Engine,
    since: float | None = None,
    kind: str | None = None,
    capture: tuple[str, str] | None = None,
) -> list[Change]:
    """Stored changes in time order; ``capture`` = (sha256, site): those a run recorded."""
    order = (t.changes.c.id,) if capture else (t.changes.c.ts, t.changes.c.id)
    query = select(t.changes).order_by(*order)
    if capture is not None:
        query = query.where(t.changes.c.capture == capture[0], t.changes.c.site == capture[1])
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


def _rows(c: Connection, table: Any) -> list[Any]:
    """Every row of a table as plain tuples, in column order, through the DB-API cursor:
    SQLAlchemy's per-row result processing was most of the time of a large load."""
    columns = ", ".join(column.name for column in table.columns)
    cursor = c.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(f"SELECT {columns} FROM {table.name}")  # names from our own schema
        return list(cursor.fetchall())
    finally:
        cursor.close()


def insert_rows(c: Connection, table: Any, rows: Iterable[dict[str, Any]]) -> None:
    """Insert rows in batches: a whole large inventory as one list of dicts was most of
    analyze's peak memory."""
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= INSERT_BATCH:
            c.execute(insert(table), batch)
            batch = []
    if batch:
        c.execute(insert(table), batch)


def span_row(s: Span) -> dict[str, Any]:
    return {"first_seen": s.first, "last_seen": s.last, "count": s.count}


def capture_row(cap: CaptureRecord) -> dict[str, Any]:
    return {
        "sha256": cap.sha256, "site": cap.site, "name": cap.name, "frames": cap.frames,
        "first_ts": cap.first_ts, "last_ts": cap.last_ts,
    }  # fmt: skip


def asset_row(a: Asset) -> dict[str, Any]:
    return {
        "id": a.id, "parent_id": a.parent_id, "child_kind": a.child_kind,
        "child_key": a.child_key, "first_seen": a.span.first, "last_seen": a.span.last,
        "seen_count": a.span.count, "purdue_level": a.purdue_level,
    }  # fmt: skip


def change_row(ch: Change) -> dict[str, Any]:
    ev = ch.evidence
    return {
        "kind": ch.kind, "ts": ch.ts, "asset_id": ch.asset_id, "summary": ch.summary,
        "capture": ev.capture if ev else None, "frame": ev.frame if ev else None,
        "site": ev.site if ev else None, "detail": orjson.dumps(ch.detail).decode(),
    }  # fmt: skip

"""The store as a sliced merge sees it (``interlock.inventory.slices.Workspace``): the part
of the inventory a slice touches, looked up by address, and that part written back.

Everything goes through one connection, in the caller's transaction: a run's slices are
committed together (or, for a live tap, each with the capture's record brought up to
date), so that an interrupted run never leaves half a capture looking merged.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import Any, Final, TypeVar

from sqlalchemy import Connection, and_, delete, func, insert, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from interlock.inventory.model import (
    CaptureRecord,
    Change,
    Edge,
    Inventory,
    Span,
)
from interlock.inventory.roles import REMOTE_ACCESS_SERVERS
from interlock.store import tables as t
from interlock.store.reader import assets_from_rows
from interlock.store.repository import capture_row, change_row, insert_rows

CHUNK: Final = 900
"""Values per IN (...) list: under SQLite's historical limit of 999 bound parameters."""
T = TypeVar("T")


class StoreWorkspace:
    def __init__(self, connection: Connection) -> None:
        self.c = connection

    def next_asset_id(self) -> int:
        return int(self.c.execute(select(func.max(t.assets.c.id))).scalar() or 0) + 1

    # -- reading ---------------------------------------------------------------------

    def working_set(self, addresses: Collection[str]) -> tuple[Inventory, set[int]]:
        a, ad = t.assets, t.asset_addresses
        having: set[int] = set()
        for names in _chunks(sorted(addresses)):
            query = select(ad.c.asset_id).where(ad.c.address.in_(names))
            having.update(self.c.execute(query).scalars())
        # Two lookups, not a join: given both, SQLite walks the parent_id index (every
        # top-level asset) instead of the address index.
        top: set[int] = set()
        for ids in _chunks(sorted(having)):
            query = select(a.c.id, a.c.parent_id).where(a.c.id.in_(ids))
            top.update(aid for aid, parent in self.c.execute(query) if parent is None)
        complete = set(top)
        for ids in _chunks(sorted(top)):
            complete.update(self.c.execute(select(a.c.id).where(a.c.parent_id.in_(ids))).scalars())
        inv = Inventory()
        self._load_assets(inv, complete, full=True)
        for ids in _chunks(sorted(top)):
            for cid, sid, proto, operation, first, last, count in self.c.execute(
                select(t.edges).where(t.edges.c.client_id.in_(ids))
            ):
                inv.edges[(cid, sid, proto, operation)] = Edge(
                    cid, sid, proto, operation, Span(first, last, count)
                )
        named = {
            e.server_id for e in inv.edges.values() if e.proto in REMOTE_ACCESS_SERVERS
        } - complete
        self._load_assets(inv, named, full=False)
        return inv, complete

    def _load_assets(self, inv: Inventory, ids: set[int], full: bool) -> None:
        """Assets by id, with their addresses; with ``full``, all they hold."""
        for part in _chunks(sorted(ids)):

            def rows(table: str, part: Sequence[int] = part) -> Iterable[Any]:
                if table == "assets":
                    return self.c.execute(select(t.assets).where(t.assets.c.id.in_(part)))
                if not full and table != "asset_addresses":
                    return ()
                return self._of(t.metadata.tables[table], part)

            inv.assets.update(assets_from_rows(rows).assets)

    def _of(self, table: Any, ids: Sequence[int]) -> Iterable[Any]:
        return self.c.execute(select(table).where(table.c.asset_id.in_(ids)))

    def quiet_candidates(
        self, before: float, after_id: int, limit: int
    ) -> list[tuple[int, float, float | None]]:
        a, ch = t.assets, t.changes
        noted = (
            select(func.max(ch.c.ts))
            .where(and_(ch.c.asset_id == a.c.id, ch.c.kind == "asset_quiet"))
            .scalar_subquery()
        )
        query = (
            select(a.c.id, a.c.last_seen, noted)
            .where(a.c.parent_id.is_(None), a.c.last_seen < before, a.c.id > after_id)
            .order_by(a.c.id)
            .limit(limit)
        )
        return [(aid, last, when) for aid, last, when in self.c.execute(query)]

    # -- writing ---------------------------------------------------------------------

    def write_slice(
        self, working: Inventory, complete: Collection[int], changes: list[Change]
    ) -> None:
        c = self.c
        ids = sorted(complete)
        for part in _chunks(ids):
            c.execute(delete(t.assets).where(t.assets.c.id.in_(part)))
            for table in (t.asset_addresses, t.identity, t.asset_protocols, t.roles):
                c.execute(delete(table).where(table.c.asset_id.in_(part)))
            c.execute(delete(t.edges).where(t.edges.c.client_id.in_(part)))
        chosen = [working.assets[i] for i in ids]
        put = self._put
        put(t.assets, (
            (a.id, a.parent_id, a.child_kind, a.child_key, a.span.first, a.span.last,
             a.span.count, a.purdue_level)
            for a in chosen
        ))  # fmt: skip
        put(t.asset_addresses, (
            (a.id, k, s.first, s.last, s.count) for a in chosen for k, s in a.addresses.items()
        ))  # fmt: skip
        put(t.identity, (
            (a.id, v.attribute, v.value, v.source, v.confidence, v.evidence.capture,
             v.evidence.frame, v.evidence.ts, v.evidence.site, v.span.first, v.span.last,
             v.span.count)
            for a in chosen for v in a.identity.values()
        ))  # fmt: skip
        put(t.asset_protocols, (
            (a.id, p, side, port, s.first, s.last, s.count)
            for a in chosen for (p, side, port), s in a.protocols.items()
        ))  # fmt: skip
        put(t.roles, ((a.id, r.role, r.reason) for a in chosen for r in a.roles))
        clients = set(complete)
        put(t.edges, (
            (e.client_id, e.server_id, e.proto, e.operation, e.span.first, e.span.last,
             e.span.count)
            for e in working.edges.values() if e.client_id in clients
        ))  # fmt: skip
        self._add_flows(working)
        self.write_changes(changes)

    def _put(self, table: Any, rows: Iterable[tuple[Any, ...]]) -> None:
        """Insert rows given in the table's column order, streamed to the DB-API cursor:
        building a dict per row for SQLAlchemy was a tenth of a large run's merge."""
        names = [column.name for column in table.columns]
        sql = (
            f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
        )
        # The connection's own DB-API cursor: inside the transaction SQLAlchemy began (the
        # slice's lookups and deletes went through it first). sqlite3 takes an iterator.
        cursor = self.c.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.executemany(sql, rows)  # type: ignore[arg-type]
        finally:
            cursor.close()

    def _add_flows(self, working: Inventory) -> None:
        """Flows are counters: a slice's are added to what the store has."""
        if not working.flows:
            return
        f = t.flows
        upsert = sqlite_insert(f)
        upsert = upsert.on_conflict_do_update(
            index_elements=[f.c.transport, f.c.client, f.c.server, f.c.server_port, f.c.proto],
            set_={
                "packets": f.c.packets + upsert.excluded.packets,
                "octets": f.c.octets + upsert.excluded.octets,
                "connections": f.c.connections + upsert.excluded.connections,
                "first_seen": func.min(f.c.first_seen, upsert.excluded.first_seen),
                "last_seen": func.max(f.c.last_seen, upsert.excluded.last_seen),
            },
        )
        rows = [
            {"transport": r.transport, "client": r.client, "server": r.server,
             "server_port": r.server_port, "proto": r.proto, "packets": r.packets,
             "octets": r.octets, "connections": r.connections,
             "first_seen": r.span.first, "last_seen": r.span.last}
            for r in working.flows.values()
        ]  # fmt: skip
        for part in _chunks(rows, 2000):
            self.c.execute(upsert, part)

    def write_changes(self, changes: list[Change]) -> None:
        insert_rows(self.c, t.changes, (change_row(ch) for ch in changes))

    def record_capture(self, capture: CaptureRecord) -> None:
        """The capture's record, or (a live tap checkpointing) its update."""
        key = (t.captures.c.sha256 == capture.sha256) & (t.captures.c.site == capture.site)
        self.c.execute(delete(t.captures).where(key))
        self.c.execute(insert(t.captures), [capture_row(capture)])


def _chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]

"""Reading the assets of a store that is at this version's schema, without SQLAlchemy.

`interlock assets --json` on 10,000 assets spent a fifth of its second importing
SQLAlchemy to run seven SELECTs. A store at the current revision is read here through the
standard library's DB-API driver; any other store (new, older, newer, damaged) goes
through ``schema.open_store``, which migrates it or refuses it with the usual message.
The column lists follow ``tables.py`` (a test compares them).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Final

from interlock.errors import StoreError
from interlock.gc_pause import paused_gc
from interlock.inventory.model import Asset, Evidence, IdentityValue, Inventory, Role, Span
from interlock.store.schema import SCHEMA_REVISIONS

COLUMNS: Final = {
    "assets": "id, parent_id, child_kind, child_key, first_seen, last_seen, seen_count, "
    "purdue_level",
    "asset_addresses": "asset_id, address, first_seen, last_seen, count",
    "identity": "asset_id, attribute, value, source, confidence, capture, frame, ts, site, "
    "first_seen, last_seen, count",
    "asset_protocols": "asset_id, proto, side, port, first_seen, last_seen, count",
    "roles": "asset_id, role, reason",
}


def open_current(path: Path) -> sqlite3.Connection | None:
    """A connection to the store at path if it is at this version's schema, else None."""
    if not path.is_file():
        raise StoreError(f"no inventory store at {path} (run `interlock analyze` first)")
    try:
        connection = sqlite3.connect(f"file:{path}?mode=rw", uri=True)
    except sqlite3.Error:
        return None
    try:
        row = connection.execute("select version_num from alembic_version").fetchone()
    except sqlite3.Error:
        row = None
    if row is None or row[0] != SCHEMA_REVISIONS[-1]:
        connection.close()
        return None
    return connection


def read_assets(connection: sqlite3.Connection) -> Inventory:
    """Every asset with its addresses, identity, protocols and roles (no traffic)."""

    def rows(table: str) -> list[tuple]:  # type: ignore[type-arg]
        return connection.execute(f"SELECT {COLUMNS[table]} FROM {table}").fetchall()

    return assets_from_rows(rows)


def assets_from_rows(rows: Callable[[str], Iterable[tuple]]) -> Inventory:  # type: ignore[type-arg]
    """The assets built from the rows of the asset tables, each row a plain tuple in the
    table's column order (``rows(table)``): the one place rows become assets, whether a
    DB-API cursor or SQLAlchemy read them."""
    inv = Inventory()
    assets = inv.assets
    with paused_gc():
        for aid, parent, kind, key, first, last, count, purdue in rows("assets"):
            assets[aid] = Asset(
                aid, Span(first, last, count), parent, kind, key, purdue_level=purdue
            )
        for aid, address, first, last, count in rows("asset_addresses"):
            assets[aid].addresses[address] = Span(first, last, count)
        for aid, attribute, value, source, confidence, capture, frame, ts, site, *span in rows(
            "identity"
        ):
            assets[aid].identity[(attribute, value, source)] = IdentityValue(
                attribute, value, source, confidence, Evidence(capture, frame, ts, site),
                Span(*span),
            )  # fmt: skip
        for aid, proto, side, port, first, last, count in rows("asset_protocols"):
            assets[aid].protocols[(proto, side, port)] = Span(first, last, count)
        for aid, role, reason in rows("roles"):
            assets[aid].roles.append(Role(role, reason))
    inv.next_id = max(assets, default=0) + 1
    return inv


def load_assets(path: Path) -> Inventory:
    """The assets of the store at path (migrated first if it is older)."""
    connection = open_current(path)
    if connection is None:
        from interlock.store.schema import open_store

        open_store(path, create=False).dispose()  # migrates, or says what is wrong
        connection = open_current(path)
        if connection is None:
            raise StoreError(f"{path} is not a readable inventory store")
    try:
        return read_assets(connection)
    except sqlite3.DatabaseError as err:
        raise StoreError(f"{path} is not a readable inventory store ({err})") from None
    finally:
        connection.close()

"""A new store is made from the tables at the head revision, not by running every
migration: both must give the same schema."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine

from interlock.store.schema import SCHEMA_REVISIONS, _upgrade, open_store


def schema(path: Path) -> dict[str, Any]:
    """Every table's columns (name, type, null, default, key) and indexes (name, unique,
    columns), and the store's revision."""
    c = sqlite3.connect(path)
    found: dict[str, Any] = {}
    for (name,) in c.execute("select name from sqlite_master where type='table'"):
        indexes = sorted(
            (i[1], i[2], tuple(r[2] for r in c.execute(f"pragma index_info('{i[1]}')")))
            for i in c.execute(f"pragma index_list('{name}')")
        )
        found[name] = (c.execute(f"pragma table_info('{name}')").fetchall(), indexes)
    found["revision"] = c.execute("select version_num from alembic_version").fetchall()
    c.close()
    return found


def test_a_created_store_has_the_schema_the_migrations_give(tmp_path: Path) -> None:
    created = tmp_path / "created.db"
    open_store(created).dispose()
    migrated = tmp_path / "migrated.db"
    engine = create_engine(f"sqlite:///{migrated}")
    with engine.begin() as connection:
        _upgrade(connection)  # every migration, from an empty store
    engine.dispose()
    assert schema(created) == schema(migrated)
    assert schema(created)["revision"] == [(SCHEMA_REVISIONS[-1],)]
    assert len(schema(created)) > 10

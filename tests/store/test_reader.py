"""Reading the assets of a current store without SQLAlchemy: the same inventory as the
repository's, and the same refusals for a missing, newer or damaged store."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from interlock.errors import StoreError
from interlock.render.inventory import assets_document
from interlock.store import repository, tables
from interlock.store.reader import COLUMNS, load_assets
from interlock.store.schema import open_store
from store.test_store import sample_inventory


def test_the_reader_reads_the_columns_of_the_tables() -> None:
    for name, columns in COLUMNS.items():
        table = tables.metadata.tables[name]
        assert columns.split(", ") == [column.name for column in table.columns]


def test_the_reader_gives_the_repository_assets(tmp_path: Path) -> None:
    path = tmp_path / "inventory.db"
    engine = open_store(path)
    repository.save(engine, sample_inventory())
    expected = assets_document(repository.load(engine))
    engine.dispose()
    assert assets_document(load_assets(path)) == expected
    assert expected["assets"]


def test_a_newer_store_is_refused_by_the_reader_too(tmp_path: Path) -> None:
    path = tmp_path / "inventory.db"
    engine = open_store(path)
    with engine.begin() as c:
        c.execute(text("update alembic_version set version_num = '9999'"))
    engine.dispose()
    with pytest.raises(StoreError, match="newer Interlock"):
        load_assets(path)


def test_a_missing_or_damaged_store_is_refused_by_the_reader(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="interlock analyze"):
        load_assets(tmp_path / "none.db")
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(b"not a database at all" * 100)
    with pytest.raises(StoreError, match="not a readable inventory store"):
        load_assets(damaged)
    assert damaged.read_bytes() == b"not a database at all" * 100

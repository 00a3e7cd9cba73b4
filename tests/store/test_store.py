"""The SQLite inventory store: created and migrated from empty, a round trip that loses
nothing, an atomic save, and clear refusals for a newer or a damaged store."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from interlock.errors import StoreError
from interlock.inventory.facts import IdentityFact
from interlock.inventory.merge import merge
from interlock.inventory.model import CaptureRecord, Inventory
from interlock.inventory.observations import FlowStats, RunObservations, Seen
from interlock.render.inventory import assets_document, flow_record
from interlock.store import repository
from interlock.store.schema import SCHEMA_REVISIONS, open_store


def sample_inventory() -> Inventory:
    obs = RunObservations("c" * 64, "plant-a")
    obs.hosts["10.0.0.9"] = Seen(1000, 1010, 0)
    obs.hosts["10.0.0.1"] = Seen(1000, 1010, 0)
    obs.macs[("10.0.0.9", "00:1b:1b:23:eb:3b")] = Seen(1000, 1010, 0)
    obs.fact(
        "10.0.0.9",
        IdentityFact("server", "name", "IM151-8-CPU", "s7comm.szl_0x001c", 0.95),
        1001,
        14,
    )
    obs.protocols[("10.0.0.9", "s7comm", "server", 102)] = Seen(1000, 1010, 0)
    obs.edges[("10.0.0.1", "10.0.0.9", "s7comm", "read")] = Seen(1000, 1010, 3)
    obs.flows[("tcp", "10.0.0.1", "10.0.0.9", 102, "s7comm")] = FlowStats(12, 1400, 1000, 1010)
    obs.first_ts, obs.last_ts = 1000.0, 1010.0
    inv = Inventory()
    merge(inv, obs, CaptureRecord("c" * 64, "x.pcap", "plant-a", 12, 1000.0, 1010.0))
    return inv


def test_a_new_store_is_created_at_the_current_schema(tmp_path: Path) -> None:
    engine = open_store(tmp_path / "sub" / "inventory.db")
    with engine.connect() as c:
        version = c.execute(text("select version_num from alembic_version")).scalar()
        assert version == SCHEMA_REVISIONS[-1]
    assert {"assets", "identity", "flows", "edges", "changes"} <= set(
        inspect(engine).get_table_names()
    )


def test_save_then_load_gives_the_same_inventory(tmp_path: Path) -> None:
    engine = open_store(tmp_path / "inventory.db")
    inv = sample_inventory()
    expected = assets_document(inv)
    flows = [flow_record(f) for f in inv.flows.values()]
    repository.save(engine, inv)
    loaded = repository.load(engine)
    assert assets_document(loaded) == expected
    assert [flow_record(f) for f in loaded.flows.values()] == flows
    assert repository.analyzed(engine, "c" * 64, "plant-a")
    assert not repository.analyzed(engine, "c" * 64, "plant-b")
    assert [c.kind for c in repository.changes(engine)] == ["new_asset", "new_asset", "new_pair"]


def test_a_failed_save_leaves_the_previous_state(tmp_path: Path) -> None:
    engine = open_store(tmp_path / "inventory.db")
    repository.save(engine, sample_inventory())
    before = assets_document(repository.load(engine))
    broken = repository.load(engine)
    first, second = list(broken.assets.values())[:2]
    second.id = first.id  # a duplicate primary key: the insert fails midway through the save
    with pytest.raises(Exception, match="UNIQUE"):
        repository.save(engine, broken)
    assert assets_document(repository.load(engine)) == before


def test_a_store_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "inventory.db"
    engine = open_store(path)
    with engine.begin() as c:
        c.execute(text("update alembic_version set version_num = '9999'"))
    engine.dispose()
    with pytest.raises(StoreError, match="newer Interlock"):
        open_store(path)


def test_a_damaged_store_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "inventory.db"
    path.write_bytes(b"not a database at all" * 100)
    with pytest.raises(StoreError, match="not a readable inventory store"):
        open_store(path)
    assert path.read_bytes() == b"not a database at all" * 100


def test_reading_a_missing_store_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="interlock analyze"):
        open_store(tmp_path / "none.db", create=False)


def test_the_known_revisions_are_the_migrations_folder() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from interlock.store.schema import MIGRATIONS, SCHEMA_REVISIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    walked = [r.revision for r in ScriptDirectory.from_config(config).walk_revisions()]
    assert tuple(reversed(walked)) == SCHEMA_REVISIONS

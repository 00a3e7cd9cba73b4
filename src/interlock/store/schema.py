"""Opening a store: create or migrate it to this version's schema, or refuse clearly."""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, exc

from interlock.errors import StoreError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def default_path() -> Path:
    """$INTERLOCK_DB, else $XDG_DATA_HOME/interlock/inventory.db (~/.local/share/...)."""
    if os.environ.get("INTERLOCK_DB"):
        return Path(os.environ["INTERLOCK_DB"])
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "interlock" / "inventory.db"


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def open_store(path: Path, create: bool = True) -> Engine:
    """An engine on the SQLite store at path, migrated to this version's schema."""
    if not path.exists() and not create:
        raise StoreError(f"no inventory store at {path} (run `interlock analyze` first)")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise StoreError(f"cannot create {path.parent}: {err.strerror}") from None
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _sqlite_pragmas)
    config = _config()
    heads = set(ScriptDirectory.from_config(config).get_heads())
    known = {rev.revision for rev in ScriptDirectory.from_config(config).walk_revisions()}
    try:
        with engine.begin() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
            if current - known:
                raise StoreError(
                    f"{path} was written by a newer Interlock (schema {', '.join(sorted(current))}); "
                    "upgrade Interlock to read it"
                )
            if current != heads:
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
    except exc.DatabaseError as err:
        raise StoreError(f"{path} is not a readable inventory store ({err.orig})") from None
    return engine


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    # WAL: readers (interlock assets) never block the writer (interlock analyze), and a
    # killed writer leaves the last committed state intact.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()

"""Opening a store: create or migrate it to this version's schema, or refuse clearly."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Final

from interlock.errors import StoreError

if TYPE_CHECKING:
    from sqlalchemy import Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SCHEMA_REVISIONS: Final = ("0001", "0002")
"""Every Alembic revision this version knows, oldest first (a test keeps it equal to the
migrations folder): reading the store's revision is one query, not an Alembic start-up."""


def default_path() -> Path:
    """$INTERLOCK_DB, else $XDG_DATA_HOME/interlock/inventory.db (~/.local/share/...)."""
    if os.environ.get("INTERLOCK_DB"):
        return Path(os.environ["INTERLOCK_DB"])
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "interlock" / "inventory.db"


def _upgrade(connection: object) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def open_store(path: Path, create: bool = True) -> Engine:
    """An engine on the SQLite store at path, migrated to this version's schema."""
    # Imported here: `interlock assets` reads a current store without SQLAlchemy (reader.py).
    from sqlalchemy import create_engine, event, exc

    if not path.exists() and not create:
        raise StoreError(f"no inventory store at {path} (run `interlock analyze` first)")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise StoreError(f"cannot create {path.parent}: {err.strerror}") from None
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _sqlite_pragmas)
    try:
        with engine.begin() as connection:
            current = _revision(connection)
            if current is not None and current not in SCHEMA_REVISIONS:
                raise StoreError(
                    f"{path} was written by a newer Interlock (schema {current}); "
                    "upgrade Interlock to read it"
                )
            if current is None and _empty(connection):
                _create(connection)
            elif current != SCHEMA_REVISIONS[-1]:
                _upgrade(connection)
    except exc.DatabaseError as err:
        raise StoreError(f"{path} is not a readable inventory store ({err.orig})") from None
    return engine


def _empty(connection: object) -> bool:
    from sqlalchemy import text

    run = connection.execute  # type: ignore[attr-defined]
    return bool(run(text("select count(*) from sqlite_master")).scalar() == 0)


def _create(connection: object) -> None:
    """A new store made from the tables at the head revision and stamped with it, as
    the migrations from empty would make it (a test compares the two), without starting
    Alembic: its import and run were a tenth of a first `analyze`'s memory."""
    from sqlalchemy import text

    from interlock.store.tables import metadata

    metadata.create_all(connection)  # type: ignore[arg-type]
    run = connection.execute  # type: ignore[attr-defined]
    run(text(
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
        "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
    ))  # fmt: skip
    run(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": SCHEMA_REVISIONS[-1]})


def _revision(connection: object) -> str | None:
    """The store's Alembic revision; None for a new, empty store."""
    from sqlalchemy import text

    run = connection.execute  # type: ignore[attr-defined]
    exists = run(
        text("select name from sqlite_master where type='table' and name='alembic_version'")
    ).first()
    if exists is None:
        return None
    row = run(text("select version_num from alembic_version")).first()
    return None if row is None else str(row[0])


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    # WAL: readers (interlock assets) never block the writer (interlock analyze), and a
    # killed writer leaves the last committed state intact.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()

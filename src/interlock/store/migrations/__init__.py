"""Alembic migrations of the inventory store (run by interlock.store.schema.upgrade)."""

"""The embedded inventory store: SQLite by default, through SQLAlchemy, schema by Alembic.

Domain code never imports this package's database layer; it hands an Inventory to
``repository.save`` and gets one back from ``repository.load``, and a sliced merge
(``interlock.inventory.slices``) works against ``workspace.StoreWorkspace``, which looks
up and writes back only the part of the inventory a slice touches. ``reader`` reads the
assets of a current store without SQLAlchemy (the `assets` and `asset` views).
"""

"""The embedded inventory store: SQLite by default, through SQLAlchemy, schema by Alembic.

Domain code never imports this package's database layer; it hands an Inventory to
``repository.save`` and gets one back from ``repository.load``.
"""

"""The first inventory schema: captures, assets, addresses, identity, protocols, roles,
flows, edges and changes.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _span() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("first_seen", sa.Float, nullable=False),
        sa.Column("last_seen", sa.Float, nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "captures",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("site", sa.String, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("frames", sa.Integer, nullable=False),
        sa.Column("first_ts", sa.Float),
        sa.Column("last_ts", sa.Float),
    )
    op.create_table(
        "assets",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("parent_id", sa.Integer, index=True),
        sa.Column("child_kind", sa.String),
        sa.Column("child_key", sa.String),
        *_span(),
        sa.Column("seen_count", sa.Integer, nullable=False),
        sa.Column("purdue_level", sa.Float),
    )
    op.create_table(
        "asset_addresses",
        sa.Column("asset_id", sa.Integer, primary_key=True),
        sa.Column("address", sa.String, primary_key=True, index=True),
        *_span(),
        sa.Column("count", sa.Integer, nullable=False),
    )
    op.create_table(
        "identity",
        sa.Column("asset_id", sa.Integer, primary_key=True),
        sa.Column("attribute", sa.String, primary_key=True),
        sa.Column("value", sa.Text, primary_key=True),
        sa.Column("source", sa.String, primary_key=True),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("capture", sa.String(64), nullable=False),
        sa.Column("frame", sa.Integer, nullable=False),
        sa.Column("ts", sa.Float, nullable=False),
        sa.Column("site", sa.String, nullable=False),
        *_span(),
        sa.Column("count", sa.Integer, nullable=False),
    )
    op.create_table(
        "asset_protocols",
        sa.Column("asset_id", sa.Integer, primary_key=True),
        sa.Column("proto", sa.String, primary_key=True),
        sa.Column("side", sa.String, primary_key=True),
        sa.Column("port", sa.Integer, primary_key=True),
        *_span(),
        sa.Column("count", sa.Integer, nullable=False),
    )
    op.create_table(
        "roles",
        sa.Column("asset_id", sa.Integer, primary_key=True),
        sa.Column("role", sa.String, primary_key=True),
        sa.Column("reason", sa.Text, nullable=False),
    )
    op.create_table(
        "flows",
        sa.Column("transport", sa.String, primary_key=True),
        sa.Column("client", sa.String, primary_key=True),
        sa.Column("server", sa.String, primary_key=True),
        sa.Column("server_port", sa.Integer, primary_key=True),
        sa.Column("proto", sa.String, primary_key=True),
        sa.Column("packets", sa.Integer, nullable=False),
        sa.Column("octets", sa.Integer, nullable=False),
        sa.Column("connections", sa.Integer, nullable=False),
        *_span(),
    )
    op.create_table(
        "edges",
        sa.Column("client_id", sa.Integer, primary_key=True),
        sa.Column("server_id", sa.Integer, primary_key=True),
        sa.Column("proto", sa.String, primary_key=True),
        sa.Column("operation", sa.String, primary_key=True),
        *_span(),
        sa.Column("count", sa.Integer, nullable=False),
    )
    op.create_table(
        "changes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String, nullable=False, index=True),
        sa.Column("ts", sa.Float, nullable=False),
        sa.Column("asset_id", sa.Integer, index=True),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("capture", sa.String(64)),
        sa.Column("frame", sa.Integer),
        sa.Column("site", sa.String),
        sa.Column("detail", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for name in (
        "changes", "edges", "flows", "roles", "asset_protocols", "identity",
        "asset_addresses", "assets", "captures",
    ):  # fmt: skip
        op.drop_table(name)

"""Detection: alerts (aggregated, with evidence) and suppressions (with the hits swallowed).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alerts",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("rule", sa.String, nullable=False, index=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("severity", sa.String, nullable=False),
        sa.Column("severity_rank", sa.Integer, nullable=False, index=True),
        sa.Column("techniques", sa.Text, nullable=False),
        sa.Column("outcome", sa.String, nullable=False),
        sa.Column("protocol", sa.String, nullable=False),
        sa.Column("src_ip", sa.String, nullable=False),
        sa.Column("src_port", sa.Integer),
        sa.Column("src_asset", sa.Integer),
        sa.Column("dst_ip", sa.String, nullable=False),
        sa.Column("dst_port", sa.Integer),
        sa.Column("dst_asset", sa.Integer),
        sa.Column("first_seen", sa.Float, nullable=False, index=True),
        sa.Column("last_seen", sa.Float, nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("site", sa.String, nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("details", sa.Text, nullable=False),
        sa.Column("suppressed_by", sa.Integer),
        sa.Column("window", sa.Float, nullable=False),
    )
    op.create_table(
        "suppressions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("rule", sa.String, nullable=False),
        sa.Column("asset_id", sa.Integer),
        sa.Column("address", sa.String),
        sa.Column("until", sa.Float, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("created", sa.Float, nullable=False),
        sa.Column("removed", sa.Float),
        sa.Column("hits", sa.Integer, nullable=False),
        sa.Column("first_hit", sa.Float),
        sa.Column("last_hit", sa.Float),
    )


def downgrade() -> None:
    op.drop_table("suppressions")
    op.drop_table("alerts")

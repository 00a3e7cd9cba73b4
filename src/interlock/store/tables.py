"""The store's tables (SQLAlchemy Core). Changes here need an Alembic migration."""

from __future__ import annotations

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text

metadata = MetaData()

captures = Table(
    "captures",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("site", String, primary_key=True),
    Column("name", Text, nullable=False),
    Column("frames", Integer, nullable=False),
    Column("first_ts", Float),
    Column("last_ts", Float),
)

assets = Table(
    "assets",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("parent_id", Integer, index=True),
    Column("child_kind", String),
    Column("child_key", String),
    Column("first_seen", Float, nullable=False),
    Column("last_seen", Float, nullable=False),
    Column("seen_count", Integer, nullable=False),
    Column("purdue_level", Float),
)

asset_addresses = Table(
    "asset_addresses",
    metadata,
    Column("asset_id", Integer, primary_key=True),
    Column("address", String, primary_key=True, index=True),
    Column("first_seen", Float, nullable=False),
    Column("last_seen", Float, nullable=False),
    Column("count", Integer, nullable=False),
)

identity = Table(
    "identity",
    metadata,
    Column("asset_id", Integer, primary_key=True),
    Column("attribute", String, primary_key=True),
    Column("value", Text, primary_key=True),
    Column("source", String, primary_key=True),
    Column("confidence", Float, nullable=False),
    Column("capture", String(64), nullable=False),
    Column("frame", Integer, nullable=False),
    Column("ts", Float, nullable=False),
    Column("site", String, nullable=False),
    Column("first_seen", Float, nullable=False),
    Column("last_seen", Float, nullable=False),
    Column("count", Integer, nullable=False),
)

asset_protocols = Table(
    "asset_protocols",
    metadata,
    Column("asset_id", Integer, primary_key=True),
    Column("proto", String, primary_key=True),
    Column("side", String, primary_key=True),
    Column("port", Integer, primary_key=True),
    Column("first_seen", Float, nullable=False),
    Column("last_seen", Float, nullable=False),
    Column("count", Integer, nullable=False),
)

roles = Table(
    "roles",
    metadata,
    Column("asset_id", Integer, primary_key=True),
    Column("role", String, primary_key=True),
    Column("reason", Text, nullable=False),
)

flows = Table(
    "flows",
    metadata,
    Column("transport", String, primary_key=True),
    Column("client", String, primary_key=True),
    Column("server", String, primary_key=True),
    Column("server_port", Integer, primary_key=True),
    Column("proto", String, primary_key=True),
    Column("packets", Integer, nullable=False),
    Column("octets", Integer, nullable=False),
    Column("connections", Integer, nullable=False),
    Column("first_seen", Float, nullable=False),
    Column("last_seen", Float, nullable=False),
)

edges = Table(
    "edges",
    metadata,
    Column("client_id", Integer, primary_key=True),
    Column("server_id", Integer, primary_key=True),
    Column("proto", String, primary_key=True),
    Column("operation", String, primary_key=True),
    Column("first_seen", Float, nullable=False),
    Column("last_seen", Float, nullable=False),
    Column("count", Integer, nullable=False),
)

changes = Table(
    "changes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String, nullable=False, index=True),
    Column("ts", Float, nullable=False),
    Column("asset_id", Integer, index=True),
    Column("summary", Text, nullable=False),
    Column("capture", String(64)),
    Column("frame", Integer),
    Column("site", String),
    Column("detail", Text, nullable=False, default="{}"),
)

alerts = Table(
    "alerts",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("rule", String, nullable=False, index=True),
    Column("title", Text, nullable=False),
    Column("severity", String, nullable=False),
    Column("severity_rank", Integer, nullable=False, index=True),
    Column("techniques", Text, nullable=False),
    Column("outcome", String, nullable=False),
    Column("protocol", String, nullable=False),
    Column("src_ip", String, nullable=False),
    Column("src_port", Integer),
    Column("src_asset", Integer),
    Column("dst_ip", String, nullable=False),
    Column("dst_port", Integer),
    Column("dst_asset", Integer),
    Column("first_seen", Float, nullable=False, index=True),
    Column("last_seen", Float, nullable=False),
    Column("count", Integer, nullable=False),
    Column("site", String, nullable=False),
    Column("message", Text, nullable=False),
    Column("evidence", Text, nullable=False),
    Column("details", Text, nullable=False),
    Column("suppressed_by", Integer),
    Column("window", Float, nullable=False),
)

suppressions = Table(
    "suppressions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("rule", String, nullable=False),
    Column("asset_id", Integer),
    Column("address", String),
    Column("until", Float, nullable=False),
    Column("reason", Text, nullable=False),
    Column("created", Float, nullable=False),
    Column("removed", Float),
    Column("hits", Integer, nullable=False, default=0),
    Column("first_hit", Float),
    Column("last_hit", Float),
)

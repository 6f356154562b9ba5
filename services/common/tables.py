"""Tables every service has in its own database: the outbox and the inbox.

Each service's Alembic environment migrates these together with its own tables.
"""
from __future__ import annotations

import sqlalchemy as sa

from services.common.types import UtcDateTime

messaging_metadata = sa.MetaData()

# BIGINT identity on PostgreSQL; SQLite only auto-increments an INTEGER PRIMARY KEY.
SequenceId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

outbox_table = sa.Table(
    "outbox", messaging_metadata,
    sa.Column("seq", SequenceId, primary_key=True, autoincrement=True),
    sa.Column("event_id", sa.String(36), nullable=False, unique=True),
    sa.Column("event_type", sa.String(200), nullable=False),
    sa.Column("exchange", sa.String(200), nullable=False),
    sa.Column("routing_key", sa.String(200), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("correlation_id", sa.String(64)),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("sent_at", UtcDateTime()),
    sa.Column("claim_token", sa.String(36)),
    sa.Column("claimed_until", UtcDateTime()),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("last_error", sa.String(500)),
    sa.Index("ix_outbox_pending", "sent_at", "seq"),
)

inbox_table = sa.Table(
    "inbox", messaging_metadata,
    sa.Column("consumer", sa.String(200), primary_key=True),
    sa.Column("event_id", sa.String(36), primary_key=True),
    sa.Column("processed_at", UtcDateTime(), nullable=False),
)

"""Idempotent consumption: (consumer, event id) recorded in the consumer's own transaction."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from services.common.tables import inbox_table


def consumer_name(service: str, handler: str) -> str:
    """A consumer is one handler of one service, `<service>.<handler>`: the key of its inbox rows and
    the name of its queue."""
    return f"{service}.{handler}"


def first_delivery(session: Session, consumer: str, event_id: uuid.UUID) -> bool:
    """Record the event for this consumer; False if it was already recorded.

    One statement, `INSERT ... ON CONFLICT DO NOTHING`: a concurrent delivery of the same event
    waits for the first one's transaction (the primary key) and then inserts nothing.
    """
    insert = _dialect_insert(session)(inbox_table).values(
        consumer=consumer, event_id=str(event_id), processed_at=datetime.now(UTC)).on_conflict_do_nothing()
    # through the session's connection: a DML statement's result there is a CursorResult, with rowcount
    return session.connection().execute(insert).rowcount == 1


def _dialect_insert(session: Session):
    """The INSERT of the session's database, which knows ON CONFLICT (PostgreSQL and SQLite both do)."""
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert

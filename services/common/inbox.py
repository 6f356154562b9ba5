"""Idempotent consumption: (consumer, event id) recorded in the consumer's own transaction."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.tables import inbox_table


def consumer_name(service: str, handler: str) -> str:
    """A consumer is one handler of one service, `<service>.<handler>`: the key of its inbox rows and
    the name of its queue."""
    return f"{service}.{handler}"


def first_delivery(session: Session, consumer: str, event_id: uuid.UUID) -> bool:
    """Record the event for this consumer; False if it was already recorded.

    Two concurrent deliveries of one event both pass the SELECT; the primary key makes
    the second commit fail, and that delivery is retried and then finds the row.
    """
    found = session.execute(
        sa.select(inbox_table.c.event_id).where(
            inbox_table.c.consumer == consumer, inbox_table.c.event_id == str(event_id))
    ).first()
    if found:
        return False
    session.execute(inbox_table.insert().values(
        consumer=consumer, event_id=str(event_id), processed_at=datetime.now(UTC)))
    return True

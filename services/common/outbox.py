"""Transactional outbox: the event row is written in the same transaction as the state change.

`add_event` is called by domain code inside its transaction; the relay
(`outbox_relay.py`) later claims pending rows, publishes them and marks them sent.

Claiming: a relay leases a batch of pending rows (`leases.claim`), so replicas never take
the same rows; a relay that dies leaves its lease to expire, and another relay then takes them.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.orm import Session

from services.common import leases
from services.common.context import current_correlation_id
from services.common.events import registry
from services.common.events.envelope import CloudEvent, build_event
from services.common.tables import outbox_table as outbox


def add_event(session: Session, *, service: str, data: BaseModel, subject: str | None,
              commune_code: str | None, at: datetime | None = None) -> CloudEvent:
    event_type = registry.for_model(type(data))
    if event_type.producer != service:
        raise ValueError(f"{service} may not publish {event_type.name} (produced by {event_type.producer})")
    event = build_event(service=service, event_type=event_type.name, data=data, subject=subject,
                        commune_code=commune_code, correlation_id=current_correlation_id(), at=at)
    session.execute(outbox.insert().values(
        event_id=str(event.id), event_type=event.type, exchange=event_type.exchange,
        routing_key=event_type.routing_key, body=event.to_json_bytes().decode("utf-8"),
        correlation_id=event.correlationid, created_at=datetime.now(UTC)))
    session.info["outbox_written"] = True
    return event


@dataclass(frozen=True)
class PendingEvent:
    seq: int
    event_id: str
    event_type: str
    exchange: str
    routing_key: str
    body: str
    correlation_id: str | None
    created_at: datetime


def claim_batch(session: Session, *, limit: int, lease_seconds: float, now: datetime,
                token: str | None = None) -> tuple[str, list[PendingEvent]]:
    """Lease a batch of pending events, oldest first, in one statement (the UPDATE returns the rows)."""
    token = token or str(uuid.uuid4())
    rows = leases.claim(session, outbox, key=outbox.c.seq, token_column=outbox.c.claim_token,
                        until_column=outbox.c.claimed_until, claimable=outbox.c.sent_at.is_(None),
                        order_by=outbox.c.seq, limit=limit, lease_seconds=lease_seconds, now=now, token=token,
                        also_set={outbox.c.attempts: outbox.c.attempts + 1},
                        returning=(outbox.c.seq, outbox.c.event_id, outbox.c.event_type, outbox.c.exchange,
                                   outbox.c.routing_key, outbox.c.body, outbox.c.correlation_id,
                                   outbox.c.created_at))
    return token, sorted((PendingEvent(*row) for row in rows), key=lambda event: event.seq)


def mark_sent(session: Session, token: str, seqs: list[int], now: datetime) -> None:
    """Mark the rows of a batch sent, if the claim is still `token`'s. The batch's rows are found by the
    range of their sequence numbers (the primary key) and the token, not by a list of every number: the
    statement stays the same size and is compiled once, whatever the batch."""
    if not seqs:
        return
    session.execute(
        outbox.update()
        .where(outbox.c.seq.between(min(seqs), max(seqs)), outbox.c.claim_token == token)
        .values(sent_at=now, claim_token=None, claimed_until=None, last_error=None))


def release(session: Session, token: str, error: str) -> None:
    """Give claimed rows back at once after a failed publish, recording why."""
    session.execute(
        outbox.update()
        .where(outbox.c.claim_token == token, outbox.c.sent_at.is_(None))
        .values(claim_token=None, claimed_until=None, last_error=error[:500]))


def backlog(session: Session, now: datetime) -> tuple[int, float]:
    """(pending events, age in seconds of the oldest one)."""
    count, oldest = session.execute(
        sa.select(sa.func.count(), sa.func.min(outbox.c.created_at)).where(outbox.c.sent_at.is_(None))).one()
    if not oldest:
        return int(count), 0.0
    return int(count), max(0.0, (now - oldest).total_seconds())


def purge_sent(session: Session, older_than: datetime) -> int:
    # through the session's connection: a DML statement's result there is a CursorResult, with rowcount
    result = session.connection().execute(
        outbox.delete().where(outbox.c.sent_at.is_not(None), outbox.c.sent_at < older_than))
    return result.rowcount or 0

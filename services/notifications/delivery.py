"""Delivering pending notifications once each, however many workers and replicas deliver.

A worker delivers only notifications it holds a lease on: the worker that records an event's
notifications holds them from the start and delivers them right after its commit; the periodic
sweep leases what is left (`leases.claim`), batch after batch. Only the lease holder marks a
notification delivered, and the `notification.delivered` event is written in that same
transaction, so it goes out once per notification. A worker that dies before delivering leaves
its lease to expire; a later sweep then takes the notification.

The channel write cannot join that transaction: a worker killed between the write and the mark
leaves a notification written but pending. The sweep that takes over an expired lease asks a channel
that can tell (`already_delivered`, as the file channel can) which of those it already has, and
only marks them; a channel that cannot tell, or one slower than the lease, can still receive a
notification twice (never zero times).
"""
from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common import leases, metrics, outbox
from services.common.events.contracts import NotificationDelivered
from services.notifications.models import Notification
from services.notifications.operations import SERVICE
from services.notifications.views import notification_view

log = logging.getLogger(__name__)

SWEEP_BATCH = 100
PENDING, DELIVERED = "pending", "delivered"


def wall_clock() -> datetime:
    """Leases are about workers being alive, so they run on real time, not the service's domain clock."""
    return datetime.now(UTC)


def claim_pending(session: Session, *, token: str, limit: int, lease_seconds: float,
                  now: datetime, due_by: datetime | None = None) -> list[Notification]:
    """Lease up to `limit` pending notifications that no live lease holds and that may go out by `due_by`
    (the domain clock; default `now`: quiet hours and digests hold some back), oldest first."""
    may_go = sa.or_(Notification.send_after.is_(None), Notification.send_after <= (due_by or now))
    leases.claim(session, Notification, key=Notification.id, token_column=Notification.claimed_by,
                 until_column=Notification.claimed_until, claimable=sa.and_(Notification.status == PENDING, may_go),
                 order_by=Notification.created_at, limit=limit, lease_seconds=lease_seconds, now=now, token=token)
    return list(session.scalars(sa.select(Notification).where(
        Notification.claimed_by == token, Notification.status == PENDING).order_by(Notification.created_at)))


def expired_leases(session: Session, now: datetime) -> set[str]:
    """Pending notifications under a lease that expired: the worker that held it died (or was slower than
    its lease), perhaps after writing them to the channel."""
    return set(session.scalars(sa.select(Notification.id).where(
        Notification.status == PENDING, Notification.claimed_by.is_not(None), Notification.claimed_until < now)))


def deliver(db, channel, notifications: Iterable[Notification], token: str,
            delivered_at: Callable[[], datetime], taken_over: set[str] | frozenset[str] = frozenset(),
            ) -> tuple[int, int]:
    """Deliver notifications leased to `token` (`db` opens transactions); (delivered, failed). Of those
    `taken_over` from a dead worker, what the channel says it already has is only marked delivered."""
    delivered = failed = 0
    already_delivered = getattr(channel, "already_delivered", None)
    written = already_delivered(taken_over) if taken_over and already_delivered else set()
    for notification in notifications:
        try:
            if notification.id not in written:
                # outside any transaction: a channel may be slow
                channel.deliver(notification_view(notification).model_dump(mode="json"))
        except Exception:
            log.exception("delivery failed; a later sweep will try again", extra={"notification_id": notification.id})
            metrics.NOTIFICATION_DELIVERIES.labels(channel.name, "failed").inc()
            with db.transaction() as session:
                _release(session, notification.id, token)
            failed += 1
            continue
        metrics.NOTIFICATION_DELIVERIES.labels(channel.name, "sent").inc()
        with db.transaction() as session:
            delivered += _mark_delivered(session, notification, token, delivered_at())
    return delivered, failed


def sweep(db, channel, *, lease_seconds: float, now: Callable[[], datetime] = wall_clock,
          delivered_at: Callable[[], datetime] | None = None, batch: int = SWEEP_BATCH) -> int:
    """Deliver what is pending and not leased, batch after batch, until none is left or the channel fails.

    Returns how many this call delivered.
    """
    total = 0
    while True:
        token = str(uuid.uuid4())
        at = now()
        with db.transaction() as session:
            expired = expired_leases(session, at)
            claimed = claim_pending(session, token=token, limit=batch, lease_seconds=lease_seconds, now=at,
                                    due_by=delivered_at() if delivered_at else None)
        delivered, failed = deliver(db, channel, claimed, token, delivered_at or now,
                                    taken_over=expired & {n.id for n in claimed})
        total += delivered
        if failed or len(claimed) < batch:
            return total


def _mark_delivered(session: Session, notification: Notification, token: str, at: datetime) -> bool:
    """Only while the lease is ours: if it expired and another worker took the notification, that one marks it."""
    # an UPDATE's result is a CursorResult (it has rowcount); Session.execute is typed for any statement
    marked = cast(sa.CursorResult[Any], session.execute(
        sa.update(Notification)
        .where(Notification.id == notification.id, Notification.status == PENDING,
               Notification.claimed_by == token)
        .values(status=DELIVERED, delivered_at=at, claimed_by=None, claimed_until=None)))
    if marked.rowcount != 1:
        log.warning("lease lost before delivery was recorded", extra={"notification_id": notification.id})
        return False
    n = notification
    outbox.add_event(session, service=SERVICE, subject=n.id, commune_code=n.commune_code, data=NotificationDelivered(
        notification_id=uuid.UUID(n.id), commune_code=n.commune_code, template=n.template, channel=n.channel,
        recipient_role=n.recipient_role, recipient_unit=n.recipient_unit,
        trigger_event_id=uuid.UUID(n.trigger_event_id), delivered_at=at))
    return True


def _release(session: Session, notification_id: str, token: str) -> None:
    """Give a notification the channel refused back at once, for the next sweep."""
    session.execute(sa.update(Notification)
                    .where(Notification.id == notification_id, Notification.claimed_by == token)
                    .values(claimed_by=None, claimed_until=None))

"""Sending the reminders that are due, once each, however many replicas run and whenever they restart.

A replica leases due reminders (`leases.claim`: FOR UPDATE SKIP LOCKED on PostgreSQL) and settles each in
one transaction: the reminder's status, and its notification when it is sent. Only the lease holder may
settle a reminder, so two replicas never send one twice; a replica that dies between the claim and that
transaction leaves only its lease, which expires, and a later run sends the reminder (no loss).

Not everything due is sent. A unit that has reported gets no more deadline reminders (cancelled). After an
outage several reminders of a series may be due at once: only the latest is sent, the others are
superseded; and one due longer ago than the grace window is stale (expired): the season has moved on.
"""
from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common import leases, metrics
from services.common.roles import Role
from services.notifications.models import Reminder, Reported
from services.notifications.schedule import DUE, SENT

BATCH = 200
REMINDERS_LATE_SECONDS = 300  # a reminder not settled this long after it fell due is late (a metric, an alert)
CANCELLED, SUPERSEDED, EXPIRED = "cancelled", "superseded", "expired"
TRIGGER = "reminder"  # the trigger_event_type of a notification made from a reminder
# reminders that stop once their recipient has reported
DEADLINE_SERIES = ("unit_deadline:", "commune_deadline")


def claim_due(session: Session, *, token: str, now: dt.datetime, wall: dt.datetime, lease_seconds: float,
              limit: int = BATCH) -> list[Reminder]:
    """Lease up to `limit` reminders due by `now` (the domain clock) that no live lease holds (the wall clock)."""
    leases.claim(session, Reminder, key=Reminder.id, token_column=Reminder.claimed_by,
                 until_column=Reminder.claimed_until,
                 claimable=sa.and_(Reminder.status == DUE, Reminder.due_at <= now),
                 order_by=Reminder.due_at, limit=limit, lease_seconds=lease_seconds, now=wall, token=token)
    return list(session.scalars(sa.select(Reminder).where(Reminder.claimed_by == token, Reminder.status == DUE)
                                .order_by(Reminder.due_at)))


# records a sent reminder's notification and deliveries, in the transaction that settles the reminder
Notify = Callable[[Session, Reminder, dt.datetime], None]


def settle(session: Session, reminder: Reminder, token: str, now: dt.datetime, grace: dt.timedelta,
           notify: Notify) -> str:
    """Send, cancel, supersede or expire one leased reminder; returns what became of it ("" if the lease was lost)."""
    status = _fate(session, reminder, now, grace)
    # the lease is checked by the same UPDATE that settles the reminder: a lost lease settles nothing
    settled = cast(sa.CursorResult[Any], session.execute(
        sa.update(Reminder).where(Reminder.id == reminder.id, Reminder.status == DUE, Reminder.claimed_by == token)
        .values(status=status, done_at=now, claimed_by=None, claimed_until=None)))
    if settled.rowcount != 1:
        return ""
    if status == SENT:
        notify(session, reminder, now)
    return status


def _fate(session: Session, reminder: Reminder, now: dt.datetime, grace: dt.timedelta) -> str:
    reported = session.get(Reported, (reminder.plan_id, reminder.recipient_unit))
    if reminder.series.startswith(DEADLINE_SERIES) and reported is not None:
        return CANCELLED
    later = session.scalar(sa.select(sa.func.count()).select_from(Reminder).where(
        Reminder.plan_id == reminder.plan_id, Reminder.series == reminder.series,
        Reminder.recipient_role == reminder.recipient_role, Reminder.recipient_unit == reminder.recipient_unit,
        Reminder.due_at > reminder.due_at, Reminder.due_at <= now, Reminder.status.in_((DUE, SENT))))
    if later:
        return SUPERSEDED
    if reminder.due_at < now - grace:
        return EXPIRED
    return SENT


def send_due(db, *, now: Callable[[], dt.datetime], wall: Callable[[], dt.datetime], lease_seconds: float,
             grace: dt.timedelta, notify: Notify, batch: int = BATCH) -> Counter[str]:
    """Settle every reminder due by now, batch after batch (`db` opens transactions); how many became what."""
    settled: Counter[str] = Counter()
    while True:
        token = str(uuid.uuid4())
        with db.transaction() as session:
            claimed = claim_due(session, token=token, now=now(), wall=wall(), lease_seconds=lease_seconds,
                                limit=batch)
        for reminder in claimed:
            with db.transaction() as session:
                status = settle(session, reminder, token, now(), grace, notify)
            if status:
                settled[status] += 1
                metrics.REMINDERS_SETTLED.labels(status).inc()
        if len(claimed) < batch:
            with db.transaction() as session:
                metrics.REMINDERS_OVERDUE.set(overdue(session, now()))
            return settled


def overdue(session: Session, now: dt.datetime) -> int:
    """Reminders due longer ago than a run of the scheduler takes, and not settled."""
    return session.scalar(sa.select(sa.func.count()).select_from(Reminder).where(
        Reminder.status == DUE, Reminder.due_at < now - dt.timedelta(seconds=REMINDERS_LATE_SECONDS))) or 0


def mark_reported(session: Session, plan_id: str, reporter: str, at: dt.datetime) -> None:
    """`reporter`: a unit code, or COMMUNE for the commune's own report."""
    if session.get(Reported, (plan_id, reporter)) is None:
        session.add(Reported(plan_id=plan_id, reporter=reporter, reported_at=at))


def mark_returned(session: Session, plan_id: str, reporter: str) -> None:
    """A returned report is to be sent again: its deadline reminders apply once more."""
    session.execute(sa.delete(Reported).where(Reported.plan_id == plan_id, Reported.reporter == reporter))



def cancel_plan(session: Session, plan_id: str, at: dt.datetime) -> None:
    """A closed plan reminds nobody any more."""
    session.execute(sa.update(Reminder).where(Reminder.plan_id == plan_id, Reminder.status == DUE)
                    .values(status=CANCELLED, done_at=at, claimed_by=None, claimed_until=None))


def cancel_unit(session: Session, commune_code: str, unit_code: str, after: dt.datetime, at: dt.datetime) -> None:
    """A dissolved unit is reminded of nothing due after its last active day."""
    session.execute(sa.update(Reminder).where(
        Reminder.commune_code == commune_code, Reminder.recipient_role == Role.UNIT_REPORTER.value,
        Reminder.recipient_unit == unit_code, Reminder.status == DUE, Reminder.due_at >= after)
        .values(status=CANCELLED, done_at=at, claimed_by=None, claimed_until=None))

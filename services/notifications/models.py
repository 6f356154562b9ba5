"""Tables of the notifications service."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from services.common.types import UtcDateTime


class Base(DeclarativeBase):
    metadata = sa.MetaData()


class Notification(Base):
    """One message to one recipient (a role, and for unit reporters a unit): what the inbox shows.

    How it travels is in its `deliveries`, one per channel.
    """
    __tablename__ = "notifications"
    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    commune_code: Mapped[str] = mapped_column(sa.String(16), index=True)
    template: Mapped[str] = mapped_column(sa.String(64))
    recipient_role: Mapped[str] = mapped_column(sa.String(32))
    recipient_unit: Mapped[str | None] = mapped_column(sa.String(64))
    title: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text)
    # the event it was made from; for a reminder from the plan's dates: the reminder's id, and "reminder"
    trigger_event_id: Mapped[str] = mapped_column(sa.String(36))
    trigger_event_type: Mapped[str] = mapped_column(sa.String(100))
    # case alerts: no quiet hours, no digest, and a channel that gives up falls back to another
    urgent: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false())
    status: Mapped[str] = mapped_column(sa.String(16))  # pending, delivered (on one channel at least), failed
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())

    __table_args__ = (sa.Index("ix_notifications_recipient", "commune_code", "recipient_role", "recipient_unit"),)


class Delivery(Base):
    """One message on one channel: its status, attempts and the provider's last answer.

    `idempotency_key` (source, recipient, channel) is unique: enqueuing the same thing twice adds nothing.
    `address` is the contact the channel sends to (an email, a phone number, a webhook URL); it is shown
    only masked and never leaves the service. `content` is what the channel sends, rendered at enqueue time.
    """
    __tablename__ = "deliveries"
    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(sa.String(300), unique=True)
    notification_id: Mapped[str | None] = mapped_column(sa.ForeignKey("notifications.id"), index=True)
    # the relationship orders a flush: notifications are inserted before their deliveries
    notification: Mapped[Notification | None] = relationship()
    subscription_id: Mapped[str | None] = mapped_column(sa.ForeignKey("webhook_subscriptions.id"), index=True)
    commune_code: Mapped[str | None] = mapped_column(sa.String(16))
    channel: Mapped[str] = mapped_column(sa.String(16))
    address: Mapped[str | None] = mapped_column(sa.String(500))
    content: Mapped[str] = mapped_column(sa.Text)
    urgent: Mapped[bool] = mapped_column(sa.Boolean)
    # an email of a daily digest: sent together with the recipient's other digest emails due with it
    digest: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false())
    # standby (an urgent notice's fallback, sent only if another channel gives up), queued, retrying, sent,
    # failed (the provider refused for good), given_up (attempts exhausted)
    status: Mapped[str] = mapped_column(sa.String(16))
    attempts: Mapped[int] = mapped_column(sa.Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    provider_answer: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    # the worker sending a delivery holds it until then (see dispatch.py)
    claimed_by: Mapped[str | None] = mapped_column(sa.String(36))
    claimed_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())

    __table_args__ = (sa.Index("ix_deliveries_due", "status", "next_attempt_at"),)


class WebhookSubscription(Base):
    """A provincial system's endpoint for one event type, signed with its own secret (Standard Webhooks)."""
    __tablename__ = "webhook_subscriptions"
    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    event_type: Mapped[str] = mapped_column(sa.String(100), index=True)
    url: Mapped[str] = mapped_column(sa.String(500))
    secret: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.String(200))
    active: Mapped[bool] = mapped_column(sa.Boolean)
    consecutive_failures: Mapped[int] = mapped_column(sa.Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    disabled_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())


class Reminder(Base):
    """A notice due at a time from the plan's dates (see schedule.py): to one recipient (a role of the commune,
    and for unit reporters a unit). Sent once by whichever replica claims it when due (see reminders.py)."""
    __tablename__ = "reminders"
    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    commune_code: Mapped[str] = mapped_column(sa.String(16))
    plan_id: Mapped[str] = mapped_column(sa.String(36))
    kind: Mapped[str] = mapped_column(sa.String(64))  # e.g. unit_deadline_in_7_days (notices.for_reminder)
    # reminders of one series replace each other: after an outage only the latest due one is sent
    series: Mapped[str] = mapped_column(sa.String(100))  # "unit_deadline:" and a unit code
    recipient_role: Mapped[str] = mapped_column(sa.String(32))
    recipient_unit: Mapped[str] = mapped_column(sa.String(64))  # "" for a commune role
    due_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    context: Mapped[dict] = mapped_column(sa.JSON)  # what the text needs: year, deadline, unit name, day's name
    status: Mapped[str] = mapped_column(sa.String(16))  # due, sent, cancelled, superseded, expired
    done_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    claimed_by: Mapped[str | None] = mapped_column(sa.String(36))
    claimed_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())

    __table_args__ = (sa.UniqueConstraint("plan_id", "kind", "recipient_role", "recipient_unit"),
                      sa.Index("ix_reminders_due", "status", "due_at"))


class Reported(Base):
    """Who has reported for a plan (from unit_report.submitted/revised, commune_report.submitted): they get no
    more deadline reminders. A returned report takes the row away again."""
    __tablename__ = "reported"
    plan_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    reporter: Mapped[str] = mapped_column(sa.String(64), primary_key=True)  # a unit code, or "" for the commune
    reported_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class Preference(Base):
    """How a recipient (a role of a commune, and for unit reporters a unit) wants to be told."""
    __tablename__ = "notification_preferences"
    commune_code: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    recipient_role: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    recipient_unit: Mapped[str] = mapped_column(sa.String(64), primary_key=True)  # "" for a commune role
    channels: Mapped[list] = mapped_column(sa.JSON)  # in order of preference: email, sms, zalo
    quiet_from: Mapped[dt.time | None] = mapped_column(sa.Time())  # Vietnam time
    quiet_to: Mapped[dt.time | None] = mapped_column(sa.Time())
    daily_digest: Mapped[bool] = mapped_column(sa.Boolean())
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    updated_by: Mapped[str] = mapped_column(sa.String(200))


class InboxRead(Base):
    """A notification someone (a token's subject) has read in the in-app inbox."""
    __tablename__ = "inbox_reads"
    notification_id: Mapped[str] = mapped_column(sa.String(36), sa.ForeignKey("notifications.id", ondelete="CASCADE"),
                                                 primary_key=True)
    subject: Mapped[str] = mapped_column(sa.String(200), primary_key=True)
    read_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())

"""Tables of the notifications service."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.common.types import UtcDateTime


class Base(DeclarativeBase):
    metadata = sa.MetaData()


class Notification(Base):
    __tablename__ = "notifications"
    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    commune_code: Mapped[str] = mapped_column(sa.String(16), index=True)
    template: Mapped[str] = mapped_column(sa.String(64))
    recipient_role: Mapped[str] = mapped_column(sa.String(32))
    recipient_unit: Mapped[str | None] = mapped_column(sa.String(64))
    channel: Mapped[str] = mapped_column(sa.String(16))
    title: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text)
    trigger_event_id: Mapped[str] = mapped_column(sa.String(36))
    trigger_event_type: Mapped[str] = mapped_column(sa.String(100))
    status: Mapped[str] = mapped_column(sa.String(16))  # pending, delivered
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    # the worker delivering a pending notification holds it until then (see delivery.py)
    claimed_by: Mapped[str | None] = mapped_column(sa.String(36))
    claimed_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())

    __table_args__ = (sa.Index("ix_notifications_pending", "status", "created_at"),)

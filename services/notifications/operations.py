"""Use cases of the notifications service: recording notifications from events, listing them.

Recording and delivering are separate steps: an event's notifications are recorded
(pending, leased to the recording worker) in the same transaction as the inbox row;
delivery (`delivery.py`) then happens after the commit.
"""
from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.auth import Principal
from services.common.errors import Forbidden
from services.common.events.received import ReceivedEvent
from services.common.leases import Lease
from services.common.roles import Role
from services.notifications import templates
from services.notifications.models import Notification

SERVICE = "notifications"


def record(session: Session, event: ReceivedEvent[templates.NotifyingEvent], messages: list[templates.Message],
           channel: str, now: dt.datetime, lease: Lease) -> list[Notification]:
    """The event's notifications, pending and leased to the worker that will deliver them after the commit."""
    notifications = [Notification(
        id=str(uuid.uuid4()), commune_code=event.data.commune_code, template=message.template,
        recipient_role=message.recipient_role.value, recipient_unit=message.recipient_unit, channel=channel,
        title=message.title, body=message.body, trigger_event_id=str(event.id), trigger_event_type=event.type,
        status="pending", created_at=now, claimed_by=lease.token, claimed_until=lease.until) for message in messages]
    session.add_all(notifications)
    return notifications


def list_notifications(session: Session, principal: Principal, commune_code: str | None) -> list[Notification]:
    statement = sa.select(Notification).order_by(Notification.created_at.desc()).limit(500)
    if principal.role is Role.OPERATOR:
        if commune_code:
            statement = statement.where(Notification.commune_code == commune_code)
        return list(session.scalars(statement))
    if commune_code and commune_code != principal.commune_code:
        raise Forbidden("Bạn không có quyền xem dữ liệu của xã/phường này.", code="wrong_commune")
    statement = statement.where(Notification.commune_code == principal.commune_code)
    if principal.role in (Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER):
        return list(session.scalars(statement))
    statement = statement.where(Notification.recipient_role == principal.role.value)
    if principal.role is Role.UNIT_REPORTER:
        statement = statement.where(Notification.recipient_unit == principal.unit_code)
    return list(session.scalars(statement))

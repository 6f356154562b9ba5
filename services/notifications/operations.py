"""Use cases of the notifications service.

Recording and delivering are separate steps: an event's notifications are recorded
(pending) in the same transaction as the inbox row; delivery then happens after the
commit and marks each one delivered with a `notification.delivered` event. A crash in
between leaves pending notifications, which the periodic sweep delivers.
"""
from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common import outbox
from services.common.auth import Principal, Role
from services.common.errors import Forbidden
from services.common.events.contracts import NotificationDelivered
from services.common.subscriber import ReceivedEvent
from services.notifications import templates
from services.notifications.models import Notification

SERVICE = "notifications"


def record(session: Session, event: ReceivedEvent, messages: list[templates.Message], channel: str,
           now: dt.datetime) -> None:
    for message in messages:
        session.add(Notification(
            id=str(uuid.uuid4()), commune_code=event.data.commune_code, template=message.template,
            recipient_role=message.recipient_role, recipient_unit=message.recipient_unit, channel=channel,
            title=message.title, body=message.body, trigger_event_id=str(event.id),
            trigger_event_type=event.type, status="pending", created_at=now))


def notification_view(n: Notification) -> dict:
    return {"id": n.id, "commune_code": n.commune_code, "template": n.template,
            "recipient_role": n.recipient_role, "recipient_unit": n.recipient_unit, "channel": n.channel,
            "title": n.title, "body": n.body, "status": n.status, "trigger_event_type": n.trigger_event_type,
            "created_at": n.created_at.isoformat(),
            "delivered_at": n.delivered_at.isoformat() if n.delivered_at else None}


def pending_ids(session: Session, limit: int = 100) -> list[str]:
    return list(session.scalars(sa.select(Notification.id).where(Notification.status == "pending")
                                .order_by(Notification.created_at).limit(limit)))


def deliver_one(db, channel, notification_id: str, now_fn) -> bool:
    """Deliver one pending notification; True if it was delivered by this call."""
    with db.transaction() as session:
        n = session.get(Notification, notification_id)
        if n is None or n.status != "pending":
            return False
        payload = notification_view(n)
    channel.deliver(payload)  # outside the transaction: a channel may be slow
    with db.transaction() as session:
        n = session.get(Notification, notification_id)
        if n.status != "pending":
            return False
        n.status, n.delivered_at = "delivered", now_fn()
        outbox.add_event(session, service=SERVICE, subject=n.id, commune_code=n.commune_code,
                         data=NotificationDelivered(
                             notification_id=uuid.UUID(n.id), commune_code=n.commune_code, template=n.template,
                             channel=n.channel, recipient_role=n.recipient_role, recipient_unit=n.recipient_unit,
                             trigger_event_id=uuid.UUID(n.trigger_event_id), delivered_at=n.delivered_at))
    return True


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

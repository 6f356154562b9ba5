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
from services.common.errors import NotFound
from services.common.events.received import ReceivedEvent
from services.common.leases import Lease
from services.common.roles import Role
from services.notifications import templates
from services.notifications.models import Notification
from services.notifications.preferences import CommunePreferences

SERVICE = "notifications"


def record(session: Session, event: ReceivedEvent[templates.NotifyingEvent], messages: list[templates.Message],
           channel: str, now: dt.datetime, lease: Lease) -> list[Notification]:
    """The event's notifications, pending; those that may go out at once are leased to the worker that will
    deliver them after the commit (returned), the others wait for their recipient's quiet hours or digest."""
    at_once = []
    preferences = CommunePreferences(session, event.data.commune_code)
    for message in messages:
        send_after, digest = preferences.timing(message.recipient_role, message.recipient_unit,
                                                urgent=message.urgent, now=now)
        notification = Notification(
            id=str(uuid.uuid4()), commune_code=event.data.commune_code, template=message.template,
            recipient_role=message.recipient_role.value, recipient_unit=message.recipient_unit, channel=channel,
            title=message.title, body=message.body, trigger_event_id=str(event.id), trigger_event_type=event.type,
            status="pending", created_at=now, urgent=message.urgent, send_after=send_after, digest=digest)
        if send_after is None:
            notification.claimed_by, notification.claimed_until = lease.token, lease.until
            at_once.append(notification)
        session.add(notification)
    return at_once


# the roles that may read a commune's cases (the cases service's), and so the notifications about them
CASE_READERS = {Role.CASE_WORKER, Role.COMMUNE_LEADER}


def about_a_case() -> sa.ColumnElement[bool]:
    return Notification.template.startswith("case_")


def list_notifications(session: Session, principal: Principal, commune_code: str | None) -> list[Notification]:
    """What was sent in the caller's commune: officers and leaders see all of it, others what their role (and a unit
    reporter's unit) was sent; notifications about a case only to the roles that may read cases. An operator sees
    every commune's, but none about a case. Another commune's are as missing (404)."""
    statement = sa.select(Notification).order_by(Notification.created_at.desc(), Notification.id).limit(500)
    if principal.role not in CASE_READERS:
        statement = statement.where(~about_a_case())
    if principal.role is Role.OPERATOR:
        if commune_code:
            statement = statement.where(Notification.commune_code == commune_code)
        return list(session.scalars(statement))
    if commune_code and commune_code != principal.commune_code:
        raise NotFound("Không tìm thấy thông báo của xã/phường này.", code="commune_not_found")
    statement = statement.where(Notification.commune_code == principal.commune_code)
    if principal.role in (Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER):
        return list(session.scalars(statement))
    statement = statement.where(Notification.recipient_role == principal.role.value)
    if principal.role is Role.UNIT_REPORTER:
        statement = statement.where(Notification.recipient_unit == principal.unit_code)
    return list(session.scalars(statement))

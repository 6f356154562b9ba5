"""The in-app inbox: the notifications addressed to the caller (its role in its commune; a unit reporter's unit;
a province officer's: those to Sở Nội vụ about its province's communes), and which of them the caller has read.

Read marks are per person (the token's subject): two officers of a commune share the officer's notifications
but not what each has read. A notification not addressed to the caller is answered as missing (404), so the
inbox tells nobody what another commune, role or unit was sent.
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.common import admin_units
from services.common.auth import Principal
from services.common.errors import NotFound
from services.common.roles import Role
from services.notifications.models import InboxRead, Notification

LIMIT = 200


def addressed_to(principal: Principal) -> sa.ColumnElement[bool]:
    """Which notifications are the caller's."""
    role = Notification.recipient_role == principal.role.value
    if principal.role is Role.PROVINCE_OFFICER:
        communes = [c.code for c in admin_units.communes_of(principal.province_code or "")]
        return sa.and_(role, Notification.commune_code.in_(communes))
    mine = sa.and_(role, Notification.commune_code == principal.commune_code)
    if principal.role is Role.UNIT_REPORTER:
        return sa.and_(mine, Notification.recipient_unit == principal.unit_code)
    return mine


def _read_by(principal: Principal):
    return sa.exists().where(InboxRead.notification_id == Notification.id, InboxRead.subject == principal.subject)


def items(session: Session, principal: Principal, unread_only: bool) -> list[tuple[Notification, bool]]:
    """The caller's notifications, newest first, each with whether the caller has read it."""
    read = _read_by(principal)
    statement = (sa.select(Notification, read).where(addressed_to(principal))
                 .order_by(Notification.created_at.desc(), Notification.id).limit(LIMIT))
    if unread_only:
        statement = statement.where(~read)
    return [(notification, bool(was_read)) for notification, was_read in session.execute(statement)]


def unread(session: Session, principal: Principal) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(Notification)
                          .where(addressed_to(principal), ~_read_by(principal))) or 0


def mark_read(session: Session, principal: Principal, notification_id: str, now: dt.datetime) -> None:
    found = session.scalar(sa.select(Notification.id).where(Notification.id == notification_id,
                                                           addressed_to(principal)))
    if found is None:
        raise NotFound("Không tìm thấy thông báo.", code="notification_not_found")
    if session.get(InboxRead, (notification_id, principal.subject)) is not None:
        return
    try:
        with session.begin_nested():  # the same person marking it read twice at once: the first mark stands
            session.add(InboxRead(notification_id=notification_id, subject=principal.subject, read_at=now))
    except IntegrityError:
        pass

"""Use cases of the notifications service: recording notifications for their recipients (sending: `dispatch.py`),
listing them."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.auth import Principal
from services.common.errors import NotFound
from services.common.leases import Lease
from services.common.roles import Role
from services.notifications import notices, reminders
from services.notifications.dispatch import Contacts, Dispatcher, Notice, Recipient
from services.notifications.models import Delivery, Notification, Reminder
from services.notifications.preferences import CommunePreferences

# who a notice is to, and how to reach them (recipients.contacts_for, asked before the transaction)
ContactBook = Mapping[tuple[Role, str | None], Contacts]


def record(session: Session, dispatcher: Dispatcher, commune_code: str, addressed: Iterable[notices.Addressed], *,
           source_key: str, source_type: str, contacts: ContactBook, now: dt.datetime,
           lease: Lease | None) -> list[Delivery]:
    """The notifications (inbox rows) and their deliveries, one per channel the recipient is told on: its
    preferred channels, after its quiet hours or at the digest's hour unless urgent, and the development
    channels (file, console) when enabled. Deliveries that may go out at once are leased to `lease`."""
    preferences = CommunePreferences(session, commune_code)
    stand_ins = tuple(name for name, channel in dispatcher.channels.items()
                      if channel.contact is None and name != "webhook")
    added: list[Delivery] = []
    for item in addressed:
        role, unit = item.recipient_role, item.recipient_unit
        urgent = item.kind in notices.URGENT_KINDS
        send_after, digest = preferences.timing(role, unit, urgent=urgent, now=now)
        notice = Notice(kind=item.kind, commune_code=commune_code, source_key=source_key, source_type=source_type,
                        urgent=urgent, context=item.context, not_before=send_after, digest=digest)
        recipient = Recipient(key=f"role:{role.value}:{unit or ''}", role=role, unit_code=unit,
                              contacts=contacts.get((role, unit), Contacts()),
                              channels=preferences.channels(role, unit, urgent=urgent) + stand_ins)
        added.extend(dispatcher.enqueue(session, notice, [recipient], now=now, lease=lease))
    return added


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


def deliveries_of(session: Session, notifications: list[Notification]) -> dict[str, list[Delivery]]:
    """Each notification's deliveries, by notification id."""
    found: dict[str, list[Delivery]] = {n.id: [] for n in notifications}
    for delivery in session.scalars(sa.select(Delivery).where(Delivery.notification_id.in_(list(found)))
                                    .order_by(Delivery.created_at, Delivery.channel)):
        found[delivery.notification_id or ""].append(delivery)
    return found


def reminder_notifier(dispatcher: Dispatcher,
                      contacts: Callable[[str, Role, str | None], Contacts]) -> reminders.Notify:
    """How a sent reminder becomes its notification and deliveries (`contacts`: from plans' directory, kept for
    a minute, so a run over a commune's reminders asks plans once). The timer's sweep sends them."""
    def notify(session: Session, reminder: Reminder, now: dt.datetime) -> None:
        role, unit = Role(reminder.recipient_role), reminder.recipient_unit or None
        addressed = notices.for_reminder(reminder.kind, reminder.commune_code, reminder.plan_id, reminder.context,
                                         role, unit)
        record(session, dispatcher, reminder.commune_code, [addressed], source_key=reminder.id,
               source_type=reminders.TRIGGER,
               contacts={(role, addressed.recipient_unit): contacts(reminder.commune_code, role, unit)},
               now=now, lease=None)
    return notify

"""Use cases of the notifications service: listing notifications (recording and sending: `dispatch.py`)."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.auth import Principal
from services.common.errors import Forbidden
from services.common.roles import Role
from services.notifications.models import Delivery, Notification


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


def deliveries_of(session: Session, notifications: list[Notification]) -> dict[str, list[Delivery]]:
    """Each notification's deliveries, by notification id."""
    found: dict[str, list[Delivery]] = {n.id: [] for n in notifications}
    for delivery in session.scalars(sa.select(Delivery).where(Delivery.notification_id.in_(list(found)))
                                    .order_by(Delivery.created_at, Delivery.channel)):
        found[delivery.notification_id or ""].append(delivery)
    return found

"""The notifications API's answers, built from the tables (also what a channel delivers)."""
from __future__ import annotations

from services.notifications.models import Notification
from services.notifications.schemas import NotificationOut


def notification_view(n: Notification) -> NotificationOut:
    return NotificationOut(id=n.id, commune_code=n.commune_code, template=n.template,
                           recipient_role=n.recipient_role, recipient_unit=n.recipient_unit, channel=n.channel,
                           title=n.title, body=n.body, status=n.status, trigger_event_type=n.trigger_event_type,
                           created_at=n.created_at, delivered_at=n.delivered_at)

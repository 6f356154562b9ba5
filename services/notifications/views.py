"""The notifications API's answers, built from the tables (also what a channel delivers)."""
from __future__ import annotations

from services.common.auth import Principal
from services.notifications.models import Notification, Preference
from services.notifications.preferences import DEFAULT_CHANNELS
from services.notifications.schemas import InboxItem, NotificationOut, PreferencesOut, QuietHours


def notification_view(n: Notification) -> NotificationOut:
    return NotificationOut(id=n.id, commune_code=n.commune_code, template=n.template,
                           recipient_role=n.recipient_role, recipient_unit=n.recipient_unit, channel=n.channel,
                           title=n.title, body=n.body, status=n.status, trigger_event_type=n.trigger_event_type,
                           urgent=n.urgent, created_at=n.created_at, send_after=n.send_after,
                           delivered_at=n.delivered_at)


def inbox_item(n: Notification, read: bool) -> InboxItem:
    return InboxItem(id=n.id, template=n.template, title=n.title, body=n.body, urgent=n.urgent,
                     created_at=n.created_at, read=read)


def preferences_view(principal: Principal, preference: Preference | None) -> PreferencesOut:
    """The recipient's preferences, or the defaults while it has set none."""
    if preference is None:
        return PreferencesOut(recipient_role=principal.role.value, recipient_unit=principal.unit_code,
                              channels=list(DEFAULT_CHANNELS), quiet_hours=None, daily_digest=False, updated_at=None)
    quiet = (QuietHours(start=preference.quiet_from, end=preference.quiet_to)
             if preference.quiet_from is not None and preference.quiet_to is not None else None)
    return PreferencesOut(recipient_role=preference.recipient_role, recipient_unit=preference.recipient_unit or None,
                          channels=preference.channels, quiet_hours=quiet, daily_digest=preference.daily_digest,
                          updated_at=preference.updated_at)

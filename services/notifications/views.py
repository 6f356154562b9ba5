"""The notifications API's answers, built from the tables."""
from __future__ import annotations

from services.common.auth import Principal
from services.notifications.dispatch import mask_address
from services.notifications.models import Delivery, Notification, Preference, WebhookSubscription
from services.notifications.preferences import DEFAULT_CHANNELS
from services.notifications.schemas import (
    DeliveryOut,
    InboxItem,
    NotificationOut,
    PreferencesOut,
    QuietHours,
    WebhookSubscriptionCreated,
    WebhookSubscriptionOut,
)


def delivery_view(d: Delivery) -> DeliveryOut:
    return DeliveryOut(channel=d.channel, status=d.status, address=mask_address(d.address), attempts=d.attempts,
                       provider_answer=d.provider_answer, sent_at=d.sent_at)


def notification_view(n: Notification, deliveries: list[Delivery]) -> NotificationOut:
    return NotificationOut(id=n.id, commune_code=n.commune_code, template=n.template,
                           recipient_role=n.recipient_role, recipient_unit=n.recipient_unit, title=n.title,
                           body=n.body, urgent=n.urgent, status=n.status, trigger_event_type=n.trigger_event_type,
                           created_at=n.created_at, delivered_at=n.delivered_at,
                           deliveries=[delivery_view(d) for d in deliveries])


def subscription_view(s: WebhookSubscription) -> WebhookSubscriptionOut:
    return WebhookSubscriptionOut(id=s.id, event_type=s.event_type, url=s.url, description=s.description,
                                  active=s.active, consecutive_failures=s.consecutive_failures,
                                  created_at=s.created_at, disabled_at=s.disabled_at)


def created_subscription_view(s: WebhookSubscription) -> WebhookSubscriptionCreated:
    return WebhookSubscriptionCreated(**subscription_view(s).model_dump(), secret=s.secret)


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

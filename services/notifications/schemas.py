"""Request and response bodies of the notifications HTTP API."""
from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from services.common.admin_units import KnownCommuneCode
from services.common.answers import Answer


class NotificationQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    commune_code: KnownCommuneCode | None = None


class DeliveryOut(Answer):
    """A notification on one channel. The contact is masked; the provider's answer carries none."""
    channel: str = Field(description="email, sms, zalo, file or console")
    status: str = Field(description="standby, queued, retrying, sent, failed or given_up")
    address: str | None = Field(description="masked, e.g. n***@sonhai.gov.vn or *******567")
    attempts: int
    provider_answer: str | None
    sent_at: dt.datetime | None


class NotificationOut(Answer):
    """A notification to a role (and, for unit reporters, a unit) of a commune: never to a named person."""
    id: str
    commune_code: str
    template: str = Field(description="e.g. plan_issued_unit, case_urgent")
    recipient_role: str
    recipient_unit: str | None
    title: str
    body: str
    urgent: bool
    status: str = Field(description="pending, delivered (on a channel at least) or failed (on every channel)")
    trigger_event_type: str = Field(description="The event it was made from, e.g. plan.issued.v1")
    created_at: dt.datetime
    delivered_at: dt.datetime | None
    deliveries: list[DeliveryOut]


class NotificationList(Answer):
    items: list[NotificationOut] = Field(description="Newest first, at most 500.")


class WebhookSubscriptionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    event_type: str = Field(min_length=1, max_length=100, description="e.g. case.overdue.v1 (see the list)")
    url: str = Field(min_length=1, max_length=500, description="http(s) URL the events are POSTed to")
    description: str = Field("", max_length=200, description="Whose system this is")


class WebhookSubscriptionOut(Answer):
    """A subscription, without its secret (shown once, when it is created)."""
    id: str
    event_type: str
    url: str
    description: str
    active: bool = Field(description="false once disabled after repeated failures")
    consecutive_failures: int
    created_at: dt.datetime
    disabled_at: dt.datetime | None


class WebhookSubscriptionCreated(WebhookSubscriptionOut):
    secret: str = Field(description="Standard Webhooks signing secret (whsec_...); not shown again")


class WebhookSubscriptionList(Answer):
    items: list[WebhookSubscriptionOut]
    event_types: list[str] = Field(description="The event types one can subscribe to")

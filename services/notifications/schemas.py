"""Request and response bodies of the notifications HTTP API."""
from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

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
    status: str = Field(description="pending, delivered (on a channel at least) or failed (on every channel)")
    trigger_event_type: str = Field(description="The event it was made from, e.g. plan.issued.v1; `reminder` for "
                                                "a reminder from the plan's dates")
    urgent: bool = Field(description="A case alert: sent at once, whatever the recipient's quiet hours.")
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


# preferences --------------------------------------------------------------------
Channel = Literal["email", "sms", "zalo"]


class QuietHours(BaseModel):
    """Vietnam time; may run over midnight (22:00 to 06:00). Urgent case alerts are sent all the same."""
    model_config = ConfigDict(extra="forbid")
    start: dt.time = Field(description="HH:MM, Vietnam time.")
    end: dt.time = Field(description="HH:MM, Vietnam time.")

    @model_validator(mode="after")
    def _not_empty(self):
        if self.start == self.end:
            raise ValueError("start and end must differ")
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("times are Vietnam time, without a zone")
        return self


class PreferencesIn(BaseModel):
    """How the caller's recipient (its role in its commune, and a unit reporter's unit) wants to be told.
    The in-app inbox always has every notification."""
    model_config = ConfigDict(extra="forbid")
    channels: list[Channel] = Field(min_length=1, max_length=3, description="In order of preference, each once.")
    quiet_hours: QuietHours | None = None
    daily_digest: bool = Field(False, description="Non-urgent notices once a day (07:30) instead of one by one.")

    @model_validator(mode="after")
    def _each_channel_once(self):
        if len(set(self.channels)) != len(self.channels):
            raise ValueError("each channel appears once")
        return self


class PreferencesOut(Answer):
    recipient_role: str
    recipient_unit: str | None
    channels: list[str]
    quiet_hours: QuietHours | None
    daily_digest: bool
    updated_at: dt.datetime | None = Field(description="Null while the defaults apply.")


# inbox ------------------------------------------------------------------------------
class InboxItem(Answer):
    id: str
    template: str
    title: str
    body: str
    urgent: bool
    created_at: dt.datetime
    read: bool


class Inbox(Answer):
    items: list[InboxItem] = Field(description="Newest first, at most 200.")
    unread: int = Field(description="Unread notifications of the caller, all of them (not only these).")


class InboxQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    unread_only: bool = False


class MarkedRead(Answer):
    unread: int = Field(description="Unread notifications of the caller left.")

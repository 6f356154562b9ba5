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


class NotificationOut(Answer):
    """A notification to a role (and, for unit reporters, a unit) of a commune: never to a named person."""
    id: str
    commune_code: str
    template: str = Field(description="e.g. plan_issued_unit, urgent_case")
    recipient_role: str
    recipient_unit: str | None
    channel: str = Field(description="file or console")
    title: str
    body: str
    status: str = Field(description="pending or delivered")
    trigger_event_type: str = Field(description="The event it was made from, e.g. plan.issued.v1; `reminder` for "
                                                "a reminder from the plan's dates")
    urgent: bool = Field(description="A case alert: sent at once, whatever the recipient's quiet hours.")
    created_at: dt.datetime
    send_after: dt.datetime | None = Field(description="Held until then (quiet hours, daily digest); null: at once.")
    delivered_at: dt.datetime | None


class NotificationList(Answer):
    items: list[NotificationOut] = Field(description="Newest first, at most 500.")


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

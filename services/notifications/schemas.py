"""Request and response bodies of the notifications HTTP API."""
from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

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
    trigger_event_type: str = Field(description="The event it was made from, e.g. plan.issued.v1")
    created_at: dt.datetime
    delivered_at: dt.datetime | None


class NotificationList(Answer):
    items: list[NotificationOut] = Field(description="Newest first, at most 500.")

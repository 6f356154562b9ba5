"""CloudEvents 1.0 structured-mode JSON envelope.

The body of every message on a `<service>.events` exchange is one of these, encoded
as plain JSON (`model_dump(mode="json")`): outside consumers must not meet kombu's
`{"__type__": ...}` wrappers. Extension attributes: `communecode` (tenant) and
`correlationid` (follows one request through the events it causes).
"""
from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from services.common.events.contracts import COMMUNE_CODE

CONTENT_TYPE = "application/cloudevents+json"
SPEC_VERSION = "1.0"
SCHEMA_URI_PREFIX = "urn:binhdang:event-schema:"
MAX_ATTRIBUTE_LENGTH = 200
MAX_CORRELATION_ID_LENGTH = 64  # as an HTTP request's correlation id is cut, and as the outbox stores it


def exchange_for(service: str) -> str:
    return f"{service}.events"


def source_for(service: str) -> str:
    return f"/binhdang/{service}"


def schema_uri(event_type: str) -> str:
    return SCHEMA_URI_PREFIX + event_type


class CloudEvent(BaseModel):
    """The envelope. `data` is validated separately against the model registered for `type`."""

    model_config = ConfigDict(extra="allow")  # CloudEvents allows further extension attributes

    specversion: str = Field(default=SPEC_VERSION, pattern=r"^1\.0$")
    id: uuid.UUID
    source: str = Field(min_length=1, max_length=MAX_ATTRIBUTE_LENGTH)
    type: str = Field(min_length=1, max_length=MAX_ATTRIBUTE_LENGTH,
                      description="Versioned event type, also the AMQP routing key.")
    time: datetime
    subject: str | None = Field(None, max_length=MAX_ATTRIBUTE_LENGTH)
    datacontenttype: str = Field(default="application/json", max_length=MAX_ATTRIBUTE_LENGTH)
    dataschema: str | None = Field(None, max_length=MAX_ATTRIBUTE_LENGTH)
    communecode: str | None = Field(None, pattern=COMMUNE_CODE,
                                    description="Administrative unit code of the commune the event concerns.")
    correlationid: str | None = Field(None, max_length=MAX_CORRELATION_ID_LENGTH)
    data: dict[str, Any]

    @field_validator("time")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("time must carry a timezone offset")
        return value

    def to_json_bytes(self) -> bytes:
        return json.dumps(self.model_dump(mode="json", exclude_none=True), ensure_ascii=False).encode("utf-8")

    @classmethod
    def from_json_bytes(cls, body: bytes | str) -> CloudEvent:
        return cls.model_validate_json(body)


def build_event(*, service: str, event_type: str, data: BaseModel, subject: str | None,
                commune_code: str | None, correlation_id: str | None = None,
                at: datetime | None = None, event_id: uuid.UUID | None = None) -> CloudEvent:
    return CloudEvent(
        id=event_id or uuid.uuid4(),
        source=source_for(service),
        type=event_type,
        time=at or datetime.now(UTC),
        subject=subject,
        dataschema=schema_uri(event_type),
        communecode=commune_code,
        correlationid=correlation_id,
        data=data.model_dump(mode="json"),
    )

"""An event as a consumer receives it: the envelope and its data, validated against the model registered
for its type. Pure: the subscriber (nameko, kombu) decodes with it, handlers and projections are typed
with it."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Generic, TypeVar

from pydantic import BaseModel, ValidationError

from services.common.events import registry
from services.common.events.envelope import CloudEvent, source_for
from services.common.text import NUL, unstorable_text

MAX_EVENT_BYTES = 4 * 1024 * 1024  # the largest event the contracts allow (a plan and its content) is below

# covariant: an event of one type is also an event of a union of types (a handler of two types)
DataT = TypeVar("DataT", bound=BaseModel, covariant=True)


class InvalidEvent(Exception):
    """The bytes are not a valid event of the expected type; the message goes to the dead letters."""


class UntrustedEvent(InvalidEvent):
    """The event names another source than its producer's."""


@dataclass(frozen=True)
class ReceivedEvent(Generic[DataT]):
    """A validated event as a handler sees it, e.g. `ReceivedEvent[PlanIssued]`."""
    envelope: CloudEvent
    data: DataT

    @property
    def id(self) -> uuid.UUID:
        return self.envelope.id

    @property
    def type(self) -> str:
        return self.envelope.type

    @property
    def commune_code(self) -> str | None:
        return self.envelope.communecode


def decode_event(body: bytes, expected_type: str) -> ReceivedEvent[BaseModel]:
    """The event in a message body, validated as `expected_type` from its producer; InvalidEvent saying why
    it is not one."""
    if len(body) > MAX_EVENT_BYTES:
        raise InvalidEvent(f"body of {len(body)} bytes; at most {MAX_EVENT_BYTES} are accepted")
    try:
        envelope = CloudEvent.from_json_bytes(body)
    except ValidationError as exc:
        raise InvalidEvent(f"not a CloudEvents envelope: {_summarise(exc)}") from None
    except Exception as exc:  # undecodable bytes
        raise InvalidEvent(f"unreadable body: {type(exc).__name__}") from None
    registered = registry.get(expected_type)
    if envelope.type != expected_type:
        raise InvalidEvent(f"event type {envelope.type!r} where {expected_type!r} was expected")
    if envelope.source != source_for(registered.producer):
        raise UntrustedEvent(f"source {envelope.source!r} is not {registered.producer}'s")
    found = unstorable_text(envelope.data, "data")
    if found:
        where, problem = found
        raise InvalidEvent(f"{where}: {'NUL character' if problem == NUL else 'invalid Unicode'} in text")
    try:
        data = registered.model.model_validate(envelope.data)
    except ValidationError as exc:
        raise InvalidEvent(f"data does not match {expected_type}: {_summarise(exc)}") from None
    return ReceivedEvent(envelope, data)


def _summarise(exc: ValidationError) -> str:
    # field locations and messages only: the input itself could hold anything
    return "; ".join(".".join(map(str, e["loc"])) + ": " + e["msg"]
                     for e in exc.errors(include_url=False, include_input=False))[:400]

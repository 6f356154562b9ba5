"""What the data center's operators see of a service's messaging, over HTTP: the outbox backlog, the consumer
queues and the dead letters, and the replay of dead letters (as `binhdang dead-letters` does on the command line).

Every service serves these (`ServiceBase`), to the operator role only. They are operational endpoints, like
/health and /ready: the web's operations page reaches each service at its own address; nothing routes them from
outside. A dead letter is described by its metadata only (event type and id, why and when it failed, how many
tries): never its body.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

import sqlalchemy as sa
from nameko.extensions import ENTRYPOINT_EXTENSIONS_ATTR
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from services.common import amqp_connection, dead_letters
from services.common.answers import Answer
from services.common.inbox import consumer_name
from services.common.subscriber import DEAD_LETTER_SUFFIX, EventSubscriber
from services.common.tables import outbox_table as outbox

log = logging.getLogger("binhdang.operations")

MAX_LISTED = 500  # dead letters listed per queue at most
MAX_REPLAYED = 1000  # dead letters replayed by one request at most
MAX_TEXT = 500


class OutboxState(Answer):
    service: str
    pending: int = Field(description="Events written but not yet published.")
    failing: int = Field(description="Pending events whose last publication failed.")
    oldest_pending_at: dt.datetime | None = Field(description="When the oldest pending event was written.")
    oldest_pending_seconds: float | None = Field(description="Its age, in seconds.")


class ConsumerState(Answer):
    queue: str = Field(description="The consumer queue, <service>.<handler>.")
    event_type: str
    ready: int | None = Field(description="Messages waiting in the queue (its lag); null if it does not exist.")
    consumers: int | None = Field(description="Consumers attached to the queue; null if it does not exist.")
    dead_letters: int | None = Field(description="Messages in its dead-letter queue; null if it does not exist.")


class ConsumerList(Answer):
    service: str
    items: list[ConsumerState]


class DeadLetter(Answer):
    """A dead letter's metadata (never its body)."""
    event_id: str | None
    event_type: str | None
    reason: str | None = Field(description="handler_failed, invalid, untrusted, delivery_limit, ...")
    error: str | None = Field(description="The failure, as the consumer recorded it (bounded).")
    attempts: int | None
    failed_at: str | None
    consumer_queue: str | None
    body_bytes: int


class DeadLetterQueue(Answer):
    queue: str = Field(description="The dead-letter queue, <consumer queue>.dlq.")
    consumer_queue: str
    count: int = Field(description="Messages in it (those listed included).")
    items: list[DeadLetter]


class DeadLetterList(Answer):
    service: str
    queues: list[DeadLetterQueue]


class DeadLetterQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    queue: str | None = Field(default=None, max_length=255,
                              description="One consumer queue (with or without .dlq); default every one.")
    limit: int = Field(default=100, ge=1, le=MAX_LISTED, description="Dead letters listed per queue.")


class ReplayRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    queue: str = Field(min_length=1, max_length=255, description="The consumer queue (with or without .dlq).")
    event_id: str | None = Field(default=None, min_length=1, max_length=64,
                                 description="Replay only this event; default every dead letter of the queue.")


class ReplayResult(Answer):
    service: str
    queue: str
    event_id: str | None
    replayed: int = Field(description="Dead letters moved back to their consumer queue.")


def consumers_of(service_cls: type, service: str) -> list[tuple[str, str]]:
    """(consumer queue, event type) of every `@subscribe` handler of a service class, by queue."""
    found = []
    for attribute in dir(service_cls):
        for entrypoint in getattr(getattr(service_cls, attribute, None), ENTRYPOINT_EXTENSIONS_ATTR, ()):
            if isinstance(entrypoint, EventSubscriber):
                found.append((consumer_name(service, attribute), entrypoint.event_type))
    return sorted(found)


def consumer_queue_of(queue: str, consumer_queues: Iterable[str]) -> str | None:
    """The consumer queue that `queue` names (itself or its dead-letter queue), if it is one of `consumer_queues`."""
    name = queue.removesuffix(DEAD_LETTER_SUFFIX)
    return name if name in set(consumer_queues) else None


def outbox_state(session: Session, service: str, now: dt.datetime) -> OutboxState:
    pending = outbox.c.sent_at.is_(None)
    count, failing, oldest = session.execute(sa.select(
        sa.func.count(), sa.func.count(outbox.c.last_error), sa.func.min(outbox.c.created_at)).where(pending)).one()
    return OutboxState(service=service, pending=count, failing=failing, oldest_pending_at=oldest,
                       oldest_pending_seconds=round((now - oldest).total_seconds(), 1) if oldest else None)


def _declared(connection, queue: str) -> tuple[int, int] | None:
    """(messages ready, consumers) of a queue, or None if it does not exist (a channel of its own: the broker
    closes the channel of a failed passive declare)."""
    channel = connection.channel()
    try:
        _, ready, consumers = channel.queue_declare(queue, passive=True)
    except Exception as exc:
        if getattr(exc, "code", None) == 404:
            return None
        raise
    channel.close()
    return int(ready), int(consumers)


def consumer_states(amqp_uri: str, consumers: list[tuple[str, str]]) -> list[ConsumerState]:
    states = []
    with amqp_connection.connect(amqp_uri) as connection:
        for queue, event_type in consumers:
            main = _declared(connection, queue)
            dead = _declared(connection, queue + DEAD_LETTER_SUFFIX)
            states.append(ConsumerState(queue=queue, event_type=event_type, ready=main[0] if main else None,
                                        consumers=main[1] if main else None, dead_letters=dead[0] if dead else None))
    return states


def _text(value) -> str | None:
    return str(value)[:MAX_TEXT] if value is not None else None


def describe(found: dict, consumer_queue: str) -> DeadLetter:
    """`dead_letters.peek`'s description of a message, as the answer's model (the headers' types checked: a
    message in a dead-letter queue is not trusted to carry what it should)."""
    attempts = found.get("attempts")
    return DeadLetter(event_id=_text(found.get("event_id")), event_type=_text(found.get("event_type")),
                      reason=_text(found.get("reason")), error=_text(found.get("error")),
                      attempts=attempts if isinstance(attempts, int) and not isinstance(attempts, bool) else None,
                      failed_at=_text(found.get("failed_at")),
                      consumer_queue=_text(found.get("consumer_queue")) or consumer_queue,
                      body_bytes=int(found.get("body_bytes") or 0))


def dead_letter_queues(amqp_uri: str, consumer_queues: list[str], limit: int) -> list[DeadLetterQueue]:
    listed = []
    with amqp_connection.connect(amqp_uri) as connection:
        counts = {queue: _declared(connection, queue + DEAD_LETTER_SUFFIX) for queue in consumer_queues}
    for queue in consumer_queues:
        declared = counts[queue]
        if declared is None:
            continue
        items = [describe(found, queue) for found in dead_letters.peek(amqp_uri, queue + DEAD_LETTER_SUFFIX, limit)]
        listed.append(DeadLetterQueue(queue=queue + DEAD_LETTER_SUFFIX, consumer_queue=queue,
                                      count=max(declared[0], len(items)), items=items))
    return listed


def replay(amqp_uri: str, service: str, consumer_queue: str, event_id: str | None, subject: str) -> ReplayResult:
    """Move dead letters of a consumer back to it; logged with who asked (the operators' audit)."""
    moved = dead_letters.replay(amqp_uri, consumer_queue + DEAD_LETTER_SUFFIX, event_id=event_id, limit=MAX_REPLAYED)
    log.warning("dead letters replayed", extra={"audit": "dead_letters_replayed", "subject": subject,
                                                "queue": consumer_queue, "event_id": event_id, "replayed": moved})
    return ReplayResult(service=service, queue=consumer_queue + DEAD_LETTER_SUFFIX, event_id=event_id, replayed=moved)

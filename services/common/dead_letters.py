"""Operators' view of a dead-letter queue: list its messages without consuming them, replay them to
their consumer. Which queues exist is the platform's business (`services.ops.topology`)."""
from __future__ import annotations

from services.common import amqp_connection
from services.common import subscriber as sub

DELIVERY_LIMIT = "delivery_limit"  # the broker's reason, in `x-death`, for a quorum queue's dead letters


def broker_dead_letter(headers, consumer_queue: str | None) -> dict | None:
    """The broker's record (`x-death`) of moving a message from the consumer queue because its delivery
    limit was reached, or None. Only the broker writes it into a dead-letter queue: only the service and
    operators may publish there (through `<service>.retries`)."""
    deaths = (headers or {}).get("x-death")
    for death in deaths if isinstance(deaths, list) else []:
        if isinstance(death, dict) and death.get("queue") == consumer_queue and death.get("reason") == DELIVERY_LIMIT:
            return death
    return None


def _describe(message) -> dict:
    headers = message.headers or {}
    properties = message.properties or {}
    consumer_queue = headers.get(sub.H_QUEUE) or headers.get("x-first-death-queue")
    by_broker = broker_dead_letter(headers, consumer_queue) if sub.H_REASON not in headers else None
    return {
        "event_id": properties.get("message_id"),
        "event_type": properties.get("type"),
        "reason": DELIVERY_LIMIT if by_broker else headers.get(sub.H_REASON),
        "error": headers.get(sub.H_ERROR),
        "attempts": headers.get(sub.H_ATTEMPT),
        "failed_at": headers.get(sub.H_FAILED_AT),
        "consumer_queue": consumer_queue,
        # the exchange it came through (untrusted: not the producer's)
        "first_exchange": by_broker.get("exchange") if by_broker else headers.get(sub.H_EXCHANGE),
        "body_bytes": len(message.body or b""),
    }


def _messages_in(channel, queue: str) -> int | None:
    """Messages ready in the queue, or None if it does not exist."""
    try:
        _, count, _ = channel.queue_declare(queue, passive=True)
        return int(count)
    except Exception as exc:
        if getattr(exc, "code", None) == 404:
            return None
        raise


def _each_message(channel, queue: str, limit: int):
    """Up to `limit` messages of the queue, unacked: what is not acked returns to it when the channel closes."""
    for _ in range(limit):
        raw = channel.basic_get(queue, no_ack=False)
        if raw is None:
            return
        yield channel.message_to_python(raw)


def peek(amqp_uri: str, queue: str, limit: int = 100) -> list[dict]:
    """Describe up to `limit` dead letters without removing them."""
    with amqp_connection.connect(amqp_uri) as connection:
        channel = connection.channel()
        if _messages_in(channel, queue) is None:
            return []
        items = [_describe(message) for message in _each_message(channel, queue, limit)]
        channel.close()
    return items


def replay(amqp_uri: str, queue: str, *, event_id: str | None = None, limit: int = 100) -> int:
    """Move dead letters back to their consumer queue (confirmed), then remove them from the DLQ."""
    moved = 0
    with amqp_connection.connect(amqp_uri) as connection:
        channel = connection.channel()
        # only what is there now: an event that fails again comes back behind them, and is not fetched again
        for message in _each_message(channel, queue, min(limit, _messages_in(channel, queue) or 0)):
            properties = message.properties or {}
            if event_id and properties.get("message_id") != event_id:
                continue
            headers = {k: v for k, v in (message.headers or {}).items()
                       if k not in (sub.H_ATTEMPT, sub.H_ERROR, sub.H_REASON, sub.H_FAILED_AT)}
            target = (message.headers or {}).get(sub.H_QUEUE) or queue.removesuffix(sub.DEAD_LETTER_SUFFIX)
            by_broker = broker_dead_letter(message.headers, target) if sub.H_EXCHANGE not in headers else None
            if by_broker:  # a quorum queue's delivery limit: the broker's record of where it came from
                headers.update({sub.H_QUEUE: target, sub.H_EXCHANGE: str(by_broker.get("exchange") or "")})
            # through the consumer's redelivery exchange: the copy keeps the record of the exchange the
            # event first came through, which the consumer trusts there only
            sub.republish(amqp_uri, queue=target, body=message.body, properties=properties, headers=headers)
            message.ack()
            moved += 1
        channel.close()
    return moved

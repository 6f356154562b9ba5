"""Operators' view of a dead-letter queue: list its messages without consuming them, replay them to
their consumer. Which queues exist is the platform's business (`services.ops.topology`)."""
from __future__ import annotations

import kombu

from services.common import subscriber as sub


def _describe(message) -> dict:
    headers = message.headers or {}
    properties = message.properties or {}
    return {
        "event_id": properties.get("message_id"),
        "event_type": properties.get("type"),
        "reason": headers.get(sub.H_REASON),
        "error": headers.get(sub.H_ERROR),
        "attempts": headers.get(sub.H_ATTEMPT),
        "failed_at": headers.get(sub.H_FAILED_AT),
        "consumer_queue": headers.get(sub.H_QUEUE),
        "first_exchange": headers.get(sub.H_EXCHANGE),  # the exchange it came through (untrusted: not the producer's)
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
    with kombu.Connection(amqp_uri, connect_timeout=5) as connection:
        channel = connection.channel()
        if _messages_in(channel, queue) is None:
            return []
        items = [_describe(message) for message in _each_message(channel, queue, limit)]
        channel.close()
    return items


def replay(amqp_uri: str, queue: str, *, event_id: str | None = None, limit: int = 100) -> int:
    """Move dead letters back to their consumer queue (confirmed), then remove them from the DLQ."""
    moved = 0
    with kombu.Connection(amqp_uri, connect_timeout=5) as connection:
        channel = connection.channel()
        # only what is there now: an event that fails again comes back behind them, and is not fetched again
        for message in _each_message(channel, queue, min(limit, _messages_in(channel, queue) or 0)):
            properties = message.properties or {}
            if event_id and properties.get("message_id") != event_id:
                continue
            headers = {k: v for k, v in (message.headers or {}).items()
                       if k not in (sub.H_ATTEMPT, sub.H_ERROR, sub.H_REASON, sub.H_FAILED_AT)}
            target = (message.headers or {}).get(sub.H_QUEUE) or queue.removesuffix(sub.DEAD_LETTER_SUFFIX)
            # through the consumer's redelivery exchange: the copy keeps the record of the exchange the
            # event first came through, which the consumer trusts there only
            sub.republish(amqp_uri, queue=target, body=message.body, properties=properties, headers=headers)
            message.ack()
            moved += 1
        channel.close()
    return moved

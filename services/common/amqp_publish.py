"""Publishing a batch of messages with publisher confirms, without one round trip per message.

All messages of a batch are written to the channel, then the broker's acks (which may
cover many delivery tags at once, `multiple=True`) are awaited together. The batch
succeeds only when every message is acked; a nack, a timeout or a lost connection
fails it, and the caller keeps the events pending. `BrokerUnreachable` tells a lost or
refused connection apart from a refusal by a reachable broker.

One publisher keeps one connection open and reuses it; callers that share one across
green threads serialise its use (it tracks the confirms of one batch at a time).
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

import amqp
import kombu

from services.common import amqp_connection, metrics
from services.common.events.envelope import CONTENT_TYPE
from services.common.transient import is_transient

log = logging.getLogger(__name__)


class PublishFailed(Exception):
    pass


class BrokerUnreachable(PublishFailed):
    """The connection could not be opened or was lost: nothing is wrong with the messages."""


@dataclass
class OutgoingMessage:
    exchange: str  # declared (durable) before publishing, as `exchange_type`
    routing_key: str
    body: bytes
    message_id: str | None
    type: str | None
    content_type: str = CONTENT_TYPE
    content_encoding: str = "utf-8"
    correlation_id: str | None = None
    headers: dict = field(default_factory=dict)
    exchange_type: str = "topic"  # a producer's events; a consumer's redelivery exchange is direct


class ConfirmingPublisher:
    def __init__(self, amqp_uri: str, app_id: str, confirm_timeout: float = 15.0, connect_timeout: float = 5.0,
                 purpose: str = "outbox"):
        """`app_id`: the publishing service; `purpose` labels the connections it opens in the metrics."""
        self.amqp_uri = amqp_uri
        self.app_id = app_id
        self.purpose = purpose
        self.confirm_timeout = confirm_timeout
        self.connect_timeout = connect_timeout
        self._connection: kombu.Connection | None = None
        self._channel = None
        self._declared: set[tuple[str, str]] = set()  # ("exchange" or "queue", name) on this connection
        self._next_tag = 1
        # the batch in flight: tags not yet confirmed, the lowest tag a `multiple` confirm may still cover,
        # and how many were nacked (kept in step with each confirm: no pass over the batch per confirm)
        self._unconfirmed: set[int] = set()
        self._floor = 1
        self._nacked = 0

    # connection management -------------------------------------------------
    def connect(self) -> None:
        """Open the connection if it is not open (a cheap probe of the broker); BrokerUnreachable if it fails."""
        try:
            self._ensure_channel()
        except Exception as exc:
            self.close()
            raise BrokerUnreachable(f"{type(exc).__name__}: {exc}") from exc

    def _ensure_channel(self):
        if self._channel is not None:
            return self._channel
        # each node of a cluster tried once, without sleeping between attempts (kombu's connect() waits
        # 2 s): callers decide when to try again
        connection = amqp_connection.connect(self.amqp_uri, connect_timeout=self.connect_timeout)
        metrics.AMQP_CONNECTIONS_OPENED.labels(self.app_id, self.purpose).inc()
        channel = connection.channel()
        channel.confirm_select()
        channel.events["basic_ack"].add(self._on_ack)
        channel.events["basic_nack"].add(self._on_nack)
        self._connection, self._channel = connection, channel
        self._declared = set()
        self._next_tag = 1
        return channel

    def close(self) -> None:
        connection, self._connection, self._channel = self._connection, None, None
        if connection is not None:
            try:
                connection.release()
            except Exception:  # the connection is being thrown away; nothing to save
                pass

    def _on_ack(self, delivery_tag, multiple):
        self._confirm(delivery_tag, multiple)

    def _on_nack(self, delivery_tag, multiple):
        self._nacked += self._confirm(delivery_tag, multiple)

    def _confirm(self, delivery_tag: int, multiple: bool) -> int:
        """Settle a tag (or every tag up to it); returns how many of the batch's tags it settled."""
        before = len(self._unconfirmed)
        if multiple:
            for tag in range(self._floor, delivery_tag + 1):
                self._unconfirmed.discard(tag)
            self._floor = max(self._floor, delivery_tag + 1)
        else:
            self._unconfirmed.discard(delivery_tag)
        return before - len(self._unconfirmed)

    # publishing ------------------------------------------------------------
    def declare_exchange(self, name: str, exchange_type: str = "topic") -> None:
        channel = self._ensure_channel()
        if ("exchange", name) not in self._declared:
            channel.exchange_declare(name, exchange_type, durable=True, auto_delete=False)
            self._declared.add(("exchange", name))

    def declare_queue(self, queue: kombu.Queue) -> None:
        channel = self._ensure_channel()
        if ("queue", queue.name) not in self._declared:
            queue(channel).declare()
            self._declared.add(("queue", queue.name))

    def publish_batch(self, messages: list[OutgoingMessage], queues: tuple[kombu.Queue, ...] = ()) -> None:
        """Publish and await every confirm; the messages' exchanges and `queues` are declared first."""
        if not messages:
            return
        try:
            channel = self._ensure_channel()
            for exchange, exchange_type in {(m.exchange, m.exchange_type) for m in messages}:
                self.declare_exchange(exchange, exchange_type)
            for queue in queues:
                self.declare_queue(queue)
            self._unconfirmed, self._floor, self._nacked = set(), self._next_tag, 0
            for message in messages:
                channel.basic_publish(self._to_amqp(message), exchange=message.exchange,
                                      routing_key=message.routing_key)
                self._unconfirmed.add(self._next_tag)
                self._next_tag += 1
            self._await_confirms()
        except PublishFailed:
            self.close()
            raise
        except Exception as exc:
            self.close()
            # py-amqp reports a connection that broke under it as a plain OSError
            failure = BrokerUnreachable if isinstance(exc, OSError) or is_transient(exc) else PublishFailed
            raise failure(f"{type(exc).__name__}: {exc}") from exc

    def _await_confirms(self):
        connection = self._connection
        if connection is None:
            raise PublishFailed("the connection closed before the broker confirmed")
        deadline = time.monotonic() + self.confirm_timeout
        while self._unconfirmed:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise PublishFailed("timed out waiting for publisher confirms")
            try:
                connection.connection.drain_events(timeout=remaining)
            except TimeoutError:
                continue
        if self._nacked:
            raise PublishFailed(f"broker nacked {self._nacked} message(s)")

    def _to_amqp(self, message: OutgoingMessage) -> amqp.Message:
        properties = {
            "content_type": message.content_type,
            "content_encoding": message.content_encoding,
            "delivery_mode": 2,  # persistent
            "message_id": message.message_id,
            "type": message.type,
            "app_id": self.app_id,
            "timestamp": int(time.time()),
            "application_headers": dict(message.headers),
            "correlation_id": message.correlation_id,
        }
        return amqp.Message(body=message.body, **{k: v for k, v in properties.items() if v is not None})

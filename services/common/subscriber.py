"""`@subscribe(...)`: consume one event type with validation, bounded retries and a dead-letter queue.

Nameko's own `event_handler` acks and drops a message whose handler raises (or, with
`requeue_on_error`, redelivers it forever). This entrypoint instead:

* validates the CloudEvents envelope and the data against the registered model; a
  message that does not validate goes straight to the consumer's dead-letter queue;
* on a handler failure republishes the message (publisher-confirmed) to a delay queue
  `<queue>.retry.<n>` whose TTL returns it to the consumer queue after the n-th back-off,
  and only then acks it; after the last retry it goes to `<queue>.dlq`;
* never acks a message before its copy is safely elsewhere: if the broker is gone,
  the message stays unacked and RabbitMQ redelivers it.

Queue names: `<consumer service>.<handler method>`, bound to `<producer>.events` with
the event type as routing key. Operators list and replay dead letters with
`binhdang dead-letters`.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

import eventlet
import kombu
from nameko.exceptions import ContainerBeingKilled
from nameko.extensions import Entrypoint
from nameko.messaging import QueueConsumer
from pydantic import BaseModel, ValidationError

from services.common import metrics
from services.common.config import retry_delays
from services.common.events import registry
from services.common.events.envelope import CloudEvent

log = logging.getLogger(__name__)

H_ATTEMPT = "x-binhdang-attempt"
H_ERROR = "x-binhdang-error"
H_REASON = "x-binhdang-dead-letter-reason"
H_QUEUE = "x-binhdang-queue"
H_EXCHANGE = "x-binhdang-original-exchange"
H_ROUTING_KEY = "x-binhdang-original-routing-key"
H_FAILED_AT = "x-binhdang-failed-at"

DEAD_LETTER_WATCH_SECONDS = 15.0


class InvalidEvent(Exception):
    pass


@dataclass(frozen=True)
class ReceivedEvent:
    """A validated event as a handler sees it."""
    envelope: CloudEvent
    data: BaseModel

    @property
    def id(self):
        return self.envelope.id

    @property
    def type(self) -> str:
        return self.envelope.type

    @property
    def commune_code(self) -> str | None:
        return self.envelope.communecode


def decode_event(body: bytes, expected_type: str) -> ReceivedEvent:
    try:
        envelope = CloudEvent.from_json_bytes(body)
    except ValidationError as exc:
        raise InvalidEvent(f"not a CloudEvents envelope: {_summarise(exc)}") from None
    except Exception as exc:  # undecodable bytes
        raise InvalidEvent(f"unreadable body: {type(exc).__name__}") from None
    if envelope.type != expected_type:
        raise InvalidEvent(f"event type {envelope.type!r} where {expected_type!r} was expected")
    try:
        data = registry.get(expected_type).model.model_validate(envelope.data)
    except ValidationError as exc:
        raise InvalidEvent(f"data does not match {expected_type}: {_summarise(exc)}") from None
    return ReceivedEvent(envelope, data)


def _summarise(exc: ValidationError) -> str:
    # field locations and messages only: the input itself could hold anything
    return "; ".join(".".join(map(str, e["loc"])) + ": " + e["msg"]
                     for e in exc.errors(include_url=False, include_input=False))[:400]


@dataclass(frozen=True)
class ConsumerTopology:
    """The queues of one consumer: the main queue, its delay queues and its dead-letter queue."""
    queue: str
    exchange: str
    routing_key: str
    delays: tuple[float, ...]
    queue_type: str = "classic"

    @property
    def dead_letter_queue(self) -> str:
        return f"{self.queue}.dlq"

    def retry_queue(self, attempt: int) -> str:
        return f"{self.queue}.retry.{attempt}"

    def _arguments(self, extra: dict | None = None) -> dict:
        arguments = {"x-queue-type": self.queue_type}
        arguments.update(extra or {})
        return arguments

    def main(self) -> kombu.Queue:
        return kombu.Queue(self.queue, exchange=kombu.Exchange(self.exchange, "topic", durable=True),
                           routing_key=self.routing_key, durable=True, queue_arguments=self._arguments())

    def retry(self, attempt: int) -> kombu.Queue:
        delay_ms = int(self.delays[attempt - 1] * 1000)
        return kombu.Queue(self.retry_queue(attempt), durable=True, queue_arguments=self._arguments({
            "x-message-ttl": delay_ms,
            "x-dead-letter-exchange": "",
            "x-dead-letter-routing-key": self.queue,
        }))

    def dead_letters(self) -> kombu.Queue:
        return kombu.Queue(self.dead_letter_queue, durable=True, queue_arguments=self._arguments())


def republish(amqp_uri: str, *, queue: kombu.Queue, body: bytes,
              properties: dict, headers: dict) -> None:
    """Publish a copy of a message to a queue through the default exchange, with a confirm."""
    with kombu.Connection(amqp_uri, transport_options={"confirm_publish": True}) as connection:
        producer = connection.Producer()
        producer.publish(
            body, exchange="", routing_key=queue.name, declare=[queue], headers=headers,
            delivery_mode=2, content_type=properties.get("content_type") or "application/octet-stream",
            content_encoding=properties.get("content_encoding") or "binary",
            message_id=properties.get("message_id"), correlation_id=properties.get("correlation_id"),
            type=properties.get("type"), retry=True, retry_policy={"max_retries": 3})


class EventQueueConsumer(QueueConsumer):
    """Nameko's queue consumer, handing subscribers the raw message (no kombu decoding,
    which would raise on a body it cannot read), and watching dead-letter queue depths."""

    def get_consumers(self, consumer_cls, channel):
        for provider in self._providers:
            consumer = consumer_cls(queues=[provider.topology.main()],
                                    on_message=partial(self.handle_message, provider, None))
            consumer.qos(prefetch_count=self.prefetch_count)
            self._consumers[provider] = consumer
        return self._consumers.values()

    def start(self):
        super().start()
        if not getattr(self, "_watching", False):
            self._watching = True
            self.container.spawn_managed_thread(self._watch_dead_letters, identifier="dead_letter_watch")

    def _watch_dead_letters(self):
        while True:
            for provider in list(self._providers):
                provider.measure_dead_letters()
            eventlet.sleep(DEAD_LETTER_WATCH_SECONDS)


class EventSubscriber(Entrypoint):
    queue_consumer = EventQueueConsumer()

    def __init__(self, producer: str, event_type: str, **kwargs):
        self.producer = producer
        self.event_type = event_type
        super().__init__(**kwargs)

    def setup(self):
        registered = registry.get(self.event_type)
        if registered.producer != self.producer:
            raise ValueError(f"{self.event_type} is published by {registered.producer}, not {self.producer}")
        config = self.container.config
        self.amqp_uri = config["AMQP_URI"]
        self.consumer_name = f"{self.container.service_name}.{self.method_name}"
        self.topology = ConsumerTopology(
            queue=self.consumer_name, exchange=registered.exchange, routing_key=registered.routing_key,
            delays=tuple(retry_delays(config)), queue_type=config.get("QUEUE_TYPE") or "classic")
        self.queue_consumer.register_provider(self)

    def stop(self):
        self.queue_consumer.unregister_provider(self)
        super().stop()

    # receiving -----------------------------------------------------------
    def handle_message(self, _body, message):
        try:
            event = decode_event(message.body, self.event_type)
        except InvalidEvent as exc:
            try:
                self._dead_letter(message, reason="invalid_payload", error=str(exc))
            except Exception:
                log.exception("could not dead-letter an invalid event; requeueing it",
                              extra={"consumer": self.consumer_name})
                self.queue_consumer.requeue_message(message)
                return
            self.queue_consumer.ack_message(message)
            return
        context_data = {"correlation_id": event.envelope.correlationid or message.properties.get("correlation_id")}
        try:
            self.container.spawn_worker(self, (event,), {}, context_data=context_data,
                                        handle_result=partial(self.handle_result, message))
        except ContainerBeingKilled:
            self.queue_consumer.requeue_message(message)

    def handle_result(self, message, worker_ctx, result=None, exc_info=None):
        service = self.container.service_name
        if exc_info is None:
            outcome = "duplicate" if result is False else "processed"
            metrics.EVENTS_CONSUMED.labels(service, self.consumer_name, self.event_type, outcome).inc()
            self.queue_consumer.ack_message(message)
            return result, exc_info
        error = f"{exc_info[0].__name__}: {exc_info[1]}"[:500]
        attempt = int((message.headers or {}).get(H_ATTEMPT, 0)) + 1
        try:
            if attempt <= len(self.topology.delays):
                republish(self.amqp_uri, queue=self.topology.retry(attempt), body=message.body,
                          properties=message.properties, headers=self._headers(message, attempt, error))
                metrics.EVENTS_RETRIED.labels(service, self.consumer_name).inc()
                log.warning("event handler failed; retry %d of %d scheduled", attempt, len(self.topology.delays),
                            extra={"consumer": self.consumer_name, "event_id": message.properties.get("message_id"),
                                   "exc_type": exc_info[0].__name__})
            else:
                self._dead_letter(message, reason="handler_failed", error=error, attempt=attempt)
        except Exception:
            # The copy is not safe elsewhere: leave the message unacked; the broker redelivers it.
            log.exception("could not move a failed event to its retry or dead-letter queue; requeueing")
            self.queue_consumer.requeue_message(message)
            return result, exc_info
        self.queue_consumer.ack_message(message)
        return result, exc_info

    # failures ------------------------------------------------------------
    def _headers(self, message, attempt: int, error: str, reason: str | None = None) -> dict:
        headers = dict(message.headers or {})
        headers.update({
            H_ATTEMPT: attempt,
            H_ERROR: error,
            H_QUEUE: self.topology.queue,
            H_EXCHANGE: headers.get(H_EXCHANGE) or message.delivery_info.get("exchange") or self.topology.exchange,
            H_ROUTING_KEY: headers.get(H_ROUTING_KEY) or self.topology.routing_key,
            H_FAILED_AT: datetime.now(UTC).isoformat(),
        })
        if reason:
            headers[H_REASON] = reason
        return headers

    def _dead_letter(self, message, *, reason: str, error: str, attempt: int | None = None) -> None:
        """Copy the message to the dead-letter queue (confirmed); raises if that fails."""
        attempt = attempt or int((message.headers or {}).get(H_ATTEMPT, 0))
        republish(self.amqp_uri, queue=self.topology.dead_letters(), body=message.body,
                  properties=message.properties, headers=self._headers(message, attempt, error, reason))
        metrics.EVENTS_DEAD_LETTERED.labels(self.container.service_name, self.consumer_name, reason).inc()
        log.error("event dead-lettered", extra={"consumer": self.consumer_name, "reason": reason,
                                                "event_id": message.properties.get("message_id"),
                                                "detail": error})

    def measure_dead_letters(self) -> None:
        try:
            depth = queue_depth(self.amqp_uri, self.topology.dead_letter_queue)
        except Exception:
            return  # broker unreachable; the next round tries again
        metrics.DEAD_LETTER_DEPTH.labels(self.container.service_name, self.topology.dead_letter_queue).set(depth)


def queue_depth(amqp_uri: str, queue: str) -> int:
    """Messages ready in a queue; 0 if it does not exist yet."""
    with kombu.Connection(amqp_uri, connect_timeout=5) as connection:
        channel = connection.channel()
        try:
            _, count, _ = channel.queue_declare(queue, passive=True)
            return int(count)
        except Exception as exc:
            if getattr(exc, "code", None) == 404:
                return 0
            raise


subscribe = EventSubscriber.decorator

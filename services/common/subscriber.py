"""`@subscribe(...)`: consume one event type with validation, bounded retries and a dead-letter queue.

Nameko's own `event_handler` acks and drops a message whose handler raises (or, with
`requeue_on_error`, redelivers it forever). This entrypoint instead holds to one rule:
whatever a message's body and headers, it ends applied or in the consumer's dead-letter
queue, and nothing it carries can stop the process.

* An event is accepted only from its producer: it must have come through the producer's
  exchange (as the registry declares it) and name the producer's `source`. Anything else,
  put into the queue through the default exchange or another exchange bound to it, is
  moved to `<queue>.dlq` as `untrusted`.
* The body is taken as the bytes that came (never inflated by a `compression` header nor
  decoded by `content_encoding`) and validated: size, CloudEvents envelope, type, data
  against the registered model. An invalid message goes straight to `<queue>.dlq`.
* A handler failure caused by the message is retried through the delay queue
  `<queue>.retry.<n>`, whose TTL returns it after the n-th back-off; after the last, the
  dead-letter queue. Copies travel through the consumer service's own direct exchange
  `<service>.retries` (never the default exchange, through which a service could reach any
  queue), and the copy records the exchange the event first came through: on that exchange
  alone, which only the service and operators may write, the record stands in for it. The
  attempt count travels in a header, read defensively: a value that is not a small integer
  counts as none.
* A failure that is not the message's fault (the database or the broker unreachable, a
  lock time-out: `transient.is_transient`) keeps the message: it is held, unacked, and
  handled again after a growing delay, without using up its attempts. Held messages fill
  the prefetch window, so consumption pauses while the dependency is away. A message held
  for HOLD_LIMIT_SECONDS is parked in the first delay queue (attempts unchanged), so the
  broker never sees a delivery unacknowledged for long.
* A copy to a retry or dead-letter queue is published with a confirm on one connection
  shared by the service's consumers, and the message acked only then. If the copy fails
  it is tried again after a growing delay, MOVE_ATTEMPTS times, then the message is
  requeued and starts over: every path waits before it tries again, none can spin.
* Copies carry only this module's headers, with bounded values; logs carry ids and
  exception types, never a header's or the body's content.

Queue names: `<consumer service>.<handler method>`, bound to `<producer>.events` with
the event type as routing key, and to `<consumer service>.retries` with its own name.
Operators list and replay dead letters with `binhdang dead-letters`.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any

import amqp.exceptions
import eventlet
import kombu
import kombu.message
from nameko.exceptions import ContainerBeingKilled
from nameko.extensions import Entrypoint
from nameko.messaging import QueueConsumer

from services.common import amqp_connection, metrics
from services.common.amqp_publish import ConfirmingPublisher, OutgoingMessage
from services.common.config import retry_delays, value_of
from services.common.context import accepted_correlation_id
from services.common.events import registry
from services.common.events.received import InvalidEvent, ReceivedEvent, UntrustedEvent, decode_event
from services.common.inbox import consumer_name
from services.common.transient import backoff, is_transient

log = logging.getLogger(__name__)

H_ATTEMPT = "x-binhdang-attempt"
H_ERROR = "x-binhdang-error"
H_REASON = "x-binhdang-dead-letter-reason"
H_QUEUE = "x-binhdang-queue"
H_EXCHANGE = "x-binhdang-original-exchange"  # the exchange the event first came through
H_ROUTING_KEY = "x-binhdang-original-routing-key"
H_FAILED_AT = "x-binhdang-failed-at"

DEAD_LETTER_SUFFIX = ".dlq"  # a consumer queue's dead letters are in `<queue>.dlq`

DEAD_LETTER_WATCH_SECONDS = 15.0
MAX_ERROR_CHARS = 500
HOLD_MAX_DELAY_SECONDS = 10.0  # longest wait between two tries of a held message
HOLD_LIMIT_SECONDS = 600.0  # then it is parked in a delay queue (RabbitMQ's consumer_timeout is 30 min)
MOVE_ATTEMPTS = 8  # tries to copy a message to its retry or dead-letter queue before requeueing it
MOVE_MAX_DELAY_SECONDS = 30.0


def attempts_so_far(headers, most: int) -> int:
    """Failed attempts recorded by this module in the header, between 0 and `most`; a header that is
    absent or not an integer (a hostile one can be anything) counts as none."""
    value = (headers or {}).get(H_ATTEMPT)
    if type(value) is not int:  # a bool is an int too, and not a count
        return 0
    return min(max(value, 0), most)


def _bounded_text(value, length: int = 64) -> str | None:
    """A message property for a log line or a context: text, cut to `length`; anything else is dropped."""
    return value[:length] if isinstance(value, str) else None


def redelivery_exchange(service: str) -> str:
    """The direct exchange through which a service moves its consumers' messages between their queues."""
    return f"{service}.retries"


def consumer_service(queue: str) -> str:
    """The service a consumer queue (or one of its delay and dead-letter queues) belongs to."""
    return queue.partition(".")[0]


@dataclass(frozen=True)
class ConsumerTopology:
    """The queues of one consumer: the main queue, its delay queues and its dead-letter queue."""
    queue: str
    exchange: str
    routing_key: str
    delays: tuple[float, ...]
    queue_type: str
    delivery_limit: int  # quorum queues only: returns of a message before the broker dead-letters it

    @classmethod
    def of(cls, consumer: str, event_type: str, config: Mapping[str, Any]) -> ConsumerTopology:
        """The queues of a consumer of an event type, with the retry delays, queue type and delivery limit
        of a config."""
        registered = registry.get(event_type)
        return cls(queue=consumer, exchange=registered.exchange, routing_key=registered.routing_key,
                   delays=retry_delays(config), queue_type=value_of("QUEUE_TYPE", config),
                   delivery_limit=int(value_of("QUEUE_DELIVERY_LIMIT", config)))

    @property
    def quorum(self) -> bool:
        return self.queue_type == "quorum"

    @property
    def dead_letter_queue(self) -> str:
        return self.queue + DEAD_LETTER_SUFFIX

    @property
    def redelivery_exchange(self) -> str:
        return redelivery_exchange(consumer_service(self.queue))

    def first_exchange(self, exchange: str | None, headers) -> str | None:
        """The exchange a delivery first came through: the one it came through, or for a copy that came
        back through this consumer's redelivery exchange (a retry, a parked message, a replayed dead
        letter), the exchange recorded in the copy. Only the service and operators may write there."""
        if exchange != self.redelivery_exchange:
            return exchange
        recorded = (headers or {}).get(H_EXCHANGE)
        return recorded if isinstance(recorded, str) else None

    def untrusted_because(self, exchange: str | None, headers) -> str | None:
        """Why a delivery cannot be the producer's, or None. Names no header's content (it reaches logs)."""
        first = self.first_exchange(exchange, headers)
        if first == self.exchange:
            return None
        if exchange == self.redelivery_exchange:
            return f"a copy on {self.redelivery_exchange} not recorded as first received from {self.exchange}"
        return f"came through exchange {_bounded_text(exchange, 255)!r}, not {self.exchange}"

    def retry_queue(self, attempt: int) -> str:
        return f"{self.queue}.retry.{attempt}"

    def _arguments(self, extra: dict | None = None) -> dict:
        arguments = {"x-queue-type": self.queue_type}
        arguments.update(extra or {})
        return arguments

    def _dead_lettering(self, routing_key: str) -> dict:
        """Where the broker itself moves a message this queue drops: through the redelivery exchange to
        `routing_key`. On a quorum queue at-least-once (RabbitMQ 3.10+): the message stays in its queue
        until the target queue has confirmed its copy, which the broker allows only with overflow
        `reject-publish` (the queues have no length limit, so nothing is ever rejected for it). Classic
        queues dead-letter at most once: a copy lost on its way is gone."""
        arguments: dict = {"x-dead-letter-exchange": self.redelivery_exchange, "x-dead-letter-routing-key": routing_key}
        if self.quorum:
            arguments.update({"x-dead-letter-strategy": "at-least-once", "x-overflow": "reject-publish"})
        return arguments

    def _redelivery(self) -> kombu.Exchange:
        return kombu.Exchange(self.redelivery_exchange, "direct", durable=True)

    def _through_redelivery(self, name: str, arguments: dict | None = None) -> kombu.Queue:
        return kombu.Queue(name, exchange=self._redelivery(), routing_key=name, durable=True,
                           queue_arguments=self._arguments(arguments))

    def main(self) -> kombu.Queue:
        """Bound to the producer's exchange, which the consumer does not declare (its broker user may not:
        `ensure_exchange` checks it exists), and to its own redelivery exchange.

        A quorum queue counts the deliveries of a message that came back unacknowledged (its consumer
        died, or gave it back) and after `delivery_limit` of them dead-letters it to `<queue>.dlq`: a
        message that kills every process that takes it cannot go round for ever."""
        extra = {"x-delivery-limit": self.delivery_limit, **self._dead_lettering(self.dead_letter_queue)} \
            if self.quorum else None
        producer = kombu.Exchange(self.exchange, "topic", durable=True, no_declare=True)
        return kombu.Queue(self.queue, durable=True, queue_arguments=self._arguments(extra), bindings=[
            kombu.binding(producer, routing_key=self.routing_key),
            kombu.binding(self._redelivery(), routing_key=self.queue)])

    def retry(self, attempt: int) -> kombu.Queue:
        delay_ms = int(self.delays[attempt - 1] * 1000)
        return self._through_redelivery(self.retry_queue(attempt), {
            "x-message-ttl": delay_ms, **self._dead_lettering(self.queue)})

    def dead_letters(self) -> kombu.Queue:
        return self._through_redelivery(self.dead_letter_queue)

    def queues(self) -> list[kombu.Queue]:
        """The consumer queue, its dead-letter queue and its delay queues."""
        return [self.main(), self.dead_letters(), *(self.retry(n) for n in range(1, len(self.delays) + 1))]


def copy_of(body: bytes, properties: dict, queue: str, headers: dict) -> OutgoingMessage:
    """A copy of a received message for one of a consumer's queues (through its service's redelivery
    exchange), with new headers."""
    properties = properties or {}
    return OutgoingMessage(
        exchange=redelivery_exchange(consumer_service(queue)), exchange_type="direct", routing_key=queue,
        body=body, headers=headers, message_id=properties.get("message_id"), type=properties.get("type"),
        correlation_id=properties.get("correlation_id"),
        content_type=properties.get("content_type") or "application/octet-stream",
        content_encoding=properties.get("content_encoding") or "binary")


def republish(amqp_uri: str, *, queue: str, body: bytes, properties: dict, headers: dict) -> None:
    """Publish a copy of a message to a consumer's queue, with a confirm, on a connection of its own (tools)."""
    publisher = ConfirmingPublisher(amqp_uri, app_id="binhdang", purpose="tool")
    try:
        publisher.publish_batch([copy_of(body, properties, queue, headers)])
    finally:
        publisher.close()


class UndecodedMessage(kombu.message.Message):
    """A delivery as it came. kombu would inflate a body whose `compression` header asks for it (a
    small bomb becomes gigabytes), and the headers are set after kombu's constructor to prevent that."""

    def __init__(self, msg, channel=None, **kwargs):
        properties = msg.properties
        super().__init__(body=msg.body, channel=channel, delivery_tag=msg.delivery_tag,
                         content_type=properties.get("content_type"),
                         content_encoding=properties.get("content_encoding"), delivery_info=msg.delivery_info,
                         properties=properties, headers=None, **kwargs)
        self.headers = properties.get("application_headers") or {}


class EventQueueConsumer(QueueConsumer):
    """Nameko's queue consumer, handing subscribers the raw message (no decoding of any kind), with
    the publishing connection its subscribers share, and watching dead-letter queue depths."""

    def setup(self):
        super().setup()
        self.publisher = ConfirmingPublisher(self.amqp_uri, app_id=self.container.service_name, purpose="redelivery")
        self._publishing = threading.Lock()  # one batch of confirms at a time on the shared channel

    def get_consumers(self, consumer_cls, channel):
        # py-amqp would decode the body with whatever content_encoding says: keep the bytes
        channel.auto_decode = False
        channel.Message = UndecodedMessage
        for exchange in sorted({provider.topology.exchange for provider in self._providers}):
            ensure_exchange(channel.connection, exchange)
        for provider in self._providers:
            on_message = partial(self.handle_message, provider, None)
            consumer = consumer_cls(queues=[provider.topology.main()], on_message=on_message,
                                    on_decode_error=lambda message, _exc, handle=on_message: handle(message))
            consumer.qos(prefetch_count=self.prefetch_count)
            self._consumers[provider] = consumer
        return self._consumers.values()

    @property
    def connection(self):
        """nameko's connection (heartbeat, transport options), over every node AMQP_URI names, in a random
        order: a cluster's consumers spread over its nodes, and one whose node goes away reconnects to
        another (kombu's ConsumerMixin asks for this connection again at each reconnection)."""
        declared = super().connection
        return amqp_connection.connection(self.amqp_uri, transport_options=declared.transport_options,
                                          heartbeat=declared.heartbeat, ssl=declared.ssl,
                                          login_method=declared.login_method)

    def publish_copy(self, queue: kombu.Queue, message: OutgoingMessage) -> None:
        """Publish to a queue and await the broker's confirm; raises PublishFailed."""
        with self._publishing:
            self.publisher.publish_batch([message], queues=(queue,))

    def start(self):
        super().start()
        if not getattr(self, "_watching", False):
            self._watching = True
            self.container.spawn_managed_thread(self._watch_dead_letters, identifier="dead_letter_watch")

    def stop(self):
        super().stop()
        self.publisher.close()

    def kill(self):
        super().kill()
        self.publisher.close()

    def _watch_dead_letters(self):
        while True:
            for provider in list(self._providers):
                provider.measure_dead_letters()
            eventlet.sleep(DEAD_LETTER_WATCH_SECONDS)


@dataclass
class Delivery:
    """A message being handled, and how long it has been held for reasons that are not its fault."""
    message: kombu.message.Message
    event: ReceivedEvent | None = None
    first_exchange: str | None = None  # as recorded in its copies: trusted only when it is the producer's
    context_data: dict = field(default_factory=dict)
    deferrals: int = 0
    held_since: float = field(default_factory=time.monotonic)

    @property
    def event_id(self) -> str | None:
        return _bounded_text((self.message.properties or {}).get("message_id"))

    @property
    def still_ours(self) -> bool:
        """False once the channel it came on is closed: the broker has taken it back to redeliver it."""
        channel = self.message.channel
        return channel is not None and channel.connection is not None and getattr(channel, "is_open", True)


class EventSubscriber(Entrypoint):
    queue_consumer = EventQueueConsumer()

    def __init__(self, producer: str, event_type: str, **kwargs):
        self.producer = producer
        self.event_type = event_type
        self._stopping = False
        super().__init__(**kwargs)

    def setup(self):
        registered = registry.get(self.event_type)
        if registered.producer != self.producer:
            raise ValueError(f"{self.event_type} is published by {registered.producer}, not {self.producer}")
        config = self.container.config
        self.amqp_uri = config["AMQP_URI"]
        self.consumer_name = consumer_name(self.container.service_name, self.method_name)
        self.topology = ConsumerTopology.of(self.consumer_name, self.event_type, config)
        self.queue_consumer.register_provider(self)

    def stop(self):
        self._stopping = True  # held messages are left to the broker, which redelivers them
        self.queue_consumer.unregister_provider(self)
        super().stop()

    # receiving -----------------------------------------------------------
    def handle_message(self, _body, message):
        """Runs in a thread the container manages: an exception here would kill the process."""
        delivery = Delivery(message)
        try:
            self._receive(delivery)
        except Exception:
            log.exception("could not handle a delivery; it returns to the queue after a delay",
                          extra=self._log_extra(delivery))
            self._spawn(self._requeue_later, delivery)

    def _receive(self, delivery: Delivery) -> None:
        message = delivery.message
        exchange = _bounded_text((message.delivery_info or {}).get("exchange"), 255)
        untrusted = self.topology.untrusted_because(exchange, message.headers)
        # a copy records the exchange it came through, never what a header claimed
        delivery.first_exchange = self.topology.exchange if untrusted is None else exchange
        if untrusted:
            self._move(delivery, self.topology.dead_letters(), attempt=0, error=untrusted, reason="untrusted")
            return
        body = message.body
        try:
            delivery.event = decode_event(body if isinstance(body, bytes) else str(body).encode(), self.event_type)
        except InvalidEvent as exc:
            reason = "untrusted" if isinstance(exc, UntrustedEvent) else "invalid_payload"
            self._move(delivery, self.topology.dead_letters(), attempt=0, error=str(exc), reason=reason)
            return
        correlation_id = delivery.event.envelope.correlationid or (delivery.message.properties or {}).get(
            "correlation_id")
        delivery.context_data = {"correlation_id": accepted_correlation_id(correlation_id)}
        self._run(delivery)

    def _run(self, delivery: Delivery) -> None:
        try:
            self.container.spawn_worker(self, (delivery.event,), {}, context_data=delivery.context_data,
                                        handle_result=partial(self.handle_result, delivery))
        except ContainerBeingKilled:
            self.queue_consumer.requeue_message(delivery.message)

    def handle_result(self, delivery: Delivery, worker_ctx, result=None, exc_info=None):
        """Runs in the worker's thread, whose exceptions kill the process too: this one raises nothing."""
        try:
            if exc_info is None:
                outcome = "duplicate" if result is False else "processed"
                metrics.EVENTS_CONSUMED.labels(self.container.service_name, self.consumer_name, self.event_type,
                                               outcome).inc()
                self.queue_consumer.ack_message(delivery.message)
            elif is_transient(exc_info[1]):
                self._defer(delivery)
            else:
                self._retry_or_dead_letter(delivery, exc_info[1])
        except Exception:
            log.exception("could not settle a delivery; it returns to the queue after a delay",
                          extra=self._log_extra(delivery))
            self._spawn(self._requeue_later, delivery)
        return result, exc_info

    # failures that are not the message's: hold it, try again later -----------
    def _defer(self, delivery: Delivery) -> None:
        metrics.EVENTS_DEFERRED.labels(self.container.service_name, self.consumer_name).inc()
        delivery.deferrals += 1
        self._spawn(self._run_again_later, delivery)

    def _run_again_later(self, delivery: Delivery) -> None:
        eventlet.sleep(backoff(delivery.deferrals, cap=HOLD_MAX_DELAY_SECONDS))
        if self._stopping or not delivery.still_ours:
            return
        if time.monotonic() - delivery.held_since < HOLD_LIMIT_SECONDS or not self.topology.delays:
            self._run(delivery)
            return
        # park it: through the first delay queue back to this one, its attempts unchanged
        attempt = attempts_so_far(delivery.message.headers, len(self.topology.delays))
        self._move(delivery, self.topology.retry(1), attempt=attempt, error="held while a dependency was away")

    # failures caused by the message: the retry ladder, then dead letters ------
    def _retry_or_dead_letter(self, delivery: Delivery, exc: BaseException) -> None:
        error = f"{type(exc).__name__}: {exc}"
        attempt = attempts_so_far(delivery.message.headers, len(self.topology.delays)) + 1
        if attempt > len(self.topology.delays):
            self._move(delivery, self.topology.dead_letters(), attempt=attempt, error=error, reason="handler_failed")
            return
        self._move(delivery, self.topology.retry(attempt), attempt=attempt, error=error)
        metrics.EVENTS_RETRIED.labels(self.container.service_name, self.consumer_name).inc()
        log.warning("event handler failed; retry %d of %d scheduled", attempt, len(self.topology.delays),
                    extra={**self._log_extra(delivery), "exc_type": type(exc).__name__})

    def _move(self, delivery: Delivery, queue: kombu.Queue, *, attempt: int, error: str,
              reason: str | None = None) -> None:
        """Copy the message to `queue` (confirmed), then ack it. If the copy fails, it is tried again
        later in a thread of its own, and the message stays unacked meanwhile."""
        headers = self._headers(attempt, error, reason, delivery.first_exchange)
        if not self._try_move(delivery, queue, headers, failures=0):
            self._spawn(self._keep_moving, delivery, queue, headers)
            return
        if reason:
            metrics.EVENTS_DEAD_LETTERED.labels(self.container.service_name, self.consumer_name, reason).inc()
            log.error("event dead-lettered", extra={**self._log_extra(delivery), "reason": reason,
                                                    "detail": error[:MAX_ERROR_CHARS]})

    def _try_move(self, delivery: Delivery, queue: kombu.Queue, headers: dict, failures: int) -> bool:
        try:
            message = delivery.message
            self.queue_consumer.publish_copy(queue, copy_of(message.body, message.properties, queue.name, headers))
        except Exception as exc:
            metrics.EVENT_MOVES_FAILED.labels(self.container.service_name, self.consumer_name).inc()
            if failures == 0:
                log.warning("could not copy an event to %s (%s); trying again after a delay", queue.name,
                            type(exc).__name__, extra=self._log_extra(delivery))
            return False
        self.queue_consumer.ack_message(delivery.message)
        return True

    def _keep_moving(self, delivery: Delivery, queue: kombu.Queue, headers: dict) -> None:
        for failures in range(1, MOVE_ATTEMPTS):
            eventlet.sleep(backoff(failures, cap=MOVE_MAX_DELAY_SECONDS))
            if self._stopping or not delivery.still_ours:
                return
            if self._try_move(delivery, queue, headers, failures):
                if headers.get(H_REASON):
                    metrics.EVENTS_DEAD_LETTERED.labels(self.container.service_name, self.consumer_name,
                                                        headers[H_REASON]).inc()
                log.info("event copied to %s after %d failed attempts", queue.name, failures,
                         extra=self._log_extra(delivery))
                return
        log.warning("could not copy an event to %s in %d attempts; it returns to the queue", queue.name,
                    MOVE_ATTEMPTS, extra=self._log_extra(delivery))
        self.queue_consumer.requeue_message(delivery.message)

    def _requeue_later(self, delivery: Delivery) -> None:
        eventlet.sleep(MOVE_MAX_DELAY_SECONDS)
        if not self._stopping:
            self.queue_consumer.requeue_message(delivery.message)

    def _headers(self, attempt: int, error: str, reason: str | None, first_exchange: str | None) -> dict:
        """This module's headers only, each bounded: nothing the received message carried is copied."""
        headers = {
            H_ATTEMPT: attempt,
            H_ERROR: error[:MAX_ERROR_CHARS],
            H_QUEUE: self.topology.queue,
            H_EXCHANGE: first_exchange or "",
            H_ROUTING_KEY: self.topology.routing_key,
            H_FAILED_AT: datetime.now(UTC).isoformat(),
        }
        if reason:
            headers[H_REASON] = reason
        return headers

    def _spawn(self, function, *args) -> None:
        self.container.spawn_managed_thread(partial(self._guarded, function, *args),
                                            identifier=f"{self.consumer_name}.{function.__name__}")

    def _guarded(self, function, delivery: Delivery, *args) -> None:
        """A managed thread that raises kills the process: log instead; the broker keeps the message."""
        try:
            function(delivery, *args)
        except Exception:
            log.exception("delivery handling failed in %s", function.__name__, extra=self._log_extra(delivery))

    def _log_extra(self, delivery: Delivery) -> dict:
        return {"consumer": self.consumer_name, "event_id": delivery.event_id}

    def measure_dead_letters(self) -> None:
        try:
            depth = queue_depth(self.amqp_uri, self.topology.dead_letter_queue)
        except Exception:
            return  # broker unreachable; the next round tries again
        metrics.DEAD_LETTER_DEPTH.labels(self.container.service_name, self.topology.dead_letter_queue).set(depth)


class ExchangeMissing(RuntimeError):
    pass


def ensure_exchange(connection, name: str) -> None:
    """Make sure a producer's exchange exists before a consumer binds to it. Where the broker has a
    user per service, a consumer may bind to another service's exchange but not declare it (declaring
    includes the right to delete it): `binhdang declare-topology` declares every exchange first. With
    a broker login that may (development), a missing one is declared here."""
    channel = connection.channel()
    try:
        channel.exchange_declare(name, "topic", durable=True, passive=True)  # needs no permission
    except amqp.exceptions.NotFound:
        channel = connection.channel()  # the refusal closed the channel
        try:
            channel.exchange_declare(name, "topic", durable=True, auto_delete=False)
        except amqp.exceptions.AccessRefused:
            raise ExchangeMissing(f"exchange {name} does not exist and this broker user may not declare it: "
                                  "run `binhdang declare-topology` before the services start") from None
    finally:
        if channel.is_open:
            channel.close()


def queue_depth(amqp_uri: str, queue: str) -> int:
    """Messages ready in a queue; 0 if it does not exist yet."""
    with amqp_connection.connect(amqp_uri) as connection:
        channel = connection.channel()
        try:
            _, count, _ = channel.queue_declare(queue, passive=True)
            return int(count)
        except Exception as exc:
            if getattr(exc, "code", None) == 404:
                return 0
            raise


subscribe = EventSubscriber.decorator

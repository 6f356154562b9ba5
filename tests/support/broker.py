"""Plain-kombu helpers for tests: a private vhost, bind a private queue, collect messages, delete test queues."""
import json
import shutil
import subprocess
import time
import uuid
from contextlib import contextmanager

import kombu


@contextmanager
def private_vhost(label: str = "test"):
    """The AMQP URI of a new, empty RabbitMQ virtual host (made with rabbitmqctl), deleted afterwards."""
    ctl = shutil.which("rabbitmqctl")
    if ctl is None:
        raise RuntimeError("rabbitmqctl not found: cannot make a private vhost")
    vhost = f"binhdang-{label}-{uuid.uuid4().hex[:8]}"
    subprocess.run([ctl, "add_vhost", vhost], check=True, capture_output=True)
    subprocess.run([ctl, "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*"], check=True, capture_output=True)
    try:
        yield f"amqp://guest:guest@127.0.0.1:5672/{vhost}"
    finally:
        subprocess.run([ctl, "delete_vhost", vhost], check=False, capture_output=True)


class Collector:
    """A private, exclusive queue bound to an exchange, like an outside subscriber's."""

    def __init__(self, amqp_uri: str, bindings: list[tuple[str, str]]):
        self.connection = kombu.Connection(amqp_uri)
        self.channel = self.connection.channel()
        self.queue_name = f"test-collector-{uuid.uuid4().hex[:8]}"
        self.channel.queue_declare(self.queue_name, exclusive=True, auto_delete=True)
        for exchange, routing_key in bindings:
            self.channel.exchange_declare(exchange, "topic", durable=True, auto_delete=False)
            self.channel.queue_bind(self.queue_name, exchange, routing_key)
        self.messages: list[kombu.Message] = []

    def collect(self, until, timeout: float = 20.0) -> list:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not until(self.messages):
            raw = self.channel.basic_get(self.queue_name, no_ack=True)
            if raw is None:
                time.sleep(0.05)
                continue
            self.messages.append(self.channel.message_to_python(raw))
        return self.messages

    def bodies(self) -> list[dict]:
        return [json.loads(m.body) for m in self.messages]

    def close(self):
        self.connection.release()


def raw_bytes(message) -> bytes:
    """The body as it crossed the wire (kombu hands utf-8 bodies over as str)."""
    return message.body if isinstance(message.body, bytes) else message.body.encode("utf-8")


def delete_queues(amqp_uri: str, names: list[str]) -> None:
    with kombu.Connection(amqp_uri) as connection:
        channel = connection.channel()
        for name in names:
            try:
                channel.queue_delete(name)
            except Exception:
                channel = connection.channel()


def delete_consumer_queues(amqp_uri: str, service: str) -> None:
    """Every queue of the service's consumers (main, delay and dead-letter queues): what earlier tests left in
    them would reach this test's service."""
    from services.ops.topology import consumer_topologies

    delete_queues(amqp_uri, [queue.name for t in consumer_topologies({}) if t.queue.startswith(f"{service}.")
                             for queue in t.queues()])


def publish_raw(amqp_uri: str, exchange: str, routing_key: str, body: bytes, message_id: str | None = None):
    with kombu.Connection(amqp_uri, transport_options={"confirm_publish": True}) as connection:
        connection.Producer().publish(body, exchange=exchange, routing_key=routing_key,
                                      content_type="application/cloudevents+json", content_encoding="utf-8",
                                      message_id=message_id, delivery_mode=2,
                                      declare=[kombu.Exchange(exchange, "topic", durable=True)])


def put_dead_letter(amqp_uri: str, consumer_queue: str, data, *, reason: str = "handler_failed",
                    attempts: int = 3, config: dict | None = None) -> str:
    """An event (`data`, a contract model) in a consumer's dead-letter queue, as the consumer leaves one that
    failed every try: the headers it writes, the exchange the event first came through recorded. The queue
    is declared as the consumer declares it (QUEUE_TYPE of `config`). Returns the event id."""
    from datetime import UTC, datetime

    from services.common import subscriber as sub
    from services.common.events import registry
    from tests.support.plan_events import wire

    event_type = registry.for_model(type(data))
    event_id, body = wire(data)
    with kombu.Connection(amqp_uri) as connection:
        topology = sub.ConsumerTopology.of(consumer_queue, event_type.name, config or {})
        topology.dead_letters()(connection.channel()).declare()
    headers = {sub.H_ATTEMPT: attempts, sub.H_ERROR: "RuntimeError: thử nghiệm", sub.H_QUEUE: consumer_queue,
               sub.H_EXCHANGE: event_type.exchange, sub.H_ROUTING_KEY: event_type.routing_key,
               sub.H_FAILED_AT: datetime.now(UTC).isoformat(), sub.H_REASON: reason}
    with kombu.Connection(amqp_uri, transport_options={"confirm_publish": True}) as connection:
        connection.Producer().publish(body, exchange="", routing_key=consumer_queue + sub.DEAD_LETTER_SUFFIX,
                                      content_type="application/cloudevents+json", content_encoding="utf-8",
                                      message_id=str(event_id), type=event_type.name, delivery_mode=2,
                                      headers=headers)
    return str(event_id)

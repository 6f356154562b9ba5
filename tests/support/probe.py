"""A probe service that consumes `plan.issued.v1` through `@subscribe`, as a real consumer would.

It stores the event's first unit (code and name) in columns of the contract's sizes, so that what
a schema-valid event carries always fits. Its name is unique per test, and so are its queues.
"""
from __future__ import annotations

import uuid

import kombu
import sqlalchemy as sa

from services.common.db import make_engine
from services.common.events.envelope import build_event
from services.common.providers import Database
from services.common.subscriber import H_EXCHANGE, consumer_service, redelivery_exchange
from services.common.tables import messaging_metadata
from tests.support.broker import delete_queues
from tests.support.outbox_fixtures import sample_plan_issued

probe_metadata = sa.MetaData()
effects = sa.Table("effects", probe_metadata, sa.Column("id", sa.Integer, primary_key=True),
                   sa.Column("event_id", sa.String(36)), sa.Column("plan_id", sa.String(36)),
                   sa.Column("unit_code", sa.String(64)), sa.Column("unit_name", sa.String(300)))


def make_probe(behaviour: dict, name: str | None = None):
    from services.common.subscriber import subscribe

    def on_plan_issued(self, event):
        behaviour["calls"] += 1
        if behaviour["unavailable"] > 0:  # as if the database were away for that many tries
            behaviour["unavailable"] -= 1
            raise sa.exc.OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused"))
        if behaviour["fail"]:
            raise RuntimeError("the projection is broken")
        unit = event.data.units[0]
        return self.db.apply_once(event, lambda session, e: session.execute(effects.insert().values(
            event_id=str(e.id), plan_id=str(e.data.plan_id), unit_code=unit.unit_code, unit_name=unit.name)))

    name = name or f"probe_{uuid.uuid4().hex[:8]}"
    return type("Probe", (), {
        "name": name,
        "db": Database(probe_metadata, "unused:migrations"),
        "on_plan_issued": subscribe("plans", "plan.issued.v1")(on_plan_issued),
    })


class Probe:
    """A started probe container, its behaviour switches, its database and its queues."""

    def __init__(self, container_factory, database_url: str, amqp_uri: str, name: str | None = None, **settings):
        self.amqp_uri = amqp_uri
        self.engine = make_engine(database_url)
        probe_metadata.create_all(self.engine)
        messaging_metadata.create_all(self.engine)
        self.behaviour = {"fail": False, "calls": 0, "unavailable": 0}
        self.cls = make_probe(self.behaviour, name)
        config = {"AMQP_URI": amqp_uri, "DATABASE_URL": database_url, "AUTO_MIGRATE": "false",
                  "RETRY_DELAYS_SECONDS": "0.2,0.4", "QUEUE_TYPE": "classic", "max_workers": 4,
                  "OUTBOX_POLL_SECONDS": "0.1", **settings}
        self.container = container_factory(self.cls, config)
        self.queue = f"{self.cls.name}.on_plan_issued"
        self.container.start()

    @property
    def name(self) -> str:
        return self.cls.name

    @property
    def alive(self) -> bool:
        return not self.container._died.ready()

    def publish(self, body: bytes, *, headers: dict | None = None, **properties) -> None:
        """Publish raw bytes to the probe's queue as if they had come through plans.events, with any
        headers and properties (see `deliver_to`)."""
        deliver_to(self.amqp_uri, self.queue, "plans.events", body, headers=headers, **properties)

    def effects(self) -> list:
        with self.engine.connect() as connection:
            return list(connection.execute(sa.select(effects.c.event_id, effects.c.unit_code,
                                                     effects.c.unit_name)).all())

    def effect_count(self) -> int:
        return len(self.effects())

    def queues(self) -> list[str]:
        return [self.queue, f"{self.queue}.retry.1", f"{self.queue}.retry.2", f"{self.queue}.dlq"]

    def close(self):
        self.container.stop()
        delete_queues(self.amqp_uri, self.queues())
        self.engine.dispose()


def event_body(commune: str = "07654", **unit) -> bytes:
    data = sample_plan_issued(commune)
    if unit:
        data = data.model_copy(update={"units": [data.units[0].model_copy(update=unit)]})
    return build_event(service="plans", event_type="plan.issued.v1", data=data, subject=None,
                       commune_code=commune).to_json_bytes()


def deliver_to(amqp_uri: str, queue: str, first_exchange: str, body: bytes, *, headers: dict | None = None,
               **properties) -> None:
    """Put raw bytes into one consumer queue as a replayed dead letter comes back: through the consumer
    service's redelivery exchange, recorded as first received from `first_exchange` (a header given in
    `headers` wins). No other test's queue bound to the producer's exchange gets a copy."""
    headers = {H_EXCHANGE: first_exchange, **(headers or {})}
    publish_to(amqp_uri, redelivery_exchange(consumer_service(queue)), queue, body, headers=headers,
               exchange_type="direct", **properties)


def publish_to(amqp_uri: str, exchange: str, routing_key: str, body: bytes, *, headers: dict | None = None,
               exchange_type: str = "topic", **properties) -> None:
    """Publish raw bytes with any headers and properties (confirmed). Exchange "": straight to the queue
    named by the routing key, as only a broker login allowed to use the default exchange can."""
    properties.setdefault("content_type", "application/cloudevents+json")
    properties.setdefault("content_encoding", "utf-8")
    declare = [kombu.Exchange(exchange, exchange_type, durable=True)] if exchange else []
    with kombu.Connection(amqp_uri, transport_options={"confirm_publish": True}) as connection:
        connection.Producer().publish(body, exchange=exchange, routing_key=routing_key, headers=headers or {},
                                      delivery_mode=2, declare=declare, **properties)

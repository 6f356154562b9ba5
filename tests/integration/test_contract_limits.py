"""A schema-valid event is always storable: the largest event of each type, stored by each of its consumers.

Run on PostgreSQL, which enforces column lengths and integer ranges (SQLite does not). An event that
fits its JSON Schema but not a consumer's columns would be retried and dead-lettered instead of applied.
"""
import json

import pytest
import sqlalchemy as sa

from services.common import metrics
from services.common.inbox import consumer_name
from services.common.subscriber import queue_depth
from services.common.tables import inbox_table
from services.notifications.service import NotificationsService
from services.ops.topology import subscriptions
from services.plans.service import PlansService
from services.reporting.service import ReportingService
from tests.support.broker import delete_queues
from tests.support.largest_events import largest_body
from tests.support.probe import deliver_to
from tests.support.service_http import start_service
from tests.support.waiting import wait_until

pytestmark = pytest.mark.integration


def subscriptions_of(service_cls) -> dict[str, str]:
    """Consumer queue -> the event type it consumes."""
    return {consumer_name(cls.name, handler): entrypoint.event_type
            for cls, handler, entrypoint in subscriptions() if cls is service_cls}


@pytest.mark.parametrize("service_cls", [PlansService, ReportingService, NotificationsService],
                         ids=lambda cls: cls.name)
def test_the_largest_event_of_each_type_is_stored_by_each_consumer(service_cls, container_factory, postgres,
                                                                  amqp_uri, tmp_path):
    from services.common.events import registry

    consumers = {queue: registry.get(event_type) for queue, event_type in subscriptions_of(service_cls).items()}
    assert consumers
    delete_queues(amqp_uri, [queue + suffix for queue in consumers for suffix in ("", ".retry.1", ".dlq")])
    url = postgres.create(service_cls.name)
    container, _ = start_service(container_factory, service_cls, url, amqp_uri, tmp_path)
    retried = {queue: metrics.EVENTS_RETRIED.labels(service_cls.name, queue)._value.get() for queue in consumers}
    expected = set()
    for queue, event in consumers.items():
        body = largest_body(event)
        expected.add((queue, json.loads(body)["id"]))
        deliver_to(amqp_uri, queue, event.exchange, body)  # to this consumer only: other tests' queues are bound too

    engine = sa.create_engine(url)

    def applied():
        with engine.connect() as connection:
            return set(connection.execute(sa.select(inbox_table.c.consumer, inbox_table.c.event_id)).all())

    try:
        wait_until(lambda: expected <= applied(), timeout=120)
    finally:
        engine.dispose()
        # let the workers finish (notifications deliver after recording) and ack: a killed worker's
        # message would go back to the shared queue, and to the next test's service
        container.stop()
    for queue in consumers:
        assert queue_depth(amqp_uri, f"{queue}.dlq") == 0, queue
        assert metrics.EVENTS_RETRIED.labels(service_cls.name, queue)._value.get() == retried[queue], queue

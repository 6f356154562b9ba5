"""Two notifications processes (`binhdang run notifications`) on one PostgreSQL database share a burst:
each notification reaches the channel once and is announced once on notifications.events."""
import os

import pytest
import sqlalchemy as sa

from services.processes import ServiceProcesses
from tests.integration.test_notification_delivery import (
    announced,
    assert_each_delivered_once,
    channel_lines,
    wait_for_delivery,
)
from tests.support.broker import Collector, delete_consumer_queues
from tests.support.plan_events import plan_issued, publish
from tests.support.service_http import free_ports

pytestmark = pytest.mark.e2e


def test_two_processes_deliver_each_notification_once(postgres, amqp_uri, tmp_path):
    delete_consumer_queues(amqp_uri, "notifications")  # a message an earlier test left would add notifications
    url = postgres.create("notifications")
    channel_file = tmp_path / "channel.jsonl"
    collector = Collector(amqp_uri, [("notifications.events", "notification.delivered.v1")])
    replicas = [ServiceProcesses(dict(os.environ, AMQP_URI=amqp_uri, DATABASE_URL=url, DATA_DIR=str(tmp_path),
                                      NOTIFICATION_FILE=str(channel_file), **free_ports("notifications"),
                                      OUTBOX_POLL_SECONDS="0.1", LOG_LEVEL="WARNING"),
                                 tmp_path / f"logs-{n}", services=("notifications",)) for n in range(2)]
    try:
        for replica in replicas:
            replica.start()
        plans, units = 20, 40
        expected = plans * (units + 1)
        for _ in range(plans):
            publish(amqp_uri, plan_issued("07543", [f"U{n}" for n in range(units)]))
        engine = sa.create_engine(url)
        seconds = wait_for_delivery(engine, expected, timeout=180)
        print(f"\n{expected} notifications delivered by 2 processes in {seconds:.1f}s ({expected / seconds:.0f}/s)")
    finally:
        for replica in replicas:
            assert set(replica.stop().values()) == {0}  # a clean stop: nothing left half-delivered
    events = announced(collector, expected)
    collector.close()
    assert_each_delivered_once(engine, channel_lines(channel_file), events, expected)
    engine.dispose()

"""Notification delivery under load: each notification reaches the channel once, and is announced once.

Found under load (40 plans issued in 8 s): every delivering worker was handed the same pending ids and
checked their status without a lock, so notifications were written up to 9 times and
`notification.delivered.v1` published for each copy.
"""
import json
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from services.common.tables import outbox_table
from services.notifications.models import Notification
from services.notifications.service import NotificationsService
from tests.support.broker import Collector, delete_consumer_queues
from tests.support.plan_events import plan_issued, publish
from tests.support.service_http import free_port, service_config

pytestmark = pytest.mark.integration

COMMUNE = "07543"


def delivered_count(engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(sa.select(sa.func.count()).select_from(Notification)
                                 .where(Notification.status == "delivered"))


def delivered_events_pending(engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(sa.select(sa.func.count()).select_from(outbox_table).where(
            outbox_table.c.event_type == "notification.delivered.v1", outbox_table.c.sent_at.is_(None)))


def wait_for_delivery(engine, expected: int, timeout: float) -> float:
    """Seconds until every notification is delivered and announced (or the timeout: the asserts then say why)."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if delivered_count(engine) >= expected and delivered_events_pending(engine) == 0:
            break
        time.sleep(0.1)
    return time.monotonic() - started


def channel_lines(path: Path) -> Counter:
    """How many times each notification was written to the file channel."""
    if not path.exists():
        return Counter()
    return Counter(json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines())


def announced(collector: Collector, at_least: int) -> Counter:
    """notification.delivered.v1 events received, per notification, once the queue is drained."""
    collector.collect(lambda got: len(got) >= at_least, timeout=30)
    collector.collect(lambda got: False, timeout=1)  # anything beyond: duplicates
    return Counter(json.loads(m.body)["data"]["notification_id"] for m in collector.messages)


def assert_each_delivered_once(engine, channel: Counter, events: Counter, expected: int) -> None:
    assert delivered_count(engine) == expected
    assert len(channel) == expected
    assert [n for n, copies in channel.items() if copies > 1] == [], "written to the channel more than once"
    assert set(events) == set(channel)
    assert [n for n, copies in events.items() if copies > 1] == [], "notification.delivered.v1 more than once"


def test_replicas_with_concurrent_workers_deliver_each_notification_once(container_factory, postgres, amqp_uri,
                                                                         tmp_path):
    delete_consumer_queues(amqp_uri, "notifications")  # a message an earlier test left would add notifications
    url = postgres.create("notifications")
    channel_file = tmp_path / "channel.jsonl"
    collector = Collector(amqp_uri, [("notifications.events", "notification.delivered.v1")])
    replicas = [container_factory(NotificationsService, service_config(
        "notifications", free_port(), amqp_uri, tmp_path, url, MAX_WORKERS="10", OUTBOX_POLL_SECONDS="0.1",
        NOTIFICATION_FILE=str(channel_file), LOG_LEVEL="WARNING")) for _ in range(2)]  # 10 workers each, one database
    for replica in replicas:
        replica.start()
    plans, units = 40, 63
    expected = plans * (units + 1)  # every unit, and the commune officer
    for _ in range(plans):
        publish(amqp_uri, plan_issued(COMMUNE, [f"U{n}" for n in range(units)]))
    engine = sa.create_engine(url)
    seconds = wait_for_delivery(engine, expected, timeout=240)
    print(f"\n{expected} notifications delivered by 2 replicas in {seconds:.1f}s ({expected / seconds:.0f}/s)")
    for replica in replicas:
        replica.stop()  # no channel write may still be in flight when the file is read
    events = announced(collector, expected)
    collector.close()
    assert_each_delivered_once(engine, channel_lines(channel_file), events, expected)
    engine.dispose()


def test_a_lease_left_by_a_dead_worker_expires_and_another_worker_delivers(postgres, tmp_path):
    """A process killed between claiming deliveries and sending them leaves only its lease behind; one killed
    between writing a notification to the file channel and recording it sent does not get it written twice."""
    from services.common.db import TransactionRunner, make_engine
    from services.common.migrations import upgrade_to_head
    from services.common.roles import Role
    from services.notifications.channels.file import FileChannel
    from services.notifications.dispatch import Contacts, Dispatcher, Notice, Policy, Recipient

    engine = make_engine(postgres.create("notifications"))
    upgrade_to_head(engine, "services.notifications:migrations")
    runner = TransactionRunner(engine)
    now = datetime.now(UTC)
    clock = [now]
    policy = Policy(max_attempts=3, retry_seconds=30, urgent_fallback=(), webhook_max_failures=10,
                    public_url="http://localhost", lease_seconds=30)
    dispatcher = Dispatcher({"file": FileChannel(str(tmp_path / "channel.jsonl"))}, policy, now=lambda: clock[0])
    notice = Notice(kind="commune_report_accepted", commune_code=COMMUNE, source_key=str(uuid.uuid4()),
                    source_type="commune_report.accepted.v1", urgent=False,
                    context={"commune_name": "xã Sơn Hải", "year": 2026, "link": "/"})
    with runner.transaction() as session:
        dispatcher.enqueue(session, notice, [
            Recipient(key=f"U{n}", role=Role.UNIT_REPORTER, unit_code=f"U{n}", contacts=Contacts(),
                      channels=("file",)) for n in range(3)], now=now)
    with runner.transaction() as session:
        dead_worker = dispatcher.claim_due(session, "file", token="dead-worker", limit=10)
    assert len(dead_worker) == 3

    def sweep(seconds):
        clock[0] = now + timedelta(seconds=seconds)
        return dispatcher.sweep(runner, "file")

    assert sweep(10) == 0  # the lease still holds: nobody else delivers
    assert channel_lines(tmp_path / "channel.jsonl") == Counter()
    # the dead worker had written one to the channel, then died before recording it sent
    dispatcher.channels["file"].send(None, json.loads(dead_worker[0].content))
    assert sweep(31) == 3  # expired: another worker takes them, writes the two others
    assert sweep(62) == 0
    lines = channel_lines(tmp_path / "channel.jsonl")
    assert sorted(lines.values()) == [1, 1, 1]
    with engine.connect() as connection:
        assert connection.scalar(sa.select(sa.func.count()).select_from(outbox_table)) == 3
    engine.dispose()

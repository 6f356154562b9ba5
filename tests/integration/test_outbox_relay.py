"""The relay against real PostgreSQL and RabbitMQ."""
import logging
import threading
import time
from datetime import UTC, datetime

import pytest

from services.common import metrics, outbox
from services.common.amqp_publish import ConfirmingPublisher
from services.common.outbox_relay import OutboxRelay
from tests.support.broker import Collector
from tests.support.outbox_fixtures import pending_count, runner_for, write_events
from tests.support.tcp_proxy import proxied
from tests.support.waiting import wait_until

pytestmark = pytest.mark.integration

COMMUNE = "07642"


@pytest.fixture
def runner(postgres):
    return runner_for(postgres.create("outbox"))


def relay_through(runner, amqp_uri):
    return OutboxRelay(runner, "plans", ConfirmingPublisher(amqp_uri, app_id="plans", connect_timeout=1),
                       batch_size=50, poll_seconds=0.05, lease_seconds=30)


def test_events_written_while_the_broker_is_down_go_out_when_it_returns(runner, amqp_uri):
    proxy, proxied_uri = proxied(amqp_uri)
    collector = Collector(amqp_uri, [("plans.events", "plan.issued.v1")])
    relay = relay_through(runner, proxied_uri)
    worker = threading.Thread(target=relay.run, daemon=True)
    worker.start()
    try:
        first = write_events(runner, 1, COMMUNE)
        relay.wake()
        collector.collect(lambda got: len(got) >= 1)
        proxy.cut()
        during = write_events(runner, 3, COMMUNE)
        relay.wake()
        time.sleep(1.5)  # the relay tries, fails, backs off
        assert pending_count(runner) == 3
        proxy.restore()
        collector.collect(lambda got: len(got) >= 4, timeout=30)
        received = [m.properties["message_id"] for m in collector.messages]
        assert set(first + during) <= set(received)
        wait_until(lambda: pending_count(runner) == 0, timeout=10.0)
    finally:
        relay.stop()
        worker.join(5)
        proxy.cut()
        collector.close()


def test_published_messages_are_persistent_confirmed_cloudevents(runner, amqp_uri):
    collector = Collector(amqp_uri, [("plans.events", "plan.issued.v1")])
    try:
        ids = write_events(runner, 120, COMMUNE)
        relay_through(runner, amqp_uri).drain()
        messages = collector.collect(lambda got: len(got) >= 120)
        assert [m.properties["message_id"] for m in messages] == ids  # order kept within one relay
        assert all(m.properties["delivery_mode"] == 2 for m in messages)
        assert all(m.content_type == "application/cloudevents+json" for m in messages)
        with runner.transaction() as session:
            assert outbox.backlog(session, datetime.now(UTC)) == (0, 0.0)
    finally:
        collector.close()


def test_concurrent_relays_on_postgres_claim_disjoint_rows(runner):
    write_events(runner, 40, COMMUNE)
    barrier = threading.Barrier(4)
    batches = []

    def claim():
        barrier.wait()
        with runner.transaction() as session:
            batches.append(outbox.claim_batch(session, limit=15, lease_seconds=30,
                                              now=datetime.now(UTC))[1])

    threads = [threading.Thread(target=claim) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    claimed = [e.event_id for batch in batches for e in batch]
    assert len(claimed) == len(set(claimed)) == 40


@pytest.mark.slow
def test_the_relay_resumes_within_seconds_of_the_broker_returning(runner, amqp_uri, caplog):
    """Found by fault injection: the relay slept out its full back-off (15 s) while /ready already said 200.

    Its back-off may now grow to two minutes, yet it resumes at once: an unreachable broker is probed
    every second, and the first connection that opens sends the pending events.
    """
    caplog.set_level(logging.INFO)
    proxy, proxied_uri = proxied(amqp_uri)
    collector = Collector(amqp_uri, [("plans.events", "plan.issued.v1")])
    relay = OutboxRelay(runner, "plans", ConfirmingPublisher(proxied_uri, app_id="plans", connect_timeout=1),
                        batch_size=50, poll_seconds=0.05, lease_seconds=30, max_backoff=120)
    worker = threading.Thread(target=relay.run, daemon=True)
    worker.start()
    probes = metrics.DEPENDENCY_FAILURES.labels("plans", "broker")
    try:
        write_events(runner, 1, COMMUNE)
        relay.wake()
        collector.collect(lambda got: len(got) >= 1)
        proxy.cut()
        failures_before = probes._value.get()
        write_events(runner, 3, COMMUNE)
        relay.wake()
        time.sleep(20)  # an exponential back-off would now be sleeping for many seconds more
        assert pending_count(runner) == 3
        assert probes._value.get() - failures_before >= 10  # one probe a second, not a long sleep
        proxy.restore()
        restored = time.monotonic()
        collector.collect(lambda got: len(got) >= 4, timeout=60)
        resumed_after = time.monotonic() - restored
    finally:
        relay.stop()
        worker.join(5)
        proxy.cut()
        collector.close()
    assert resumed_after < 5, f"resumed {resumed_after:.1f} s after the broker returned"
    went, back = [r.getMessage() for r in caplog.records if r.name == "services.common.outages"]
    assert went.startswith("broker unreachable") and back.startswith("broker reachable again")

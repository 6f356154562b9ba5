"""Idempotency, retries, dead letters and replay of `@subscribe`, against real RabbitMQ and PostgreSQL.

A probe service with a unique name consumes `plan.issued.v1` like a real service would;
its queues are deleted afterwards.
"""
import json
import time
import uuid

import pytest
import sqlalchemy as sa

from services.common import dead_letters, metrics
from services.common.db import Database, make_engine
from services.common.events.envelope import build_event
from services.common.subscriber import queue_depth, subscribe
from services.common.tables import messaging_metadata
from tests.support.broker import delete_queues, publish_raw
from tests.support.outbox_fixtures import sample_plan_issued
from tests.support.waiting import wait_until

pytestmark = pytest.mark.integration

probe_metadata = sa.MetaData()
effects = sa.Table("effects", probe_metadata, sa.Column("id", sa.Integer, primary_key=True),
                   sa.Column("event_id", sa.String(36)), sa.Column("plan_id", sa.String(36)))


def make_probe(behaviour: dict):
    def on_plan_issued(self, event):
        behaviour["calls"] += 1
        if behaviour["fail"]:
            raise RuntimeError("the projection is broken")
        return self.db.apply_once(event, lambda session, e: session.execute(
            effects.insert().values(event_id=str(e.id), plan_id=str(e.data.plan_id))))

    name = f"probe_{uuid.uuid4().hex[:8]}"
    return type("Probe", (), {
        "name": name,
        "db": Database(probe_metadata, "unused:migrations"),
        "on_plan_issued": subscribe("plans", "plan.issued.v1")(on_plan_issued),
    })


@pytest.fixture
def probe(container_factory, postgres, amqp_uri):
    url = postgres.create("probe")
    engine = make_engine(url)
    probe_metadata.create_all(engine)
    messaging_metadata.create_all(engine)
    behaviour = {"fail": False, "calls": 0}
    cls = make_probe(behaviour)
    config = {"AMQP_URI": amqp_uri, "DATABASE_URL": url, "AUTO_MIGRATE": "false",
              "RETRY_DELAYS_SECONDS": "0.2,0.4", "QUEUE_TYPE": "classic", "max_workers": 4,
              "OUTBOX_POLL_SECONDS": "0.1"}
    container = container_factory(cls, config)
    container.start()
    queue = f"{cls.name}.on_plan_issued"
    yield cls, behaviour, engine, queue
    container.stop()
    delete_queues(amqp_uri, [queue, f"{queue}.retry.1", f"{queue}.retry.2", f"{queue}.dlq"])


def event_body(commune="27992"):
    return build_event(service="plans", event_type="plan.issued.v1", data=sample_plan_issued(commune),
                       subject=None, commune_code=commune).to_json_bytes()


def effect_count(engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(sa.select(sa.func.count()).select_from(effects))


def counter(metric, *labels) -> float:
    return metric.labels(*labels)._value.get()


def test_the_same_event_delivered_twice_changes_state_once(probe, amqp_uri):
    cls, behaviour, engine, queue = probe
    body = event_body()
    publish_raw(amqp_uri, "plans.events", "plan.issued.v1", body)
    publish_raw(amqp_uri, "plans.events", "plan.issued.v1", body)
    wait_until(lambda: behaviour["calls"] >= 2)
    wait_until(lambda: counter(metrics.EVENTS_CONSUMED, cls.name, queue, "plan.issued.v1", "duplicate") == 1)
    assert effect_count(engine) == 1
    assert counter(metrics.EVENTS_CONSUMED, cls.name, queue, "plan.issued.v1", "processed") == 1


def test_a_failing_handler_is_retried_then_dead_lettered_and_replay_delivers_it_once_fixed(probe, amqp_uri):
    cls, behaviour, engine, queue = probe
    behaviour["fail"] = True
    body = event_body()
    event_id = json.loads(body)["id"]
    publish_raw(amqp_uri, "plans.events", "plan.issued.v1", body, message_id=event_id)
    wait_until(lambda: queue_depth(amqp_uri, f"{queue}.dlq") == 1)
    assert behaviour["calls"] == 3  # the first delivery and two retries
    assert counter(metrics.EVENTS_RETRIED, cls.name, queue) == 2
    assert counter(metrics.EVENTS_DEAD_LETTERED, cls.name, queue, "handler_failed") == 1
    assert effect_count(engine) == 0

    [listed] = dead_letters.peek(amqp_uri, f"{queue}.dlq")
    assert listed["event_id"] == event_id and listed["reason"] == "handler_failed"
    assert listed["attempts"] == 3 and "the projection is broken" in listed["error"]
    # listing does not consume (the broker requeues the peeked messages as the channel closes)
    wait_until(lambda: queue_depth(amqp_uri, f"{queue}.dlq") == 1)

    behaviour["fail"] = False
    assert dead_letters.replay(amqp_uri, f"{queue}.dlq") == 1
    wait_until(lambda: effect_count(engine) == 1)
    wait_until(lambda: queue_depth(amqp_uri, f"{queue}.dlq") == 0)
    time.sleep(0.5)
    assert effect_count(engine) == 1


def test_an_invalid_event_is_dead_lettered_at_once_and_consumption_goes_on(probe, amqp_uri):
    cls, behaviour, engine, queue = probe
    publish_raw(amqp_uri, "plans.events", "plan.issued.v1", b'{"specversion": "1.0", "type": "plan.issued.v1"}')
    publish_raw(amqp_uri, "plans.events", "plan.issued.v1", b"\x00\x01 not even json")
    publish_raw(amqp_uri, "plans.events", "plan.issued.v1", event_body())
    wait_until(lambda: effect_count(engine) == 1)
    wait_until(lambda: queue_depth(amqp_uri, f"{queue}.dlq") == 2)
    assert behaviour["calls"] == 1  # the invalid ones never reached the handler
    reasons = {item["reason"] for item in dead_letters.peek(amqp_uri, f"{queue}.dlq")}
    assert reasons == {"invalid_payload"}
    assert counter(metrics.EVENTS_DEAD_LETTERED, cls.name, queue, "invalid_payload") == 2


def test_replay_of_one_event_leaves_the_others(probe, amqp_uri):
    cls, behaviour, engine, queue = probe
    behaviour["fail"] = True
    bodies = [event_body(), event_body()]
    for body in bodies:
        publish_raw(amqp_uri, "plans.events", "plan.issued.v1", body, message_id=json.loads(body)["id"])
    wait_until(lambda: queue_depth(amqp_uri, f"{queue}.dlq") == 2)
    behaviour["fail"] = False
    assert dead_letters.replay(amqp_uri, f"{queue}.dlq", event_id=json.loads(bodies[1])["id"]) == 1
    wait_until(lambda: effect_count(engine) == 1)
    wait_until(lambda: queue_depth(amqp_uri, f"{queue}.dlq") == 1)


def test_the_declared_topology_receives_events_before_any_consumer_runs(amqp_uri):
    """Found in review: an event published before its consumer queue existed was acked and dropped."""
    from services.common.dead_letters import declare_topology

    declared = declare_topology(amqp_uri, (1.0, 5.0), "classic")
    assert {"reporting.on_plan_issued", "reporting.on_plan_issued.dlq", "reporting.on_plan_issued.retry.2",
            "notifications.on_case_escalated", "plans.on_commune_report_approved"} <= set(declared)
    delete_queues(amqp_uri, ["notifications.on_unit_report_returned"])
    declare_topology(amqp_uri, (1.0, 5.0), "classic")
    before = queue_depth(amqp_uri, "notifications.on_unit_report_returned")
    publish_raw(amqp_uri, "plans.events", "unit_report.returned.v1", b'{"waiting": "for its consumer"}')
    wait_until(lambda: queue_depth(amqp_uri, "notifications.on_unit_report_returned") == before + 1)
    delete_queues(amqp_uri, declared)  # other tests' services declare these with their own retry delays

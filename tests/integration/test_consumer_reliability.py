"""Idempotency, retries, dead letters and replay of `@subscribe`, against real RabbitMQ and PostgreSQL.

A probe service with a unique name consumes `plan.issued.v1` like a real service would;
its queues are deleted afterwards.
"""
import json
import time

import pytest

from services.common import dead_letters, metrics, subscriber
from services.common.subscriber import queue_depth
from services.ops.topology import declare_topology
from tests.support.broker import delete_queues, publish_raw
from tests.support.probe import event_body
from tests.support.waiting import wait_until

pytestmark = pytest.mark.integration


def counter(metric, *labels) -> float:
    return metric.labels(*labels)._value.get()


def test_the_same_event_delivered_twice_changes_state_once(probe, amqp_uri):
    behaviour, queue = probe.behaviour, probe.queue
    body = event_body()
    publish_raw(amqp_uri, "plans.events", "plan.issued.v1", body)
    publish_raw(amqp_uri, "plans.events", "plan.issued.v1", body)
    wait_until(lambda: behaviour["calls"] >= 2)
    wait_until(lambda: counter(metrics.EVENTS_CONSUMED, probe.name, queue, "plan.issued.v1", "duplicate") == 1)
    assert probe.effect_count() == 1
    assert counter(metrics.EVENTS_CONSUMED, probe.name, queue, "plan.issued.v1", "processed") == 1


def test_a_failing_handler_is_retried_then_dead_lettered_and_replay_delivers_it_once_fixed(probe, amqp_uri):
    behaviour, queue = probe.behaviour, probe.queue
    behaviour["fail"] = True
    body = event_body()
    event_id = json.loads(body)["id"]
    publish_raw(amqp_uri, "plans.events", "plan.issued.v1", body, message_id=event_id)
    wait_until(lambda: queue_depth(amqp_uri, f"{queue}.dlq") == 1)
    assert behaviour["calls"] == 3  # the first delivery and two retries
    assert counter(metrics.EVENTS_RETRIED, probe.name, queue) == 2
    # counted just after the copy to the dead-letter queue is confirmed: the queue may show it a moment before
    wait_until(lambda: counter(metrics.EVENTS_DEAD_LETTERED, probe.name, queue, "handler_failed") == 1)
    assert probe.effect_count() == 0

    [listed] = dead_letters.peek(amqp_uri, f"{queue}.dlq")
    assert listed["event_id"] == event_id and listed["reason"] == "handler_failed"
    assert listed["attempts"] == 3 and "the projection is broken" in listed["error"]
    # listing does not consume (the broker requeues the peeked messages as the channel closes)
    wait_until(lambda: queue_depth(amqp_uri, f"{queue}.dlq") == 1)

    behaviour["fail"] = False
    assert dead_letters.replay(amqp_uri, f"{queue}.dlq") == 1
    wait_until(lambda: probe.effect_count() == 1)
    wait_until(lambda: queue_depth(amqp_uri, f"{queue}.dlq") == 0)
    time.sleep(0.5)
    assert probe.effect_count() == 1


def test_an_invalid_event_is_dead_lettered_at_once_and_consumption_goes_on(probe, amqp_uri):
    behaviour, queue = probe.behaviour, probe.queue
    publish_raw(amqp_uri, "plans.events", "plan.issued.v1", b'{"specversion": "1.0", "type": "plan.issued.v1"}')
    publish_raw(amqp_uri, "plans.events", "plan.issued.v1", b"\x00\x01 not even json")
    publish_raw(amqp_uri, "plans.events", "plan.issued.v1", event_body())
    wait_until(lambda: probe.effect_count() == 1)
    wait_until(lambda: queue_depth(amqp_uri, f"{queue}.dlq") == 2)
    assert behaviour["calls"] == 1  # the invalid ones never reached the handler
    reasons = {item["reason"] for item in dead_letters.peek(amqp_uri, f"{queue}.dlq")}
    assert reasons == {"invalid_payload"}
    assert counter(metrics.EVENTS_DEAD_LETTERED, probe.name, queue, "invalid_payload") == 2


def test_replay_of_one_event_leaves_the_others(probe, amqp_uri):
    behaviour, queue = probe.behaviour, probe.queue
    behaviour["fail"] = True
    bodies = [event_body(), event_body()]
    for body in bodies:
        publish_raw(amqp_uri, "plans.events", "plan.issued.v1", body, message_id=json.loads(body)["id"])
    wait_until(lambda: queue_depth(amqp_uri, f"{queue}.dlq") == 2)
    behaviour["fail"] = False
    assert dead_letters.replay(amqp_uri, f"{queue}.dlq", event_id=json.loads(bodies[1])["id"]) == 1
    wait_until(lambda: probe.effect_count() == 1)
    wait_until(lambda: queue_depth(amqp_uri, f"{queue}.dlq") == 1)


def test_the_declared_topology_receives_events_before_any_consumer_runs(amqp_uri):
    """Found in review: an event published before its consumer queue existed was acked and dropped."""
    declared = declare_topology({"AMQP_URI": amqp_uri, "RETRY_DELAYS_SECONDS": "1,5"})
    assert {"reporting.on_plan_issued", "reporting.on_plan_issued.dlq", "reporting.on_plan_issued.retry.2",
            "notifications.on_case_escalated", "plans.on_commune_report_approved"} <= set(declared)
    delete_queues(amqp_uri, ["notifications.on_unit_report_returned"])
    declare_topology({"AMQP_URI": amqp_uri, "RETRY_DELAYS_SECONDS": "1,5"})
    before = queue_depth(amqp_uri, "notifications.on_unit_report_returned")
    publish_raw(amqp_uri, "plans.events", "unit_report.returned.v1", b'{"waiting": "for its consumer"}')
    wait_until(lambda: queue_depth(amqp_uri, "notifications.on_unit_report_returned") == before + 1)
    delete_queues(amqp_uri, declared)  # other tests' services declare these with their own retry delays


def test_a_replay_moves_only_what_was_there_when_it_began(probe, amqp_uri, monkeypatch):
    """Found in the full run: replaying a dead letter that failed again at once fetched it again from the same
    queue, and again (8 copies in one replay). Here each copy waits until the event is back in the queue."""
    behaviour, queue = probe.behaviour, probe.queue
    behaviour["fail"] = True
    body = event_body()
    publish_raw(amqp_uri, "plans.events", "plan.issued.v1", body, message_id=json.loads(body)["id"])
    wait_until(lambda: queue_depth(amqp_uri, f"{queue}.dlq") == 1)
    republish = subscriber.republish

    def republish_and_wait_for_the_failure(*args, **kwargs):
        calls = behaviour["calls"]
        republish(*args, **kwargs)
        wait_until(lambda: behaviour["calls"] >= calls + 3 and queue_depth(amqp_uri, f"{queue}.dlq") >= 1)

    monkeypatch.setattr(subscriber, "republish", republish_and_wait_for_the_failure)
    assert dead_letters.replay(amqp_uri, f"{queue}.dlq", limit=5) == 1
    wait_until(lambda: queue_depth(amqp_uri, f"{queue}.dlq") == 1)

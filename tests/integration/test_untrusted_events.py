"""Who may speak on the bus: a consumer accepts an event only from its producer's exchange and `source`.

With the broker login alone, an event could be put straight into a consumer's queue (issue 8: a forged
approval locked a commune's unit reports). Whatever did not come through the producer's exchange, or
names another source, is dead-lettered as `untrusted`; the plans' version of the attack is in
tests/integration/plans/test_unit_reports.py.
"""
import json

import kombu
import pytest

from services.common import dead_letters, metrics
from services.common.subscriber import H_EXCHANGE, H_REASON, queue_depth
from tests.integration.test_hostile_messages import dead_letter
from tests.support.probe import event_body, publish_to
from tests.support.waiting import wait_until

pytestmark = pytest.mark.integration


def untrusted(probe, amqp_uri, event_id) -> bool:
    listed = dead_letter(amqp_uri, probe.queue, event_id)
    return listed is not None and listed.headers[H_REASON] == "untrusted"


def test_an_event_through_the_default_exchange_is_untrusted(probe, amqp_uri):
    body = event_body()
    event_id = json.loads(body)["id"]
    publish_to(amqp_uri, "", probe.queue, body, message_id=event_id)
    wait_until(lambda: dead_letter(amqp_uri, probe.queue, event_id) is not None, timeout=30)
    assert untrusted(probe, amqp_uri, event_id)
    assert probe.behaviour["calls"] == 0 and probe.alive
    [listed] = dead_letters.peek(amqp_uri, f"{probe.queue}.dlq")  # what an operator sees
    assert (listed["reason"], listed["first_exchange"]) == ("untrusted", "")
    assert "came through exchange ''" in listed["error"]
    assert metrics.EVENTS_DEAD_LETTERED.labels(probe.name, probe.queue, "untrusted")._value.get() == 1


def test_an_event_through_another_exchange_is_untrusted(probe, amqp_uri):
    """Bound to a second exchange by someone who could, the queue still takes plans' events only from plans.events."""
    with kombu.Connection(amqp_uri) as connection:
        connection.channel().queue_bind(probe.queue, "amq.topic", routing_key=f"{probe.queue}.forged")
    body = event_body()
    event_id = json.loads(body)["id"]
    publish_to(amqp_uri, "amq.topic", f"{probe.queue}.forged", body, message_id=event_id)
    wait_until(lambda: dead_letter(amqp_uri, probe.queue, event_id) is not None, timeout=30)
    assert untrusted(probe, amqp_uri, event_id)
    assert probe.behaviour["calls"] == 0


def test_an_event_with_another_producers_source_is_untrusted(probe, amqp_uri):
    body = event_body().replace(b"/binhdang/plans", b"/binhdang/reporting")
    event_id = json.loads(body)["id"]
    probe.publish(body, message_id=event_id)
    wait_until(lambda: dead_letter(amqp_uri, probe.queue, event_id) is not None, timeout=30)
    assert untrusted(probe, amqp_uri, event_id)
    assert probe.behaviour["calls"] == 0


def test_a_copy_claiming_to_come_from_the_producer_through_the_default_exchange_is_untrusted(probe, amqp_uri):
    """The header recording where a retried copy first arrived counts only on the consumer's own redelivery
    exchange, which no one else may write."""
    body = event_body()
    event_id = json.loads(body)["id"]
    publish_to(amqp_uri, "", probe.queue, body, message_id=event_id, headers={H_EXCHANGE: "plans.events"})
    wait_until(lambda: dead_letter(amqp_uri, probe.queue, event_id) is not None, timeout=30)
    assert untrusted(probe, amqp_uri, event_id)
    assert queue_depth(amqp_uri, probe.queue) == 0 and probe.behaviour["calls"] == 0


def test_a_replayed_untrusted_event_is_still_untrusted(probe, amqp_uri):
    """A replay comes back through the consumer's redelivery exchange with the record of where the event first
    came through: the default exchange, for this one, so the replay cannot launder it."""
    body = event_body()
    event_id = json.loads(body)["id"]
    publish_to(amqp_uri, "", probe.queue, body, message_id=event_id)
    wait_until(lambda: untrusted(probe, amqp_uri, event_id), timeout=30)
    assert dead_letters.replay(amqp_uri, f"{probe.queue}.dlq") == 1
    wait_until(lambda: metrics.EVENTS_DEAD_LETTERED.labels(probe.name, probe.queue, "untrusted")._value.get() == 2)
    assert untrusted(probe, amqp_uri, event_id)
    assert probe.behaviour["calls"] == 0

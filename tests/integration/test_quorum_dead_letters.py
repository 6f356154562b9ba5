"""Quorum consumer queues on a real broker: a message that keeps coming back unacknowledged (each
consumer that took it died) is dead-lettered by the broker after the delivery limit, listed with that
reason, and a replay returns it to its consumer as the producer's event, not as an untrusted one."""
import time

import kombu
import pytest

from services.common import dead_letters
from services.common.subscriber import ConsumerTopology
from services.ops.topology import declare_topology
from tests.support.broker import private_vhost, publish_raw
from tests.support.plan_events import plan_issued, wire

pytestmark = pytest.mark.integration

CONSUMER = "reporting.on_plan_issued"


def get(channel, queue: str, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        message = channel.basic_get(queue, no_ack=False)
        if message is not None:
            return message
        time.sleep(0.05)
    return None


def test_a_message_past_its_delivery_limit_is_dead_lettered_and_replayed_as_the_producers():
    with private_vhost("quorum") as amqp_uri:
        config = {"AMQP_URI": amqp_uri, "QUEUE_TYPE": "quorum", "QUEUE_DELIVERY_LIMIT": "2",
                  "RETRY_DELAYS_SECONDS": "1"}
        declare_topology(config)
        topology = ConsumerTopology.of(CONSUMER, "plan.issued.v1", config)
        event_id, body = wire(plan_issued("07543", ["VHXH"]))
        publish_raw(amqp_uri, topology.exchange, topology.routing_key, body, message_id=str(event_id))
        with kombu.Connection(amqp_uri) as connection:
            channel = connection.channel()
            for _ in range(3):  # the first delivery and two returns: the limit
                message = get(channel, CONSUMER)
                assert message is not None
                channel.basic_reject(message.delivery_tag, requeue=True)  # as a consumer that dies does
            assert get(channel, CONSUMER, timeout=1) is None
            listed = dead_letters.peek(amqp_uri, topology.dead_letter_queue)
            assert [(d["event_id"], d["reason"], d["consumer_queue"], d["first_exchange"]) for d in listed] == [
                (str(event_id), "delivery_limit", CONSUMER, "plans.events")]
            assert dead_letters.replay(amqp_uri, topology.dead_letter_queue) == 1
            replayed = get(channel, CONSUMER)
            assert replayed is not None and replayed.properties["message_id"] == str(event_id)
            exchange = replayed.delivery_info["exchange"]
            assert exchange == "reporting.retries"
            assert topology.untrusted_because(exchange, replayed.headers) is None
            channel.basic_ack(replayed.delivery_tag)

"""Consumer queues on a clustered broker: quorum queues with a delivery limit and at-least-once
dead-lettering; classic queues declared as before (RabbitMQ refuses to change a queue's arguments)."""
from services.common import amqp_connection
from services.common.dead_letters import broker_dead_letter
from services.common.subscriber import ConsumerTopology

CONFIG = {"RETRY_DELAYS_SECONDS": "1,5", "QUEUE_DELIVERY_LIMIT": "7"}


def topology(queue_type: str) -> ConsumerTopology:
    return ConsumerTopology.of("reporting.on_plan_issued", "plan.issued.v1", {**CONFIG, "QUEUE_TYPE": queue_type})


def test_a_quorum_consumer_queue_dead_letters_at_least_once_after_its_delivery_limit():
    arguments = topology("quorum").main().as_dict()["queue_arguments"]
    assert arguments == {"x-queue-type": "quorum", "x-delivery-limit": 7,
                         "x-dead-letter-exchange": "reporting.retries",
                         "x-dead-letter-routing-key": "reporting.on_plan_issued.dlq",
                         "x-dead-letter-strategy": "at-least-once", "x-overflow": "reject-publish"}


def test_a_quorum_delay_queue_returns_its_messages_at_least_once():
    arguments = topology("quorum").retry(2).as_dict()["queue_arguments"]
    assert arguments == {"x-queue-type": "quorum", "x-message-ttl": 5000,
                         "x-dead-letter-exchange": "reporting.retries",
                         "x-dead-letter-routing-key": "reporting.on_plan_issued",
                         "x-dead-letter-strategy": "at-least-once", "x-overflow": "reject-publish"}
    assert topology("quorum").dead_letters().as_dict()["queue_arguments"] == {"x-queue-type": "quorum"}


def test_classic_queues_keep_the_arguments_they_were_declared_with():
    classic = topology("classic")
    assert classic.main().as_dict()["queue_arguments"] == {"x-queue-type": "classic"}
    assert classic.retry(1).as_dict()["queue_arguments"] == {"x-queue-type": "classic", "x-message-ttl": 1000,
                                                "x-dead-letter-exchange": "reporting.retries",
                                                "x-dead-letter-routing-key": "reporting.on_plan_issued"}


def test_the_broker_dead_letter_record_is_read_for_its_consumer_queue_only():
    death = {"queue": "reporting.on_plan_issued", "reason": "delivery_limit", "exchange": "plans.events", "count": 1}
    headers = {"x-death": [{"queue": "other", "reason": "delivery_limit", "exchange": "x"}, death]}
    assert broker_dead_letter(headers, "reporting.on_plan_issued") == death
    assert broker_dead_letter(headers, "reporting.on_case_reported") is None
    assert broker_dead_letter({"x-death": [{**death, "reason": "expired"}]}, "reporting.on_plan_issued") is None
    assert broker_dead_letter({"x-death": "not a list"}, "reporting.on_plan_issued") is None


def test_amqp_uri_may_name_every_node_of_a_cluster():
    uri = "amqp://u:p@n1:5672/v; amqp://u:p@n2:5672/v;amqp://u:p@n3:5672/v"
    assert amqp_connection.broker_uris(uri) == ["amqp://u:p@n1:5672/v", "amqp://u:p@n2:5672/v",
                                                "amqp://u:p@n3:5672/v"]
    connection = amqp_connection.connection(uri)
    assert sorted(connection.alt) == amqp_connection.broker_uris(uri)


def test_a_connection_reaches_a_node_that_answers_when_the_others_do_not(amqp_uri):
    refused = "amqp://guest:guest@127.0.0.1:1/"
    for _ in range(5):  # whichever node it starts at
        with amqp_connection.connect(f"{refused};{refused};{amqp_uri}", connect_timeout=2) as connection:
            assert connection.connected

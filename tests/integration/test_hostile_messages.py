"""Whatever a message's body and headers, it ends applied or in the dead-letter queue, and the consumer lives.

Found by fault injection: a schema-valid event whose handler failed and whose attempt header was not
an integer killed the consumer process (and again after every restart); the same header on an invalid
event made dead-lettering raise, and the message was requeued at once, forever.

Each case publishes raw bytes, then a good event behind it: the good one must be applied, the hostile
one must be where the rule says, and the probe's container must still be running.
"""
import gzip
import json
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import kombu
import pytest

from services.common import metrics
from services.common.events.contracts import PlanAmended
from services.common.events.envelope import build_event
from services.common.subscriber import H_ATTEMPT, H_EXCHANGE, H_QUEUE, H_REASON, queue_depth
from tests.support.outbox_fixtures import sample_plan_issued
from tests.support.probe import event_body
from tests.support.waiting import wait_until

pytestmark = pytest.mark.integration

HUGE = "Z" * 20_000  # a header value no log line or copied header may carry (4 of them fit in a frame)


def dead_letters_in(amqp_uri, queue) -> list:
    """Every dead letter of the consumer queue, as the bytes and headers that are there (not consumed)."""
    if queue_depth(amqp_uri, f"{queue}.dlq") == 0:
        return []
    with kombu.Connection(amqp_uri) as connection:
        channel = connection.channel()
        channel.auto_decode = False
        found = []
        while (raw := channel.basic_get(f"{queue}.dlq", no_ack=False)) is not None:
            found.append(DeadLetter(raw.properties.get("message_id"), raw.body,
                                    dict(raw.properties.get("application_headers") or {})))
        channel.close()
    return found


@dataclass
class DeadLetter:
    message_id: str | None
    body: bytes
    headers: dict


def dead_letter(amqp_uri, queue, message_id) -> DeadLetter | None:
    return next((item for item in dead_letters_in(amqp_uri, queue) if item.message_id == message_id), None)


def event_with(**data_changes) -> bytes:
    event = json.loads(event_body())
    event["data"].update(data_changes)
    return json.dumps(event, ensure_ascii=False).encode()


def with_unit(**unit) -> bytes:
    event = json.loads(event_body())
    event["data"]["units"][0].update(unit)
    return json.dumps(event, ensure_ascii=False).encode()


def amended_body() -> bytes:
    issued = sample_plan_issued()
    amended = PlanAmended(plan_id=issued.plan_id, commune_code=issued.commune_code, year=issued.year, version=2,
                          previous_version=1, title=issued.title, report_deadline=issued.report_deadline,
                          units=issued.units, changed_parts=["organisation"], amended_at=issued.issued_at)
    return build_event(service="plans", event_type="plan.amended.v1", data=amended, subject=None,
                       commune_code=issued.commune_code).to_json_bytes()


def huge_body() -> bytes:
    event = json.loads(event_body())
    event["data"]["title"] = "Kế hoạch " * (10 * 1024 * 1024 // 12)
    return json.dumps(event, ensure_ascii=False).encode()


# (case, body, headers, properties) of messages that must be dead-lettered as invalid payloads (or, where
# a header claims they came through another exchange than the producer's, as untrusted: UNTRUSTED)
INVALID: list[tuple[str, Callable[[], bytes], dict, dict]] = [
    ("not json", lambda: b"\x00\x01 not even json", {}, {}),
    ("json, not a cloudevent", lambda: b'{"specversion": "1.0", "type": "plan.issued.v1"}', {}, {}),
    ("json nested 100,000 deep", lambda: b"[" * 100_000, {}, {}),
    ("wrong type for the routing key", amended_body, {}, {}),
    ("not utf-8", lambda: event_body().replace(b"VHXH", b"VH\xff\xfe"), {}, {}),
    ("a 10 MB body", huge_body, {}, {}),
    ("a field longer than its column", lambda: with_unit(unit_code="U" * 65), {}, {}),
    ("a name longer than its column", lambda: with_unit(name="ệ" * 301), {}, {}),
    ("a NUL character", lambda: with_unit(name="Phòng\x00Văn hoá"), {}, {}),
    ("a lone surrogate", lambda: event_body().replace(b'"VHXH"', b'"\\udb0a"'), {}, {}),
    ("a year out of range", lambda: event_with(year=10**30), {}, {}),
    ("an invalid body with a malformed attempt header", lambda: b"not json", {H_ATTEMPT: "abc"}, {}),
    ("an invalid body with hostile headers", lambda: b"not json",
     {H_ATTEMPT: HUGE, H_QUEUE: HUGE, H_EXCHANGE: HUGE, "x-other": HUGE}, {}),
    # kombu would inflate the body (a bomb: 50 MB of zeros) and could not dead-letter what it made
    ("a compression header on a gzip bomb", lambda: gzip.compress(b"\x00" * 50_000_000),
     {"compression": "application/x-gzip"}, {}),
    ("a compression header on plain bytes", lambda: b"not json", {"compression": "application/x-bz2"}, {}),
]


UNTRUSTED = {"an invalid body with hostile headers"}


@pytest.mark.parametrize("case,body,headers,properties", INVALID, ids=[case for case, *_ in INVALID])
def test_a_hostile_message_is_dead_lettered_and_consumption_goes_on(probe, amqp_uri, caplog, case, body, headers,
                                                                    properties):
    caplog.set_level(logging.INFO)
    raw = body()
    message_id = f"hostile-{uuid.uuid4().hex[:8]}"
    probe.publish(raw, headers=headers, message_id=message_id, **properties)
    good = event_body()
    probe.publish(good, message_id=json.loads(good)["id"])
    wait_until(lambda: probe.effect_count() == 1, timeout=30)
    wait_until(lambda: dead_letter(amqp_uri, probe.queue, message_id) is not None, timeout=30)
    listed = dead_letter(amqp_uri, probe.queue, message_id)
    assert listed is not None
    assert listed.headers[H_REASON] == ("untrusted" if case in UNTRUSTED else "invalid_payload")
    assert listed.body == raw  # the message as it came, neither inflated nor decoded
    assert probe.behaviour["calls"] == 1  # only the good event reached the handler
    assert queue_depth(amqp_uri, f"{probe.queue}.dlq") == 1  # once, not a copy per loop
    assert probe.alive
    assert all(len(str(value)) <= 600 for value in listed.headers.values()), "a header value was copied unbounded"
    assert "x-other" not in listed.headers and listed.headers[H_QUEUE] == probe.queue
    assert not [r for r in caplog.records if HUGE[:1000] in r.getMessage() or HUGE[:1000] in str(r.__dict__)]


# headers a producer never sets, on a good event: the event is applied all the same
HEADERS = [
    {H_ATTEMPT: "abc"}, {H_ATTEMPT: -5}, {H_ATTEMPT: 10**18}, {H_ATTEMPT: 1.5}, {H_ATTEMPT: True},
    {H_ATTEMPT: {"nested": [1, 2]}}, {H_ATTEMPT: b"\x00\xff"}, {H_QUEUE: HUGE, "x-other": HUGE},
]


@pytest.mark.parametrize("headers", HEADERS, ids=lambda h: repr(h)[:40])
def test_a_good_event_with_strange_headers_is_applied(probe, amqp_uri, headers):
    body = event_body()
    probe.publish(body, headers=headers, message_id=json.loads(body)["id"])
    wait_until(lambda: probe.effect_count() == 1)
    assert probe.alive


@pytest.mark.parametrize("headers", HEADERS, ids=lambda h: repr(h)[:40])
def test_a_failing_handler_with_strange_headers_ends_in_the_dead_letter_queue(probe, amqp_uri, headers):
    """The crash found: a handler failure plus a non-integer attempt header killed the process."""
    probe.behaviour["fail"] = True
    body = event_body()
    event_id = json.loads(body)["id"]
    probe.publish(body, headers=headers, message_id=event_id)
    wait_until(lambda: dead_letter(amqp_uri, probe.queue, event_id) is not None, timeout=30)
    listed = dead_letter(amqp_uri, probe.queue, event_id)
    assert listed is not None
    assert listed.headers[H_REASON] == "handler_failed"
    assert listed.headers[H_ATTEMPT] == 3  # the first delivery and two retries at most, whatever the header said
    assert 1 <= probe.behaviour["calls"] <= 3
    assert probe.alive
    probe.behaviour["fail"] = False
    good = event_body()
    probe.publish(good, message_id=json.loads(good)["id"])
    wait_until(lambda: probe.effect_count() == 1)


def test_a_body_in_another_encoding_than_announced_is_read_as_the_utf8_it_is(probe, amqp_uri):
    """A wrong content-encoding property must not garble the text that is stored."""
    body = event_body()
    probe.publish(body, message_id=json.loads(body)["id"], content_encoding="latin-1")
    wait_until(lambda: probe.effect_count() == 1)
    assert probe.effects()[0].unit_name == sample_plan_issued().units[0].name


def test_dead_lettering_reuses_one_connection(probe, amqp_uri):
    """2,805 retries used to open 2,805 AMQP connections."""
    probe.behaviour["fail"] = True
    ids = []
    for _ in range(5):
        body = event_body()
        ids.append(json.loads(body)["id"])
        probe.publish(body, message_id=ids[-1])
    wait_until(lambda: queue_depth(amqp_uri, f"{probe.queue}.dlq") == 5, timeout=30)
    assert metrics.EVENTS_RETRIED.labels(probe.name, probe.queue)._value.get() == 10
    assert metrics.AMQP_CONNECTIONS_OPENED.labels(probe.name, "redelivery")._value.get() == 1


def test_a_failure_while_dead_lettering_is_retried_after_delays_and_ends_in_the_dead_letter_queue(
        probe, amqp_uri, caplog):
    """Found by fault injection: when dead-lettering raised, the message was requeued at once, forever
    (0.8 of a core, 85 MB of log in 100 s). Here the dead-letter queue refuses every copy until it is fixed."""
    caplog.set_level(logging.INFO)
    with kombu.Connection(amqp_uri) as connection:  # declared with other arguments: every declare fails
        connection.channel().queue_declare(f"{probe.queue}.dlq", durable=True,
                                           arguments={"x-max-length": 0, "x-overflow": "reject-publish"})
    failed = metrics.EVENT_MOVES_FAILED.labels(probe.name, probe.queue)
    probe.publish(b"not json", message_id="refused")
    wait_until(lambda: failed._value.get() >= 1)
    time.sleep(5)
    assert 3 <= failed._value.get() <= 5  # 0.5, 1, 2 then 4 s apart: a few tries, not thousands
    assert probe.alive
    moves = [r for r in caplog.records if "copy an event" in r.getMessage()]
    assert len(moves) == 1, "one line for the failing copy, not one per try"

    with kombu.Connection(amqp_uri) as connection:  # the operator fixes the queue
        connection.channel().queue_delete(f"{probe.queue}.dlq")
    wait_until(lambda: dead_letter(amqp_uri, probe.queue, "refused") is not None, timeout=30)
    assert queue_depth(amqp_uri, probe.queue) == 0  # acked once its copy was safe
    good = event_body()
    probe.publish(good, message_id=json.loads(good)["id"])
    wait_until(lambda: probe.effect_count() == 1)


def test_a_failure_that_is_not_the_messages_fault_uses_up_no_attempt(probe, amqp_uri, caplog):
    """The database away for three tries of a handler whose ladder has two retries: the event is held,
    tried again after growing delays, and applied; nothing is retried through the ladder or dead-lettered."""
    caplog.set_level(logging.INFO)
    probe.behaviour["unavailable"] = 3
    body = event_body()
    probe.publish(body, message_id=json.loads(body)["id"])
    wait_until(lambda: probe.effect_count() == 1, timeout=60)
    assert probe.behaviour["calls"] == 4
    assert metrics.EVENTS_DEFERRED.labels(probe.name, probe.queue)._value.get() == 3
    assert metrics.EVENTS_RETRIED.labels(probe.name, probe.queue)._value.get() == 0
    assert queue_depth(amqp_uri, f"{probe.queue}.dlq") == 0
    assert not [r for r in caplog.records if r.exc_info], "no traceback per try"


def test_a_message_held_too_long_is_parked_in_a_delay_queue_and_comes_back(probe, amqp_uri, monkeypatch):
    """A delivery is not kept unacknowledged for long (RabbitMQ closes the channel of a consumer that holds
    one past its consumer_timeout): past HOLD_LIMIT_SECONDS it goes round the first delay queue."""
    from services.common import subscriber

    monkeypatch.setattr(subscriber, "HOLD_LIMIT_SECONDS", 1.0)
    probe.behaviour["unavailable"] = 4  # tried at 0, 0.5, 1.5 and 3.5 s: parked after the third
    body = event_body()
    probe.publish(body, message_id=json.loads(body)["id"])
    wait_until(lambda: probe.effect_count() == 1, timeout=60)
    assert metrics.EVENTS_RETRIED.labels(probe.name, probe.queue)._value.get() == 0
    assert queue_depth(amqp_uri, f"{probe.queue}.dlq") == 0
    assert metrics.AMQP_CONNECTIONS_OPENED.labels(probe.name, "redelivery")._value.get() == 1  # the parking copy

"""The operators' endpoints every service serves (services.common.operations), over real HTTP and RabbitMQ: a
dead letter in reporting's queue is listed (metadata only), replayed by event id or with its whole queue, and
consumed; the outbox backlog and the consumer queues are reported; other roles are refused."""
import uuid

import pytest

from services.reporting.service import ReportingService
from tests.support.broker import private_vhost, put_dead_letter
from tests.support.operations import OPERATOR, consuming, plan_of_year
from tests.support.plan_events import plan_issued
from tests.support.service_http import refusal, token
from tests.support.waiting import wait_until

pytestmark = pytest.mark.integration

COMMUNE = "07543"
CONSUMER = "reporting.on_plan_issued"


@pytest.fixture
def reporting(container_factory, postgres, tmp_path):
    # a vhost of its own: the dead letters other tests leave must not be counted here
    with (private_vhost("operations") as amqp_uri,
          consuming(container_factory, ReportingService, postgres.create("reporting"), amqp_uri, tmp_path) as api):
        yield api, amqp_uri


def dead_letters_of(api, queue: str = CONSUMER) -> list[dict]:
    answer = api.call("GET", f"/v1/operations/dead-letters?queue={queue}", OPERATOR)
    assert answer.status_code == 200, answer.text
    [listed] = answer.json()["queues"]
    return listed["items"]


def wait_for_plan(api, plan_id: uuid.UUID) -> None:
    wait_until(lambda: plan_of_year(api, COMMUNE) == str(plan_id), timeout=20)


def test_a_dead_letter_is_listed_without_its_body_replayed_and_consumed(reporting):
    api, amqp_uri = reporting
    plan_id = uuid.uuid4()
    event_id = put_dead_letter(amqp_uri, CONSUMER, plan_issued(COMMUNE, ["VHXH"], plan_id=plan_id))

    everything = api.call("GET", "/v1/operations/dead-letters", OPERATOR).json()
    assert everything["service"] == "reporting"
    assert [(q["queue"], q["count"]) for q in everything["queues"] if q["count"]] == [(CONSUMER + ".dlq", 1)]
    [listed] = dead_letters_of(api)
    assert listed == {"event_id": event_id, "event_type": "plan.issued.v1", "reason": "handler_failed",
                      "error": "RuntimeError: thử nghiệm", "attempts": 3, "failed_at": listed["failed_at"],
                      "consumer_queue": CONSUMER, "body_bytes": listed["body_bytes"]}
    assert str(plan_id) not in api.call("GET", "/v1/operations/dead-letters", OPERATOR).text  # no body
    consumers = {c["queue"]: c for c in api.call("GET", "/v1/operations/consumers", OPERATOR).json()["items"]}
    assert consumers[CONSUMER]["dead_letters"] == 1 and consumers[CONSUMER]["consumers"] == 1
    assert consumers[CONSUMER]["event_type"] == "plan.issued.v1"

    # another event id, or a queue that is not the service's: 404, nothing moved
    assert refusal(api.call("POST", "/v1/operations/dead-letters/replay", OPERATOR,
                            json={"queue": CONSUMER, "event_id": str(uuid.uuid4())})) == (404, "dead_letter_not_found")
    assert refusal(api.call("POST", "/v1/operations/dead-letters/replay", OPERATOR,
                            json={"queue": "plans.on_report_approved"})) == (404, "queue_not_found")
    assert refusal(api.call("GET", "/v1/operations/dead-letters?queue=cases.x", OPERATOR)) == (404, "queue_not_found")
    assert len(dead_letters_of(api)) == 1

    replayed = api.call("POST", "/v1/operations/dead-letters/replay", OPERATOR,
                        json={"queue": CONSUMER + ".dlq", "event_id": event_id})
    assert replayed.status_code == 200, replayed.text
    assert replayed.json() == {"service": "reporting", "queue": CONSUMER + ".dlq", "event_id": event_id,
                               "replayed": 1}
    wait_for_plan(api, plan_id)
    assert dead_letters_of(api) == []


def test_a_whole_queue_is_replayed(reporting):
    api, amqp_uri = reporting
    plans = [uuid.uuid4(), uuid.uuid4()]
    for plan_id, year in zip(plans, (2026, 2027), strict=True):
        put_dead_letter(amqp_uri, CONSUMER, plan_issued(COMMUNE, ["VHXH"], plan_id=plan_id, year=year))
    assert len(dead_letters_of(api)) == 2
    replayed = api.call("POST", "/v1/operations/dead-letters/replay", OPERATOR, json={"queue": CONSUMER})
    assert replayed.json()["replayed"] == 2
    wait_for_plan(api, plans[0])
    assert dead_letters_of(api) == []


def test_the_outbox_backlog_is_reported(reporting):
    api, _ = reporting
    answer = api.call("GET", "/v1/operations/outbox", OPERATOR)
    assert answer.status_code == 200
    assert answer.json() == {"service": "reporting", "pending": 0, "failing": 0, "oldest_pending_at": None,
                             "oldest_pending_seconds": None}


@pytest.mark.parametrize("role", ["commune_officer", "province_officer", "auditor"])
def test_only_operators_may_call_them(reporting, role):
    api, _ = reporting
    caller = token(role, COMMUNE if role == "commune_officer" else None)
    for method, path, body in [("GET", "/v1/operations/outbox", None), ("GET", "/v1/operations/consumers", None),
                               ("GET", "/v1/operations/dead-letters", None),
                               ("POST", "/v1/operations/dead-letters/replay", {"queue": CONSUMER})]:
        assert refusal(api.call(method, path, caller, json=body)) == (403, "wrong_role"), path
        assert refusal(api.call(method, path, None, json=body)) == (401, "missing_token"), path

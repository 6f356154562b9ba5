"""Webhooks through the running notifications service: subscriptions over HTTP (operators only), events
forwarded signed per Standard Webhooks, once per event however often it is redelivered, and a subscription
whose receiver keeps failing disabled with `webhook_subscription.disabled.v1`."""
import json
import time
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from standardwebhooks.webhooks import Webhook

from services.common.events.contracts import CaseOverdue, CaseType, RiskLevel
from services.notifications.models import WebhookSubscription
from services.notifications.service import NotificationsService
from tests.support.broker import Collector, delete_consumer_queues, publish_raw
from tests.support.local_servers import HttpEndpoint, Script
from tests.support.plan_events import wire
from tests.support.service_http import refusal, start_service, token
from tests.support.waiting import wait_until

pytestmark = pytest.mark.integration

COMMUNE = "07543"
OPERATOR = token("operator")


def overdue() -> CaseOverdue:
    return CaseOverdue(case_code="VV26-ABCDEFGH", commune_code=COMMUNE, case_type=CaseType.DOMESTIC_VIOLENCE_PHYSICAL,
                       risk_level=RiskLevel.HIGH, status="reported", deadline="verification",
                       due_at=datetime(2026, 11, 2, 20, 30, tzinfo=UTC), detected_at=datetime.now(UTC))


@pytest.fixture
def service(container_factory, postgres, amqp_uri, tmp_path):
    delete_consumer_queues(amqp_uri, "notifications")
    url = postgres.create("notifications")
    _, api = start_service(container_factory, NotificationsService, url, amqp_uri, tmp_path,
                           NOTIFICATION_RETRY_SECONDS="0.2", WEBHOOK_MAX_FAILURES="2",
                           NOTIFICATION_SEND_TIMEOUT_SECONDS="2")
    engine = sa.create_engine(url)
    yield api, engine
    engine.dispose()


def test_only_operators_manage_subscriptions_and_bad_ones_are_refused_by_field(service):
    api, _ = service
    body = {"event_type": "case.overdue.v1", "url": "https://so-noi-vu.bacninh.gov.vn/hooks", "description": "Sở"}
    for role in ("commune_officer", "commune_leader", "case_worker", "province_officer"):
        answer = api.call("POST", "/v1/webhook-subscriptions", token(role, COMMUNE), json=body)
        assert answer.status_code == 403, role
    assert api.call("GET", "/v1/webhook-subscriptions", token("commune_officer", COMMUNE)).status_code == 403
    bad_type = api.call("POST", "/v1/webhook-subscriptions", OPERATOR, json={**body, "event_type": "secret.v1"})
    assert refusal(bad_type) == (422, "validation_error")
    assert bad_type.json()["error"]["fields"][0]["field"] == "event_type"
    for url in ("ftp://so-noi-vu/hooks", "https://user:pass@so-noi-vu/hooks", "not a url"):
        bad_url = api.call("POST", "/v1/webhook-subscriptions", OPERATOR, json={**body, "url": url})
        assert refusal(bad_url) == (422, "validation_error")
        assert bad_url.json()["error"]["fields"][0]["field"] == "url"
        assert url not in bad_url.text  # never echoed
    created = api.call("POST", "/v1/webhook-subscriptions", OPERATOR, json=body)
    assert created.status_code == 201 and created.json()["secret"].startswith("whsec_")
    [listed] = api.call("GET", "/v1/webhook-subscriptions", OPERATOR).json()["items"]
    assert listed["id"] == created.json()["id"] and "secret" not in listed
    unknown = api.call("POST", "/v1/webhook-subscriptions/" + "0" * 36 + "/enable", OPERATOR)
    assert refusal(unknown) == (404, "not_found")


def test_an_event_is_forwarded_signed_and_once_however_often_it_is_redelivered(service, amqp_uri):
    api, _ = service
    with HttpEndpoint() as receiver:
        created = api.call("POST", "/v1/webhook-subscriptions", OPERATOR,
                           json={"event_type": "case.overdue.v1", "url": receiver.url + "/binhdang"}).json()
        event_id, body = wire(overdue())
        for _ in range(3):  # the broker redelivers
            publish_raw(amqp_uri, "cases.events", "case.overdue.v1", body, message_id=str(event_id))
        wait_until(lambda: len(receiver.received) >= 1, timeout=30)
        time.sleep(2)  # anything beyond the first would be a duplicate
    [request] = receiver.received
    assert request.path == "/binhdang"
    forwarded = Webhook(created["secret"]).verify(request.body, request.headers)
    assert forwarded == json.loads(body)  # the CloudEvent as published
    assert len(receiver.received) == 1


def test_a_receiver_that_keeps_failing_gets_its_subscription_disabled_with_an_event(service, amqp_uri):
    api, engine = service
    collector = Collector(amqp_uri, [("notifications.events", "webhook_subscription.disabled.v1")])
    with HttpEndpoint(Script([(500, '{"error": "down"}')])) as receiver:
        created = api.call("POST", "/v1/webhook-subscriptions", OPERATOR,
                           json={"event_type": "case.overdue.v1", "url": receiver.url}).json()
        publish_raw(amqp_uri, "cases.events", "case.overdue.v1", wire(overdue())[1])
        [event] = [json.loads(m.body) for m in collector.collect(lambda got: len(got) >= 1, timeout=40)]
        assert len(receiver.received) == 2
    collector.close()
    assert event["data"]["subscription_id"] == created["id"] and event["data"]["consecutive_failures"] == 2
    assert receiver.url.split("//")[1] not in json.dumps(event) and created["secret"] not in json.dumps(event)
    with engine.connect() as connection:
        assert connection.scalar(sa.select(WebhookSubscription.active)) is False
    [listed] = api.call("GET", "/v1/webhook-subscriptions", OPERATOR).json()["items"]
    assert listed["active"] is False and listed["disabled_at"]
    enabled = api.call("POST", f"/v1/webhook-subscriptions/{created['id']}/enable", OPERATOR).json()
    assert enabled["active"] is True and enabled["consecutive_failures"] == 0

"""The in-app inbox, preferences and the listing of what was sent, over HTTP against the running service, from
events published on the broker: each caller sees what is addressed to it; notifications about a case only the
roles that may read cases; another commune's are as missing (404); reminders reach the inbox as the clock moves."""
from __future__ import annotations

import datetime as dt
import uuid

import pytest
import sqlalchemy as sa
from nameko.containers import ServiceContainer
from nameko.testing.services import entrypoint_hook

from services.common.clock import VIETNAM, FixedClock
from services.common.events.contracts import (
    CaseReported,
    CaseType,
    IntakeChannel,
    RiskLevel,
    UnitReportSubmitted,
)
from services.common.providers import ClockProvider
from services.notifications.models import Reported
from services.notifications.service import NotificationsService
from tests.support.broker import delete_consumer_queues
from tests.support.plan_events import plan_issued, publish
from tests.support.service_http import Api, free_port, refusal, service_config, token
from tests.support.waiting import wait_until

pytestmark = pytest.mark.integration

COMMUNE, OTHER = "07543", "07531"
START = dt.datetime(2026, 11, 2, 9, tzinfo=VIETNAM)


class Tokens:
    vhxh = token("unit_reporter", COMMUNE, "VHXH", subject="bc-vhxh")
    tyt = token("unit_reporter", COMMUNE, "TYT", subject="bc-tyt")
    officer = token("commune_officer", COMMUNE, subject="cong-chuc")
    officer_2 = token("commune_officer", COMMUNE, subject="cong-chuc-2")
    leader = token("commune_leader", COMMUNE, subject="chu-tich")
    worker = token("case_worker", COMMUNE, subject="cb-vu-viec")
    operator = token("operator", subject="van-hanh")
    province = token("province_officer", province="24")
    other_vhxh = token("unit_reporter", OTHER, "VHXH")
    other_officer = token("commune_officer", OTHER)


@pytest.fixture(scope="module")
def clock():
    return FixedClock(START)


@pytest.fixture(scope="module")
def service(postgres, amqp_uri, tmp_path_factory, clock):
    """The service with a plan (two units) and an urgent case of the commune received from the broker."""
    delete_consumer_queues(amqp_uri, "notifications")
    port, url = free_port(), postgres.create("inbox")
    container = ServiceContainer(NotificationsService, service_config(
        "notifications", port, amqp_uri, tmp_path_factory.mktemp("inbox"), url,
        OUTBOX_POLL_SECONDS="0.1", LOG_LEVEL="WARNING"))
    for dependency in container.dependencies:
        if isinstance(dependency, ClockProvider):
            dependency.clock = clock
    container.start()
    api = Api(f"http://127.0.0.1:{port}")
    plan = plan_issued(COMMUNE, ["VHXH", "TYT"], deadline=dt.date(2026, 11, 20))
    publish(amqp_uri, plan)
    publish(amqp_uri, CaseReported(case_code="VV26-ABCDEFGH", commune_code=COMMUNE, case_type=CaseType.SEXUAL_ABUSE,
                                   risk_level=RiskLevel.CRITICAL, status="reported",
                                   intake_channel=IntakeChannel.HOTLINE, reported_at=START, urgent=True))
    wait_until(lambda: len(inbox(api, Tokens.worker)["items"]) == 1 and len(inbox(api, Tokens.tyt)["items"]) == 1,
               timeout=30)
    yield container, api, plan, url
    container.stop()


def inbox(api, caller: str, **params) -> dict:
    response = api.call("GET", "/v1/inbox", caller, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def templates_of(answer: dict) -> list[str]:
    return sorted(item["template"] for item in answer["items"])


def test_each_caller_sees_what_is_addressed_to_it(service):
    _, api, _, _ = service
    assert templates_of(inbox(api, Tokens.vhxh)) == ["plan_issued_unit"]
    assert "Đơn vị VHXH" in inbox(api, Tokens.vhxh)["items"][0]["body"]
    assert "Đơn vị VHXH" not in inbox(api, Tokens.tyt)["items"][0]["body"]
    assert templates_of(inbox(api, Tokens.officer)) == ["plan_issued_commune"]
    assert templates_of(inbox(api, Tokens.leader)) == ["case_urgent"]
    assert templates_of(inbox(api, Tokens.worker)) == ["case_urgent"]
    assert inbox(api, Tokens.worker)["items"][0]["urgent"] is True
    for stranger in (Tokens.other_vhxh, Tokens.other_officer):
        assert inbox(api, stranger) == {"items": [], "unread": 0}
    assert refusal(api.call("GET", "/v1/inbox", Tokens.operator)) == (403, "wrong_role")


def test_marking_read_is_per_person_and_only_for_ones_own(service):
    _, api, _, _ = service
    [mine] = inbox(api, Tokens.officer)["items"]
    assert inbox(api, Tokens.officer)["unread"] == 1
    marked = api.call("POST", f"/v1/inbox/{mine['id']}/read", Tokens.officer)
    assert marked.status_code == 200 and marked.json() == {"unread": 0}
    assert api.call("POST", f"/v1/inbox/{mine['id']}/read", Tokens.officer).json() == {"unread": 0}  # again
    assert inbox(api, Tokens.officer)["items"][0]["read"] is True
    assert inbox(api, Tokens.officer, unread_only="true")["items"] == []
    assert inbox(api, Tokens.officer_2)["unread"] == 1  # another officer has not read it
    [case_alert] = inbox(api, Tokens.worker)["items"]
    for stranger in (Tokens.vhxh, Tokens.other_officer, Tokens.officer, Tokens.province):
        assert refusal(api.call("POST", f"/v1/inbox/{case_alert['id']}/read", stranger)) == (
            404, "notification_not_found")
    missing = "00000000-0000-0000-0000-000000000000"
    assert refusal(api.call("POST", f"/v1/inbox/{missing}/read", Tokens.worker)) == (404, "notification_not_found")


def listed(api, caller: str, **params) -> list[str]:
    response = api.call("GET", "/v1/notifications", caller, params=params)
    assert response.status_code == 200, response.text
    return sorted({item["template"] for item in response.json()["items"]})


def test_notifications_about_a_case_are_listed_only_to_roles_that_may_read_cases(service):
    _, api, _, _ = service
    assert listed(api, Tokens.leader) == ["case_urgent", "plan_issued_commune", "plan_issued_unit"]
    assert listed(api, Tokens.officer) == ["plan_issued_commune", "plan_issued_unit"]
    assert listed(api, Tokens.worker) == ["case_urgent"]
    assert listed(api, Tokens.vhxh) == ["plan_issued_unit"]
    assert "case_urgent" not in listed(api, Tokens.operator)
    assert "case_urgent" not in listed(api, Tokens.operator, commune_code=COMMUNE)
    assert refusal(api.call("GET", "/v1/notifications", Tokens.other_officer, params={"commune_code": COMMUNE})) \
        == (404, "commune_not_found")
    assert listed(api, Tokens.other_officer) == []


def test_preferences_are_validated_and_kept_per_recipient(service):
    _, api, _, _ = service
    assert api.call("GET", "/v1/preferences", Tokens.vhxh).json()["channels"] == ["email"]  # the default
    for body, field in [({"channels": []}, "channels"), ({"channels": ["fax"]}, "channels.0"),
                        ({"channels": ["sms", "sms"]}, "(body)"),
                        ({"channels": ["sms"], "quiet_hours": {"start": "25:00", "end": "06:00"}}, "quiet_hours.start"),
                        ({"channels": ["sms"], "quiet_hours": {"start": "22:00", "end": "22:00"}}, "quiet_hours"),
                        ({"channels": ["sms"], "colour": "red"}, "colour")]:
        response = api.call("PUT", "/v1/preferences", Tokens.vhxh, json=body)
        assert response.status_code == 422, (body, response.text)
        assert field in {f["field"] for f in response.json()["error"]["fields"]}, response.text
        assert "fax" not in response.text and "red" not in response.text  # the input is not echoed
    body = {"channels": ["zalo", "sms"], "quiet_hours": {"start": "21:30", "end": "06:30"}, "daily_digest": True}
    saved = api.call("PUT", "/v1/preferences", Tokens.vhxh, json=body)
    assert saved.status_code == 200, saved.text
    assert saved.json()["channels"] == ["zalo", "sms"] and saved.json()["recipient_unit"] == "VHXH"
    assert api.call("GET", "/v1/preferences", Tokens.vhxh).json()["quiet_hours"] == {"start": "21:30:00",
                                                                                      "end": "06:30:00"}
    assert api.call("GET", "/v1/preferences", Tokens.tyt).json()["daily_digest"] is False  # another unit's own
    assert refusal(api.call("PUT", "/v1/preferences", Tokens.operator, json=body)) == (403, "wrong_role")


def test_reminders_reach_the_inbox_as_the_clock_moves(service, clock):
    container, api, _, _ = service
    clock.set(dt.datetime(2026, 11, 6, 8, 30, tzinfo=VIETNAM))  # 14 days before 20/11
    with entrypoint_hook(container, "send_due_reminders") as send_due_reminders:
        send_due_reminders()
    assert "reminder_before_deadline" in templates_of(inbox(api, Tokens.tyt))
    [reminder] = [i for i in inbox(api, Tokens.tyt)["items"] if i["template"] == "reminder_before_deadline"]
    assert "hạn 20/11/2026" in reminder["title"]
    # VHXH set a daily digest: its reminder is in the inbox at once, and held for the 07:30 digest
    assert "reminder_before_deadline" in templates_of(inbox(api, Tokens.vhxh))
    with entrypoint_hook(container, "send_due_reminders") as send_due_reminders:
        send_due_reminders()  # again: nothing more
    assert templates_of(inbox(api, Tokens.tyt)).count("reminder_before_deadline") == 1


def test_a_unit_that_reported_is_reminded_no_more(service, clock, amqp_uri):
    container, api, plan, url = service
    publish(amqp_uri, UnitReportSubmitted(
        report_id=uuid.uuid4(), plan_id=plan.plan_id, commune_code=COMMUNE, year=2026, unit_code="TYT", revision=1,
        submitted_at=clock.now(), late=False, tasks_reported=1, tasks_done=1))
    engine = sa.create_engine(url)
    try:
        wait_until(lambda: _reported(engine) == ["TYT"], timeout=30)
    finally:
        engine.dispose()
    clock.set(dt.datetime(2026, 11, 13, 8, 30, tzinfo=VIETNAM))  # 7 days before 20/11
    with entrypoint_hook(container, "send_due_reminders") as send_due_reminders:
        send_due_reminders()
    reminded = [unit for unit, caller in (("VHXH", Tokens.vhxh), ("TYT", Tokens.tyt))
                for i in inbox(api, caller)["items"] if i["template"] == "reminder_before_deadline"]
    assert sorted(reminded) == ["TYT", "VHXH", "VHXH"]  # both on 6/11; on 13/11 only VHXH


def _reported(engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.scalars(sa.select(Reported.reporter)))

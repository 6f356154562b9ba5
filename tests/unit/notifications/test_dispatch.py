"""Delivery per channel on SQLite: idempotency, leases, retries with back-off, fallback, webhook disabling, events."""
import json
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from services.common.events import registry
from services.common.leases import Lease
from services.common.metrics import NOTIFICATION_BACKLOG as BACKLOG
from services.common.metrics import NOTIFICATION_DELIVERIES as DELIVERIES
from services.common.roles import Role
from services.notifications import notices
from services.notifications.channels import DeliveryError
from services.notifications.dispatch import Contacts, Dispatcher, Notice, Policy, Recipient
from services.notifications.models import Delivery, Notification, WebhookSubscription
from services.notifications.webhook_subscriptions import FORWARDED_EVENT_TYPES
from tests.support.largest_events import largest_data

START = datetime(2026, 11, 13, 1, 0, tzinfo=UTC)
NOTICES_OF: dict[str, Callable[[Any], list[notices.Addressed]]] = {
    "plan.issued.v1": notices.for_plan_issued, "plan.amended.v1": notices.for_plan_amended,
    "unit_report.returned.v1": notices.for_unit_report_returned, "case.reported.v1": notices.for_urgent_case,
    "case.risk_assessed.v1": notices.for_risk_raised, "case.overdue.v1": notices.for_case_overdue,
    "case.escalated.v1": notices.for_case_escalated, "case.referred.v1": notices.for_case_referred,
    "commune_report.approved.v1": notices.for_commune_report_approved,
    "commune_report.submitted.v1": notices.for_commune_report_submitted,
    "commune_report.returned.v1": notices.for_commune_report_returned,
    "commune_report.accepted.v1": notices.for_commune_report_accepted}
# the event types that notify someone (the others change reminders and go to webhooks only)
NOTIFYING_EVENT_TYPES = [t for t in FORWARDED_EVENT_TYPES if t in NOTICES_OF]
EMAIL, PHONE = "tram.yte@sonhai.gov.vn", "0912345678"


class Clock:
    def __init__(self):
        self.now = START

    def __call__(self):
        return self.now

    def advance(self, seconds: float):
        self.now += timedelta(seconds=seconds)


class ScriptedChannel:
    """Answers as told: "ok", "down" (a transient failure) or "refuse" (a permanent one)."""

    def __init__(self, name: str, contact: str | None, mode: str = "ok"):
        self.name, self.contact, self.mode = name, contact, mode
        self.sent: list[tuple[str | None, dict]] = []

    def send(self, address, content):
        if self.mode == "down":
            raise DeliveryError("HTTP 503: unavailable", permanent=False)
        if self.mode == "refuse":
            raise DeliveryError(f"550 <{address}> mailbox unknown", permanent=True)
        self.sent.append((address, content))
        return "accepted"


@pytest.fixture
def db(migrated_templates, tmp_path):
    database = migrated_templates.fresh("services.notifications:migrations", tmp_path / "notifications.db")
    yield database
    database.close()


@pytest.fixture
def clock():
    return Clock()


def dispatcher(clock, **channels) -> Dispatcher:
    policy = Policy(max_attempts=3, retry_seconds=30, urgent_fallback=("sms", "email"), webhook_max_failures=2,
                    public_url="https://binhdang.bacninh.gov.vn", lease_seconds=30, send_timeout=10)
    return Dispatcher(channels, policy, now=clock)


def reminder(source: str = "schedule:42") -> Notice:
    return Notice(kind="reminder_before_deadline", commune_code="07543", source_key=source, source_type="schedule",
                  urgent=False, context={"commune_name": "xã Sơn Hải", "year": 2026, "link": "/plans/1",
                                         "unit_name": "Trạm y tế", "days_left": 7,
                                         "deadline": date(2026, 11, 20)})


def urgent(source: str | None = None) -> Notice:
    return Notice(kind="case_urgent", commune_code="07543", source_key=source or str(uuid.uuid4()),
                  source_type="case.reported.v1", urgent=True,
                  context={"commune_name": "xã Sơn Hải", "year": 2026, "link": "/cases/VV26-ABCDEFGH",
                           "case_code": "VV26-ABCDEFGH", "case_type_name": "bạo lực gia đình (thể chất)",
                           "risk_name": "rất nghiêm trọng"})


def person(*channels: str, key: str = "unit:TYT:unit_reporter") -> Recipient:
    return Recipient(key=key, role=Role.UNIT_REPORTER, unit_code="TYT", contacts=Contacts(email=EMAIL, phone=PHONE),
                     channels=channels)


def enqueue(db, d: Dispatcher, notice: Notice, *recipients: Recipient) -> list[str]:
    with db.transaction() as session:
        return [x.id for x in d.enqueue(session, notice, recipients, now=d.now())]


def deliveries(db) -> dict[str, Delivery]:
    with db.transaction() as session:
        return {x.channel: x for x in session.scalars(sa.select(Delivery))}


def sweep_all(db, d: Dispatcher) -> int:
    return sum(d.sweep(db, name) for name in d.channels)


def test_enqueuing_the_same_notice_twice_adds_nothing(db, clock):
    d = dispatcher(clock, email=ScriptedChannel("email", "email"), sms=ScriptedChannel("sms", "phone"))
    assert len(enqueue(db, d, reminder(), person("email", "sms"))) == 2
    assert enqueue(db, d, reminder(), person("email", "sms")) == []
    assert sweep_all(db, d) == 2
    assert enqueue(db, d, reminder(), person("email", "sms")) == []  # also once sent
    assert sweep_all(db, d) == 0
    assert len(db.events("notification.delivered.v1")) == 2


def test_the_content_is_rendered_per_channel_and_the_inbox_row_holds_title_and_body(db, clock):
    email, sms = ScriptedChannel("email", "email"), ScriptedChannel("sms", "phone")
    d = dispatcher(clock, email=email, sms=sms)
    enqueue(db, d, reminder(), person("email", "sms"))
    sweep_all(db, d)
    [(address, content)] = email.sent
    assert address == EMAIL and "20/11/2026" in content["subject"]
    assert "https://binhdang.bacninh.gov.vn/plans/1" in content["html"] and content["text"]
    assert sms.sent[0] == (PHONE, {"text": sms.sent[0][1]["text"]}) and "Trạm y tế" in sms.sent[0][1]["text"]
    with db.transaction() as session:
        [notification] = session.scalars(sa.select(Notification)).all()
        assert notification.status == "delivered" and "còn 7 ngày" in notification.title


def test_a_channel_the_recipient_has_no_contact_for_is_skipped(db, clock):
    d = dispatcher(clock, email=ScriptedChannel("email", "email"), zalo=ScriptedChannel("zalo", "phone"))
    no_phone = Recipient(key="k", role=Role.COMMUNE_OFFICER, unit_code=None, contacts=Contacts(email=EMAIL),
                         channels=("zalo", "email", "carrier_pigeon"))
    enqueue(db, d, reminder(), no_phone)
    assert set(deliveries(db)) == {"email"}


def test_a_failure_is_retried_with_growing_delays_then_given_up_and_announced_without_contacts(db, clock):
    sms = ScriptedChannel("sms", "phone", mode="down")
    d = dispatcher(clock, sms=sms)
    enqueue(db, d, reminder(), person("sms"))
    d.sweep(db, "sms")
    first = deliveries(db)["sms"]
    assert (first.status, first.attempts, first.next_attempt_at) == ("retrying", 1, START + timedelta(seconds=30))
    clock.advance(29)
    d.sweep(db, "sms")
    assert deliveries(db)["sms"].attempts == 1  # not due yet
    clock.advance(1)
    d.sweep(db, "sms")
    second = deliveries(db)["sms"]
    assert (second.attempts, second.next_attempt_at) == (2, clock.now + timedelta(seconds=60))
    clock.advance(60)
    d.sweep(db, "sms")
    given_up = deliveries(db)["sms"]
    assert (given_up.status, given_up.attempts, given_up.provider_answer) == ("given_up", 3, "HTTP 503: unavailable")
    [failed] = db.events("notification.failed.v1")
    assert failed["data"]["outcome"] == "given_up" and failed["data"]["attempts"] == 3
    assert PHONE not in json.dumps(failed) and EMAIL not in json.dumps(failed)
    with db.transaction() as session:
        assert session.scalars(sa.select(Notification)).one().status == "failed"


def test_a_refusal_is_final_at_once_and_the_answer_keeps_no_address(db, clock):
    d = dispatcher(clock, email=ScriptedChannel("email", "email", mode="refuse"))
    enqueue(db, d, reminder(), person("email"))
    d.sweep(db, "email")
    refused = deliveries(db)["email"]
    assert refused.status == "failed" and refused.attempts == 1
    assert EMAIL not in (refused.provider_answer or "") and "550" in (refused.provider_answer or "")
    assert db.events("notification.failed.v1")[0]["data"]["outcome"] == "failed"


def test_an_urgent_notice_falls_back_to_the_next_channel_at_the_first_failure(db, clock):
    email, sms = ScriptedChannel("email", "email", mode="down"), ScriptedChannel("sms", "phone")
    d = dispatcher(clock, email=email, sms=sms)
    leader = Recipient(key="leader", role=Role.COMMUNE_LEADER, unit_code=None,
                       contacts=Contacts(email=EMAIL, phone=PHONE), channels=("email",))
    enqueue(db, d, urgent(), leader)
    assert deliveries(db)["sms"].status == "standby"
    assert d.sweep(db, "sms") == 0  # on standby: not sent while email may still get through
    assert d.sweep(db, "email") == 0
    assert deliveries(db)["sms"].status == "queued"
    assert d.sweep(db, "sms") == 1
    assert sms.sent and deliveries(db)["email"].status == "retrying"
    assert [e["data"]["channel"] for e in db.events("notification.delivered.v1")] == ["sms"]


def test_a_provider_outage_holds_up_neither_other_channels_nor_spends_other_messages_attempts(db, clock):
    sms, email = ScriptedChannel("sms", "phone", mode="down"), ScriptedChannel("email", "email")
    d = dispatcher(clock, sms=sms, email=email)
    for n in range(5):
        enqueue(db, d, reminder(f"schedule:{n}"), person("sms", "email", key=f"unit:U{n}:unit_reporter"))
    assert sweep_all(db, d) == 5  # every email went out
    with db.transaction() as session:
        attempts = sorted(session.scalars(sa.select(Delivery.attempts).where(Delivery.channel == "sms")))
    assert attempts == [0, 0, 0, 0, 1]  # the sweep stopped at the gateway's first failure


def test_a_worker_whose_lease_was_taken_over_records_nothing(db, clock):
    email = ScriptedChannel("email", "email")
    d = dispatcher(clock, email=email)
    enqueue(db, d, reminder(), person("email"))
    with db.transaction() as session:
        [slow] = d.claim_due(session, "email", token="slow", limit=10)
    assert d.sweep(db, "email") == 0  # the lease still holds: nobody else sends
    clock.advance(31)
    assert d.sweep(db, "email") == 1  # expired: another worker takes it
    assert d.send(db, [slow], "slow") == (0, 1)  # its lease is over: it neither sends nor records
    assert len(email.sent) == 1 and len(db.events("notification.delivered.v1")) == 1
    assert deliveries(db)["email"].attempts == 1


def test_nothing_to_send_on_leaves_the_notice_in_the_inbox_as_delivered(db, clock):
    d = dispatcher(clock, email=ScriptedChannel("email", "email"))
    enqueue(db, d, reminder(), Recipient(key="k", role=Role.UNIT_REPORTER, unit_code="TYT", contacts=Contacts(),
                                         channels=("email",)))
    with db.transaction() as session:
        assert session.scalars(sa.select(Notification.status)).one() == "delivered"
    assert deliveries(db) == {}


def subscribe(db, url: str = "http://127.0.0.1:9/hook") -> str:
    with db.transaction() as session:
        subscription = WebhookSubscription(id=str(uuid.uuid4()), event_type="case.overdue.v1", url=url,
                                           secret="whsec_" + "A" * 44, description="", active=True,
                                           consecutive_failures=0, created_at=START)
        session.add(subscription)
        return subscription.id


def test_a_webhook_subscription_is_disabled_after_consecutive_failures_with_an_event(db, clock):
    hook = ScriptedChannel("webhook", None, mode="down")
    d = dispatcher(clock, webhook=hook)
    subscription_id = subscribe(db)
    for n in range(3):
        with db.transaction() as session:
            d.enqueue_webhooks(session, str(uuid.uuid4()), "case.overdue.v1", json.dumps({"n": n}))
    d.sweep(db, "webhook")
    clock.advance(30)
    d.sweep(db, "webhook")
    with db.transaction() as session:
        subscription = session.get(WebhookSubscription, subscription_id)
        assert not subscription.active and subscription.consecutive_failures == 2
        statuses = sorted(session.scalars(sa.select(Delivery.status)))
    assert statuses == ["given_up", "given_up", "retrying"]
    [disabled] = db.events("webhook_subscription.disabled.v1")
    assert disabled["data"] == {"subscription_id": subscription_id, "event_type": "case.overdue.v1",
                                "consecutive_failures": 2, "disabled_at": disabled["data"]["disabled_at"]}
    assert "127.0.0.1" not in json.dumps(disabled) and "whsec" not in json.dumps(disabled)
    with db.transaction() as session:  # a disabled subscription gets nothing new
        assert d.enqueue_webhooks(session, str(uuid.uuid4()), "case.overdue.v1", "{}") == []


def test_a_webhook_success_resets_the_failure_count(db, clock):
    hook = ScriptedChannel("webhook", None, mode="down")
    d = dispatcher(clock, webhook=hook)
    subscription_id = subscribe(db)
    with db.transaction() as session:
        d.enqueue_webhooks(session, str(uuid.uuid4()), "case.overdue.v1", "{}")
    d.sweep(db, "webhook")
    hook.mode = "ok"
    clock.advance(30)
    assert d.sweep(db, "webhook") == 1
    with db.transaction() as session:
        assert session.get(WebhookSubscription, subscription_id).consecutive_failures == 0
    assert hook.sent[0][1]["secret"].startswith("whsec_")  # the secret is read at send time, not stored twice
    assert "secret" not in deliveries(db)["webhook"].content


def test_a_notice_held_until_later_is_sent_then_and_the_domain_clock_does_not_hold_the_rest(db, clock):
    email = ScriptedChannel("email", "email")
    d = dispatcher(clock, email=email)
    moved = START + timedelta(days=200)  # the service's clock, moved ahead (the demo): deliveries run on real time
    with db.transaction() as session:
        d.enqueue(session, reminder("schedule:now"), [person("email", key="a")], now=moved)
        d.enqueue(session, replace(reminder("schedule:quiet"), not_before=moved + timedelta(hours=8)),
                  [person("email", key="b")], now=moved)
    assert d.sweep(db, "email") == 1
    clock.advance(8 * 3600 - 1)
    assert d.sweep(db, "email") == 0
    clock.advance(1)
    assert d.sweep(db, "email") == 1
    with db.transaction() as session:
        assert {n.created_at for n in session.scalars(sa.select(Notification))} == {moved}


def test_a_recipients_digest_emails_due_together_go_out_as_one_email(db, clock):
    email = ScriptedChannel("email", "email")
    d = dispatcher(clock, email=email)
    morning = START + timedelta(hours=1)
    for n in range(3):
        enqueue(db, d, replace(reminder(f"schedule:{n}"), digest=True, not_before=morning), person("email"))
    enqueue(db, d, replace(reminder("schedule:other"), digest=True, not_before=morning),
            Recipient(
                key="other", role=Role.UNIT_REPORTER, unit_code="MN", contacts=Contacts(email="mam.non@sonhai.gov.vn"),
                channels=("email",)))
    enqueue(db, d, reminder("schedule:single"), person("email"))  # not a digest: on its own, at once
    assert d.sweep(db, "email") == 1
    clock.advance(3600)
    assert d.sweep(db, "email") == 4
    digest, other = email.sent[1:]
    assert digest[0] == EMAIL and digest[1]["subject"].startswith("Tổng hợp 3 thông báo ngày")
    assert digest[1]["text"].count("Xem chi tiết: https://binhdang.bacninh.gov.vn/plans/1") == 3
    assert other[0] == "mam.non@sonhai.gov.vn" and "còn 7 ngày" in other[1]["subject"]
    assert len(db.events("notification.delivered.v1")) == 5


@pytest.mark.parametrize("event_type", NOTIFYING_EVENT_TYPES)
def test_the_largest_event_makes_notifications_that_fit_their_columns(db, clock, event_type):
    """SQLite ignores column lengths; PostgreSQL refuses what does not fit (found by the contract-limits test)."""
    data = largest_data(registry.get(event_type))
    d = dispatcher(clock, email=ScriptedChannel("email", "email"))
    event_id = str(uuid.uuid4())
    for item in NOTICES_OF[event_type](data):
        enqueue(db, d, Notice(kind=item.kind, commune_code=data.commune_code, source_key=event_id,
                              source_type=event_type, urgent=False, context=item.context),
                Recipient(key=f"role:{item.recipient_role.value}:{item.recipient_unit or ''}",
                          role=item.recipient_role, unit_code=item.recipient_unit,
                          contacts=Contacts(email=EMAIL), channels=("email",)))
    columns = {c.name: getattr(c.type, "length", None) for c in Notification.__table__.columns}
    with db.transaction() as session:
        for notification in session.scalars(sa.select(Notification)):
            for name, length in columns.items():
                value = getattr(notification, name)
                assert length is None or value is None or len(value) <= length, (name, len(value))


def test_a_worker_does_not_start_a_send_its_lease_might_not_cover(db, clock):
    """Found under load (two replicas, 2,560 notifications): a worker still sending its event's notifications
    after its lease ran out recorded nothing, but another had taken and sent them too."""
    email = ScriptedChannel("email", "email")
    d = dispatcher(clock, email=email)  # lease 30 s; sends time out after 10 s
    lease = Lease.starting(clock.now, 30)
    with db.transaction() as session:
        leased = d.enqueue(session, reminder(), [person("email")], now=clock.now, lease=lease)
    clock.advance(21)
    assert d.send(db, leased, lease.token) == (0, 1) and email.sent == []
    assert d.sweep(db, "email") == 1  # given back at once, not left to expire


def test_the_backlog_counts_due_and_unsent_deliveries_per_channel(db, clock):
    d = dispatcher(clock, email=ScriptedChannel("email", "email"), sms=ScriptedChannel("sms", "phone", mode="down"))
    enqueue(db, d, reminder(), person("email", "sms"))
    enqueue(db, d, replace(reminder("schedule:later"), not_before=START + timedelta(hours=1)), person("email"))
    with db.transaction() as session:
        assert d.measure_backlog(session) == {"email": 1, "sms": 1}
    assert BACKLOG.labels("email")._value.get() == 1
    d.sweep(db, "email")
    d.sweep(db, "sms")  # fails: retried in 30 s, not due now
    with db.transaction() as session:
        assert d.measure_backlog(session) == {}
    assert BACKLOG.labels("sms")._value.get() == 0
    assert DELIVERIES.labels("sms", "retried")._value.get() >= 1

"""Quiet hours and the daily digest hold non-urgent notices back; urgent case alerts never wait."""
from __future__ import annotations

import datetime as dt

import pytest

from services.common.auth import Principal
from services.common.clock import VIETNAM
from services.common.events import registry
from services.common.events.contracts import CaseReported, CaseType, IntakeChannel, RiskLevel
from services.common.events.received import ReceivedEvent, decode_event
from services.common.leases import Lease
from services.common.roles import Role
from services.notifications import notices, operations, preferences
from services.notifications.channels import channels_from_config
from services.notifications.dispatch import Contacts, Dispatcher, Policy
from services.notifications.models import Delivery
from services.notifications.schemas import PreferencesIn, QuietHours
from tests.support.plan_events import plan_issued, wire

NIGHT = QuietHours(start=dt.time(22), end=dt.time(6, 30))


def vietnam(hour: int, minute: int = 0, day: int = 2) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=VIETNAM)


@pytest.mark.parametrize(("now", "expected"), [
    (vietnam(21, 59), None),                      # before the quiet hours: at once
    (vietnam(23, 0), vietnam(6, 30, day=3)),      # in them, before midnight: at their end
    (vietnam(3, 0), vietnam(6, 30)),              # in them, after midnight
    (vietnam(6, 30), None),                       # their end is not quiet
])
def test_quiet_hours_over_midnight(now, expected):
    assert preferences.send_after(now, NIGHT.start, NIGHT.end, daily_digest=False) == expected


def test_a_digest_goes_out_at_the_next_digest_hour_outside_the_quiet_hours():
    assert preferences.send_after(vietnam(9), None, None, daily_digest=True) == vietnam(7, 30, day=3)
    assert preferences.send_after(vietnam(7, 0), None, None, daily_digest=True) == vietnam(7, 30)
    late_riser = (dt.time(22), dt.time(8))
    assert preferences.send_after(vietnam(9), *late_riser, daily_digest=True) == vietnam(8, 0, day=3)


@pytest.fixture
def db(migrated_templates, tmp_path):
    database = migrated_templates.fresh("services.notifications:migrations", tmp_path / "notifications.db")
    yield database
    database.close()


def dispatcher_at(moment: dt.datetime) -> Dispatcher:
    """Email and the console, on a clock standing at `moment` (nothing is sent here)."""
    config = {"NOTIFICATION_CHANNELS": "email,console"}
    return Dispatcher(channels_from_config(config), Policy.from_config(config), now=lambda: moment)


CONTACTS = {(Role.UNIT_REPORTER, "VHXH"): Contacts(email="vhxh@sonhai.gov.vn"),
            (Role.COMMUNE_LEADER, None): Contacts(email="chutich@sonhai.gov.vn")}


def record(session, d: Dispatcher, event, addressed, at: dt.datetime, lease: Lease) -> list[Delivery]:
    return operations.record(session, d, "07543", addressed, source_key=str(event.id), source_type=event.type,
                             contacts=CONTACTS, now=at, lease=lease)


def template(delivery: Delivery) -> str:
    assert delivery.notification is not None
    return delivery.notification.template


def test_quiet_hours_hold_a_plan_notice_but_never_an_urgent_case_alert(db):
    night = vietnam(23)
    for role in (Role.UNIT_REPORTER, Role.COMMUNE_LEADER):
        principal = Principal("someone", role, "07543", "VHXH" if role is Role.UNIT_REPORTER else None)
        with db.transaction() as session:
            preferences.put(session, principal, PreferencesIn(channels=["email"], quiet_hours=NIGHT), night)
    plan = plan_issued("07543", ["VHXH"])
    case = CaseReported(case_code="VV26-ABCDEFGH", commune_code="07543", case_type=CaseType.SEXUAL_ABUSE,
                        risk_level=RiskLevel.CRITICAL, status="reported", intake_channel=IntakeChannel.HOTLINE,
                        reported_at=night, urgent=True)
    lease = Lease.starting(night, 30)
    d = dispatcher_at(night)
    with db.transaction() as session:
        added = record(session, d, received(plan), notices.for_plan_issued(plan), night, lease)
        added += record(session, d, received(case), notices.for_urgent_case(case), night, lease)
        at_once = sorted({(template(x), x.channel) for x in added if x.claimed_by == lease.token})
        held = {(template(x), x.channel): x.next_attempt_at for x in added if x.claimed_by is None}
    # the officer set no quiet hours; the case workers have no email contact: the console only
    assert at_once == [("case_urgent", "console"), ("case_urgent", "email"), ("plan_issued_commune", "console")]
    assert held == {("plan_issued_unit", "email"): vietnam(6, 30, day=3),
                    ("plan_issued_unit", "console"): vietnam(6, 30, day=3)}


def received(data) -> ReceivedEvent:
    """The event as a consumer receives it from the wire."""
    return decode_event(wire(data)[1], registry.for_model(type(data)).name)


def test_the_delivery_sweep_leaves_a_held_notification_until_its_time(db):
    night = vietnam(23)
    with db.transaction() as session:
        principal = Principal("someone", Role.UNIT_REPORTER, "07543", "VHXH")
        preferences.put(session, principal, PreferencesIn(channels=["email"], quiet_hours=NIGHT), night)
    plan = plan_issued("07543", ["VHXH"])
    with db.transaction() as session:
        record(session, dispatcher_at(night), received(plan), notices.for_plan_issued(plan)[:1], night,
               Lease.starting(night, 30))
    with db.transaction() as session:
        assert dispatcher_at(night).claim_due(session, "email", token="a", limit=10) == []
    with db.transaction() as session:
        [claimed] = dispatcher_at(vietnam(6, 30, 3)).claim_due(session, "email", token="b", limit=10)
        assert claimed.notification is not None and claimed.notification.template == "plan_issued_unit"

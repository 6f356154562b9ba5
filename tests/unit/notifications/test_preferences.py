"""Quiet hours and the daily digest hold non-urgent notices back; urgent case alerts never wait."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from services.common.auth import Principal
from services.common.clock import VIETNAM
from services.common.events import registry
from services.common.events.contracts import CaseReported, CaseType, IntakeChannel, RiskLevel
from services.common.events.received import ReceivedEvent, decode_event
from services.common.leases import Lease
from services.common.roles import Role
from services.notifications import delivery, operations, preferences, templates
from services.notifications.models import Notification
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


def test_quiet_hours_hold_a_plan_notice_but_never_an_urgent_case_alert(db):
    night = vietnam(23)
    for role in (Role.UNIT_REPORTER, Role.COMMUNE_LEADER):
        principal = Principal("someone", role, "07543", "VHXH" if role is Role.UNIT_REPORTER else None)
        with db.transaction() as session:
            preferences.put(session, principal, PreferencesIn(channels=["sms"], quiet_hours=NIGHT), night)
    plan = plan_issued("07543", ["VHXH"])
    case = CaseReported(case_code="VV26-ABCDEFGH", commune_code="07543", case_type=CaseType.SEXUAL_ABUSE,
                        risk_level=RiskLevel.CRITICAL, status="reported", intake_channel=IntakeChannel.HOTLINE,
                        reported_at=night, urgent=True)
    lease = Lease.starting(night, 30)
    with db.transaction() as session:
        at_once = [n.template for n in operations.record(session, received(plan), templates.for_plan_issued(plan),
                                                          "file", night, lease)]
        at_once += [n.template for n in operations.record(session, received(case), templates.for_urgent_case(case),
                                                           "file", night, lease)]
        held = {n.template: n.send_after for n in session.scalars(
            sa.select(Notification).where(Notification.send_after.is_not(None)))}
    assert at_once == ["plan_issued_commune", "case_urgent", "case_urgent"]  # the officer set no quiet hours
    assert held == {"plan_issued_unit": vietnam(6, 30, day=3)}


def received(data) -> ReceivedEvent:
    """The event as a consumer receives it from the wire."""
    return decode_event(wire(data)[1], registry.for_model(type(data)).name)


def test_the_delivery_sweep_leaves_a_held_notification_until_its_time(db):
    night = vietnam(23)
    with db.transaction() as session:
        session.add(Notification(
            id="held", commune_code="07543", template="plan_issued_unit", recipient_role="unit_reporter",
            recipient_unit="VHXH", channel="file", title="Kế hoạch", body="Nội dung", status="pending",
            trigger_event_id="e", trigger_event_type="plan.issued.v1", created_at=night, send_after=vietnam(6, 30, 3)))
    wall = dt.datetime.now(dt.UTC)
    with db.transaction() as session:
        assert delivery.claim_pending(session, token="a", limit=10, lease_seconds=30, now=wall, due_by=night) == []
    with db.transaction() as session:
        [claimed] = delivery.claim_pending(session, token="b", limit=10, lease_seconds=30, now=wall,
                                           due_by=vietnam(6, 30, 3))
        assert claimed.id == "held"

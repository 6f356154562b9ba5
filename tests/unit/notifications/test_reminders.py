"""Reminders from the plan's dates on SQLite (the embedded default): what is scheduled, what is sent when, and
what stops them. PostgreSQL, replicas and crashes: tests/integration/notifications/test_reminder_scheduler.py."""
from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
import sqlalchemy as sa

from services.common.clock import VIETNAM, FixedClock
from services.common.events.contracts import PlanAmended, PlanKeyDate
from services.common.roles import Role
from services.notifications import operations, reminders, schedule
from services.notifications.channels import channels_from_config
from services.notifications.dispatch import Contacts, Dispatcher, Policy
from services.notifications.models import Delivery, Notification, Reminder
from tests.support.plan_events import plan_issued, units

COMMUNE = "07543"
DEADLINE = dt.date(2026, 11, 20)
PROVINCE_DEADLINE = dt.date(2026, 12, 15)
GRACE = dt.timedelta(hours=36)
LEASE = 30.0
CONSOLE = {"NOTIFICATION_CHANNELS": "console"}
# reminders become notifications with a console delivery each (recipients without contacts)
NOTIFY = operations.reminder_notifier(Dispatcher(channels_from_config(CONSOLE), Policy.from_config(CONSOLE)),
                                      lambda commune, role, unit: Contacts())


def vietnam(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), VIETNAM)


@pytest.fixture
def db(migrated_templates, tmp_path):
    database = migrated_templates.fresh("services.notifications:migrations", tmp_path / "notifications.db")
    yield database
    database.close()


def issue(db, unit_codes=("VHXH", "TYT"), key_dates=()):
    plan = plan_issued(COMMUNE, list(unit_codes), deadline=DEADLINE)
    plan = plan.model_copy(update={"key_dates": list(key_dates)})
    with db.transaction() as session:
        schedule.reschedule(session, plan, PROVINCE_DEADLINE, hour=8)
    return plan


def send(db, clock: FixedClock, wall: dt.datetime | None = None) -> Counter[str]:
    return reminders.send_due(db, now=clock.now, wall=lambda: wall or dt.datetime.now(dt.UTC), lease_seconds=LEASE,
                              grace=GRACE, notify=NOTIFY)


def sent(db) -> list[tuple[str, str, str | None]]:
    """(the reminder's kind, role, unit) of each notification made from a reminder."""
    with db.transaction() as session:
        return sorted(tuple(row) for row in session.execute(
            sa.select(Reminder.kind, Notification.recipient_role, Notification.recipient_unit)
            .join(Reminder, Reminder.id == Notification.trigger_event_id)
            .where(Notification.trigger_event_type == reminders.TRIGGER)))


def test_a_plan_schedules_unit_deadlines_the_action_month_its_observances_and_the_communes_deadline():
    plan = plan_issued(COMMUNE, ["VHXH"], deadline=DEADLINE).model_copy(update={"key_dates": [
        PlanKeyDate(name="Ngày Gia đình Việt Nam", start=dt.date(2026, 6, 28)),
        PlanKeyDate(name="Tháng hành động", start=dt.date(2026, 11, 15), end=dt.date(2026, 12, 15))]})
    planned = {(p.kind, p.recipient_role, p.recipient_unit): p.day
               for p in schedule.planned_for(plan, PROVINCE_DEADLINE)}
    assert planned == {
        ("unit_deadline_in_14_days", Role.UNIT_REPORTER, "VHXH"): dt.date(2026, 11, 6),
        ("unit_deadline_in_7_days", Role.UNIT_REPORTER, "VHXH"): dt.date(2026, 11, 13),
        ("unit_deadline_in_1_day", Role.UNIT_REPORTER, "VHXH"): dt.date(2026, 11, 19),
        ("unit_deadline_passed", Role.UNIT_REPORTER, "VHXH"): dt.date(2026, 11, 21),
        ("action_month", Role.UNIT_REPORTER, "VHXH"): dt.date(2026, 11, 15),
        ("observance_family_day", Role.UNIT_REPORTER, "VHXH"): dt.date(2026, 6, 28),  # 8/3, 20/10: not named
        ("commune_deadline_in_7_days", Role.COMMUNE_OFFICER, ""): dt.date(2026, 12, 8),
        ("commune_deadline_in_1_day", Role.COMMUNE_OFFICER, ""): dt.date(2026, 12, 14),
        ("commune_deadline_in_7_days", Role.COMMUNE_LEADER, ""): dt.date(2026, 12, 8),
        ("commune_deadline_in_1_day", Role.COMMUNE_LEADER, ""): dt.date(2026, 12, 14),
    }
    assert schedule.due_at(dt.date(2026, 11, 6), 8) == dt.datetime(2026, 11, 6, 1, 0, tzinfo=dt.UTC)  # 08:00 ICT


def test_each_reminder_is_sent_on_its_day_once(db):
    issue(db)
    clock = FixedClock(vietnam(dt.date(2026, 11, 6), 7))
    assert send(db, clock) == Counter() and sent(db) == []  # 07:00: not yet
    clock.set(vietnam(dt.date(2026, 11, 6), 8))
    assert send(db, clock) == Counter(sent=2)
    assert send(db, clock) == Counter()  # again: nothing
    assert sent(db) == [("unit_deadline_in_14_days", "unit_reporter", "TYT"),
                        ("unit_deadline_in_14_days", "unit_reporter", "VHXH")]
    with db.transaction() as session:
        [notification] = session.scalars(sa.select(Notification).where(Notification.recipient_unit == "VHXH"))
        channels = session.scalars(sa.select(Delivery.channel).where(Delivery.notification_id == notification.id))
        assert list(channels) == ["console"]  # its delivery, which the dispatcher's sweep sends
    assert "ngày 20/11/2026 (còn 14 ngày)" in notification.body and "Đơn vị VHXH" in notification.body


def test_a_unit_that_reported_gets_no_more_deadline_reminders_but_still_the_action_month(db):
    plan = issue(db)
    clock = FixedClock(vietnam(dt.date(2026, 11, 6)))
    send(db, clock)
    with db.transaction() as session:
        reminders.mark_reported(session, str(plan.plan_id), "VHXH", clock.now())
    clock.set(vietnam(dt.date(2026, 11, 13)))
    assert send(db, clock) == Counter(sent=1, cancelled=1)
    clock.set(vietnam(dt.date(2026, 11, 15)))
    assert send(db, clock) == Counter(sent=2)  # the Action Month: to every unit
    with db.transaction() as session:  # the unit's report is returned: it is reminded again
        reminders.mark_returned(session, str(plan.plan_id), "VHXH")
    clock.set(vietnam(dt.date(2026, 11, 19)))
    assert send(db, clock) == Counter(sent=2)
    assert [u for t, _, u in sent(db) if t == "unit_deadline_in_1_day"] == ["TYT", "VHXH"]


def test_after_a_long_outage_only_the_latest_due_reminder_of_a_series_is_sent(db):
    issue(db, key_dates=[PlanKeyDate(name="Ngày Phụ nữ Việt Nam", start=dt.date(2026, 10, 20))])
    clock = FixedClock(vietnam(dt.date(2026, 11, 19), 10))  # down since October: 20/10, 6/11, 13/11 and 19/11 due
    assert send(db, clock) == Counter(sent=2, superseded=4, expired=4)  # 20/10 and 15/11: stale
    assert sent(db) == [("unit_deadline_in_1_day", "unit_reporter", "TYT"),
                        ("unit_deadline_in_1_day", "unit_reporter", "VHXH")]
    assert send(db, clock) == Counter()


def test_a_reminder_leased_by_a_process_that_died_is_sent_once_its_lease_expires(db):
    issue(db, ["VHXH"])
    clock = FixedClock(vietnam(dt.date(2026, 11, 6)))
    wall = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with db.transaction() as session:  # claimed, then the process is killed before it settles anything
        [claimed] = reminders.claim_due(session, token="dead", now=clock.now(), wall=wall, lease_seconds=LEASE)
    assert send(db, clock, wall=wall + dt.timedelta(seconds=10)) == Counter()  # the lease still holds
    with db.transaction() as session:
        assert reminders.overdue(session, clock.now() + dt.timedelta(minutes=10)) == 1  # a metric, an alert
    assert send(db, clock, wall=wall + dt.timedelta(seconds=LEASE + 1)) == Counter(sent=1)
    with db.transaction() as session:  # the dead process's late settle changes nothing
        assert reminders.settle(session, claimed, "dead", clock.now(), GRACE, NOTIFY) == ""
    assert len(sent(db)) == 1


def test_an_amended_plan_moves_what_is_not_sent_and_drops_units_it_no_longer_names(db):
    plan = issue(db)
    clock = FixedClock(vietnam(dt.date(2026, 11, 6)))
    send(db, clock)
    amended = PlanAmended(plan_id=plan.plan_id, commune_code=COMMUNE, year=2026, version=2, previous_version=1,
                          title="Kế hoạch", report_deadline=dt.date(2026, 11, 25), units=units(["VHXH"]),
                          changed_parts=["report_deadline"], amended_at=clock.now())
    with db.transaction() as session:
        schedule.reschedule(session, amended, PROVINCE_DEADLINE, hour=8)
        rows = {(r.kind, r.recipient_unit): (r.status, r.due_at.astimezone(VIETNAM).date())
                for r in session.scalars(sa.select(Reminder))}
    assert rows[("unit_deadline_in_14_days", "VHXH")] == ("sent", dt.date(2026, 11, 6))  # sent: as it was
    assert rows[("unit_deadline_in_7_days", "VHXH")] == ("due", dt.date(2026, 11, 18))
    assert ("unit_deadline_in_7_days", "TYT") not in rows and rows[("unit_deadline_in_14_days", "TYT")][0] == "sent"


def test_the_commune_deadline_reminds_officer_and_leader_until_the_report_is_submitted(db):
    plan = issue(db, ["VHXH"])
    clock = FixedClock(vietnam(dt.date(2026, 12, 8)))
    assert send(db, clock)["sent"] == 2
    with db.transaction() as session:
        reminders.mark_reported(session, str(plan.plan_id), schedule.COMMUNE, clock.now())
    clock.set(vietnam(dt.date(2026, 12, 14)))
    assert send(db, clock) == Counter(cancelled=2)
    assert [s for s in sent(db) if s[2] is None] == [("commune_deadline_in_7_days", "commune_leader", None),
                                                     ("commune_deadline_in_7_days", "commune_officer", None)]


def test_a_plan_or_a_report_received_twice_changes_nothing_the_second_time(db):
    plan = issue(db)
    with db.transaction() as session:
        before = sorted((r.id, r.kind, r.recipient_unit, r.due_at) for r in session.scalars(sa.select(Reminder)))
        schedule.reschedule(session, plan, PROVINCE_DEADLINE, hour=8)  # the same plan.issued, redelivered
    with db.transaction() as session:
        assert sorted((r.id, r.kind, r.recipient_unit, r.due_at) for r in session.scalars(sa.select(Reminder))) \
            == before
        for _ in range(2):
            reminders.mark_reported(session, str(plan.plan_id), "VHXH", vietnam(dt.date(2026, 11, 1)))
            session.flush()
    clock = FixedClock(vietnam(dt.date(2026, 11, 6)))
    assert send(db, clock) == Counter(sent=1, cancelled=1)


def test_a_closed_plan_and_a_dissolved_unit_are_reminded_of_nothing_more(db):
    plan = issue(db)
    clock = FixedClock(vietnam(dt.date(2026, 11, 6)))
    send(db, clock)
    with db.transaction() as session:  # TYT is dissolved after 10/11
        reminders.cancel_unit(session, COMMUNE, "TYT", schedule.due_at(dt.date(2026, 11, 11), 0), clock.now())
    clock.set(vietnam(dt.date(2026, 11, 13)))
    assert send(db, clock) == Counter(sent=1)
    with db.transaction() as session:
        reminders.cancel_plan(session, str(plan.plan_id), clock.now())
    clock.set(vietnam(dt.date(2026, 12, 20)))
    assert send(db, clock) == Counter()
    assert [u for k, _, u in sent(db) if k == "unit_deadline_in_7_days"] == ["VHXH"]

"""The reminders a plan's dates call for, as rows due at a time (sent by reminders.py).

From an issued or amended plan:
- each unit that must report: 14, 7 and 1 days before the report deadline, and the day after it;
- every unit: the start of the Action Month for gender equality (15/11) and the observance days the plan
  names among 8/3, 28/6 and 20/10;
- the commune officer and leader: 7 and 1 days before the commune's own deadline to Sở Nội vụ.
A reminder is due at REMINDER_HOUR (Vietnam time) of its day. An amended plan moves the reminders not yet
sent and drops those of units it no longer names; sent ones stay as they were.
"""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.clock import VIETNAM
from services.common.events.contracts import PlanAmended, PlanIssued
from services.common.roles import Role
from services.notifications.models import Reminder

DUE, SENT = "due", "sent"
COMMUNE = ""  # the recipient_unit of a reminder to a commune role

UNIT_DEADLINE_DAYS = {"unit_deadline_in_14_days": -14, "unit_deadline_in_7_days": -7,
                      "unit_deadline_in_1_day": -1, "unit_deadline_passed": 1}
COMMUNE_DEADLINE_DAYS = {"commune_deadline_in_7_days": -7, "commune_deadline_in_1_day": -1}
ACTION_MONTH = (11, 15)
# (month, day) -> kind and the day's name as the plan would write it
OBSERVANCES = {
    (3, 8): ("observance_womens_day", "Ngày Quốc tế Phụ nữ 8/3"),
    (6, 28): ("observance_family_day", "Ngày Gia đình Việt Nam 28/6"),
    (10, 20): ("observance_vietnamese_womens_day", "Ngày Phụ nữ Việt Nam 20/10"),
}


@dataclass(frozen=True)
class Planned:
    kind: str
    series: str
    recipient_role: Role
    recipient_unit: str
    day: dt.date
    context: dict


def due_at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), VIETNAM).astimezone(dt.UTC)


def planned_for(event: PlanIssued | PlanAmended, province_deadline: dt.date) -> list[Planned]:
    """Every reminder the plan's dates call for (whether or not its day has passed)."""
    deadline = event.report_deadline
    base = {"year": event.year, "plan_id": str(event.plan_id), "plan_title": event.title}
    planned = []
    for unit in event.units:
        unit_context = {**base, "unit_code": unit.unit_code, "unit_name": unit.name,
                        "deadline": deadline.isoformat()}
        for kind, offset in UNIT_DEADLINE_DAYS.items():
            planned.append(Planned(kind, f"unit_deadline:{unit.unit_code}", Role.UNIT_REPORTER, unit.unit_code,
                                   deadline + dt.timedelta(days=offset), unit_context))
        action_month = dt.date(event.year, *ACTION_MONTH)
        planned.append(Planned("action_month", "action_month", Role.UNIT_REPORTER, unit.unit_code, action_month,
                               {**unit_context, "day": action_month.isoformat()}))
        for key_date in event.key_dates or []:
            observance = OBSERVANCES.get((key_date.start.month, key_date.start.day))
            if observance:
                kind, name = observance
                planned.append(Planned(kind, kind, Role.UNIT_REPORTER, unit.unit_code, key_date.start,
                                       {**unit_context, "day": key_date.start.isoformat(), "day_name": name}))
    for role in (Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER):
        for kind, offset in COMMUNE_DEADLINE_DAYS.items():
            planned.append(Planned(kind, "commune_deadline", role, COMMUNE,
                                   province_deadline + dt.timedelta(days=offset),
                                   {**base, "deadline": province_deadline.isoformat()}))
    return planned


def reschedule(session: Session, event: PlanIssued | PlanAmended, province_deadline: dt.date, hour: int) -> None:
    """Make the plan's reminder rows what its dates call for, leaving alone the ones already sent or settled."""
    existing = {(r.kind, r.recipient_role, r.recipient_unit): r for r in session.scalars(
        sa.select(Reminder).where(Reminder.plan_id == str(event.plan_id)))}
    wanted = set()
    for planned in planned_for(event, province_deadline):
        key = (planned.kind, planned.recipient_role.value, planned.recipient_unit)
        wanted.add(key)
        row = existing.get(key)
        if row is None:
            session.add(Reminder(
                id=str(uuid.uuid4()), commune_code=event.commune_code, plan_id=str(event.plan_id), kind=planned.kind,
                series=planned.series, recipient_role=planned.recipient_role.value,
                recipient_unit=planned.recipient_unit, due_at=due_at(planned.day, hour), context=planned.context,
                status=DUE))
        elif row.status == DUE:
            row.due_at = due_at(planned.day, hour)
            row.context = planned.context
    for key, row in existing.items():
        if key not in wanted and row.status == DUE:
            session.delete(row)

"""Event handlers that build reporting's projections. Each runs inside `apply_once`."""
from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.clock import VIETNAM
from services.common.db import lock_key
from services.common.events.contracts import PlanIssued
from services.common.subscriber import ReceivedEvent
from services.reporting.models import CaseFact, DissolvedUnit, ExpectedUnit, Plan, ReturnedRevision, UnitSubmission


def record_plan_version(session: Session, event: ReceivedEvent) -> None:
    """plan.issued and plan.amended: the plan's latest version says who must report under it, and by when."""
    data = event.data
    known_at = data.issued_at if isinstance(data, PlanIssued) else data.amended_at
    plan = _plan(session, data.plan_id, data.commune_code, data.year)
    plan.issued_at = min(plan.issued_at, known_at) if plan.issued_at else known_at
    if data.version <= plan.version:
        return  # an older version arriving late changes nothing
    plan.version, plan.report_deadline = data.version, data.report_deadline
    session.execute(sa.delete(ExpectedUnit).where(ExpectedUnit.plan_id == plan.plan_id))
    session.add_all(ExpectedUnit(plan_id=plan.plan_id, unit_code=unit.unit_code, commune_code=data.commune_code,
                                 name=unit.name) for unit in data.units)


def record_plan_closed(session: Session, event: ReceivedEvent) -> None:
    """plan.closed: the plan no longer defines its year once another is issued; its reports stay its own."""
    data = event.data
    plan = _plan(session, data.plan_id, data.commune_code, data.year)
    if plan.closed_at is None:
        plan.closed_at = data.closed_at


def _plan(session: Session, plan_id: uuid.UUID, commune_code: str, year: int) -> Plan:
    """The plan's row, created by whichever of its events comes first; held until commit."""
    lock_key(session, f"plan:{plan_id}")
    plan = session.get(Plan, str(plan_id))
    if plan is None:
        plan = Plan(plan_id=str(plan_id), commune_code=commune_code, year=year, version=0)
        session.add(plan)
    return plan


def record_unit_report(session: Session, event: ReceivedEvent) -> None:
    """unit_report.submitted and unit_report.revised: the unit's latest revision under the plan.

    Kept even before the plan's own events arrive (separate queues)."""
    data = event.data
    lock_key(session, f"submission:{data.plan_id}:{data.unit_code}")
    submission = session.get(UnitSubmission, (str(data.plan_id), data.unit_code))
    if submission is None:
        session.add(UnitSubmission(plan_id=str(data.plan_id), unit_code=data.unit_code,
                                   commune_code=data.commune_code, report_id=str(data.report_id),
                                   revision=data.revision, first_submitted_at=data.submitted_at,
                                   last_submitted_at=data.submitted_at, late=data.late))
    else:
        if data.revision > submission.revision:
            submission.report_id, submission.revision = str(data.report_id), data.revision
            submission.last_submitted_at = data.submitted_at
        # Lateness is judged by the first submission: a correction does not make a report late. The
        # revised event may be consumed before the submitted one (separate queues): the earliest wins.
        if data.submitted_at < submission.first_submitted_at:
            submission.first_submitted_at, submission.late = data.submitted_at, data.late


def record_unit_report_returned(session: Session, event: ReceivedEvent) -> None:
    data = event.data
    lock_key(session, f"submission:{data.plan_id}:{data.unit_code}")
    if session.get(ReturnedRevision, (str(data.plan_id), data.unit_code, data.revision)) is None:
        session.add(ReturnedRevision(plan_id=str(data.plan_id), unit_code=data.unit_code, revision=data.revision,
                                     commune_code=data.commune_code))


def record_unit_dissolved(session: Session, event: ReceivedEvent) -> None:
    """unit.dissolved: kept as a fact of the directory, applied when a plan's status is read, so that it
    holds for plans whose events come after it. A later decision (by event time) replaces an earlier one."""
    data = event.data
    lock_key(session, f"dissolved:{data.commune_code}:{data.unit_code}")
    dissolved = session.get(DissolvedUnit, (data.commune_code, data.unit_code))
    if dissolved is None:
        session.add(DissolvedUnit(commune_code=data.commune_code, unit_code=data.unit_code,
                                  active_to=data.active_to, decided_at=event.envelope.time))
    elif event.envelope.time >= dissolved.decided_at:
        dissolved.active_to, dissolved.decided_at = data.active_to, event.envelope.time


def record_case_reported(session: Session, event: ReceivedEvent) -> None:
    data = event.data
    lock_key(session, f"case:{data.case_code}")
    fact = session.get(CaseFact, data.case_code)
    if fact is None:
        session.add(CaseFact(case_code=data.case_code, commune_code=data.commune_code,
                             year=data.reported_at.astimezone(VIETNAM).year, case_type=data.case_type.value,
                             counted=data.statistics_consent, reported_at=data.reported_at))
    else:  # the escalation came first: the report fixes the year and the consent
        fact.reported_at, fact.counted = data.reported_at, data.statistics_consent
        fact.year = data.reported_at.astimezone(VIETNAM).year


def record_case_escalated(session: Session, event: ReceivedEvent) -> None:
    """Escalations may arrive before the report event (separate queues): create the fact if needed."""
    data = event.data
    lock_key(session, f"case:{data.case_code}")
    fact = session.get(CaseFact, data.case_code)
    if fact is None:
        fact = CaseFact(case_code=data.case_code, commune_code=data.commune_code,
                        year=data.escalated_at.astimezone(VIETNAM).year, case_type=data.case_type.value)
        session.add(fact)
    if fact.escalated_at is None or data.escalated_at < fact.escalated_at:
        fact.escalated_at = data.escalated_at



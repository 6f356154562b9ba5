"""Event handlers that build reporting's projections. Each runs inside `apply_once`."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.clock import VIETNAM
from services.common.db import lock_key
from services.common.subscriber import ReceivedEvent
from services.reporting.models import CaseFact, ExpectedUnit, ReturnedRevision, UnitSubmission


def record_plan_version(session: Session, event: ReceivedEvent) -> None:
    """plan.issued and plan.amended: the plan's current version defines who must report for the year."""
    data = event.data
    lock_key(session, f"expected:{data.commune_code}:{data.year}")
    current = session.scalar(sa.select(sa.func.max(ExpectedUnit.plan_version)).where(
        ExpectedUnit.commune_code == data.commune_code, ExpectedUnit.year == data.year,
        ExpectedUnit.plan_id == str(data.plan_id)))
    if current is not None and current > data.version:
        return  # an older version arriving late changes nothing
    session.execute(sa.delete(ExpectedUnit).where(ExpectedUnit.commune_code == data.commune_code,
                                                  ExpectedUnit.year == data.year))
    for unit in data.units:
        session.add(ExpectedUnit(commune_code=data.commune_code, year=data.year, unit_code=unit.unit_code,
                                 plan_id=str(data.plan_id), plan_version=data.version, name=unit.name,
                                 report_deadline=data.report_deadline))


def record_unit_report(session: Session, event: ReceivedEvent) -> None:
    """unit_report.submitted and unit_report.revised: the unit's latest revision."""
    data = event.data
    lock_key(session, f"submission:{data.commune_code}:{data.year}:{data.unit_code}")
    key = (data.commune_code, data.year, data.unit_code)
    submission = session.get(UnitSubmission, key)
    if submission is None:
        session.add(UnitSubmission(commune_code=data.commune_code, year=data.year, unit_code=data.unit_code,
                                   report_id=str(data.report_id), revision=data.revision,
                                   first_submitted_at=data.submitted_at, last_submitted_at=data.submitted_at,
                                   late=data.late))
    elif data.revision > submission.revision:
        submission.report_id, submission.revision = str(data.report_id), data.revision
        submission.last_submitted_at = data.submitted_at
        # lateness is judged by the first submission: a correction does not make a report late


def record_unit_report_returned(session: Session, event: ReceivedEvent) -> None:
    data = event.data
    lock_key(session, f"submission:{data.commune_code}:{data.year}:{data.unit_code}")
    key = (data.commune_code, data.year, data.unit_code, data.revision)
    if session.get(ReturnedRevision, key) is None:
        session.add(ReturnedRevision(commune_code=data.commune_code, year=data.year, unit_code=data.unit_code,
                                     revision=data.revision))


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


def record_unit_dissolved(session: Session, event: ReceivedEvent) -> None:
    """A unit dissolved before reports are due is no longer expected, unless it has already reported."""
    data = event.data
    for expected in session.scalars(sa.select(ExpectedUnit).where(
            ExpectedUnit.commune_code == data.commune_code, ExpectedUnit.unit_code == data.unit_code,
            ExpectedUnit.report_deadline > data.active_to)):
        lock_key(session, f"expected:{expected.commune_code}:{expected.year}")
        if session.get(UnitSubmission, (expected.commune_code, expected.year, expected.unit_code)) is None:
            session.delete(expected)

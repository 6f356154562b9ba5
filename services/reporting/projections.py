"""Reporting's projections, built from events only (reporting never reads another service's database).

`apply` is the one way an event changes them: it keeps the event in the event log (so that
`binhdang reporting rebuild` can apply the same events again, in the same order), applies it, and
refreshes the summary of each commune and year it touched. Events about one thing travel on separate
queues, so each handler accepts them in any order: a report before its plan's issue, a close before an
amendment, an escalation before the case's report, a consent change before anything else.
"""
from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.orm import Session

from services.common.clock import local_date
from services.common.db import lock_key
from services.common.events import registry
from services.common.events.contracts import (
    CaseEscalated,
    CaseMeasureRecorded,
    CaseReferred,
    CaseReported,
    CaseStatisticsConsentChanged,
    PlanAmended,
    PlanClosed,
    PlanContent,
    PlanIssued,
    StatisticsFacts,
    UnitDissolved,
    UnitReportAttachmentAdded,
    UnitReportReturned,
    UnitReportRevised,
    UnitReportSubmitted,
)
from services.common.events.received import ReceivedEvent
from services.reporting import summaries
from services.reporting.models import (
    CaseFact,
    CaseMeasure,
    CaseReferral,
    DissolvedUnit,
    EventRecord,
    ExpectedUnit,
    Plan,
    ReturnedRevision,
    UnitAttachment,
    UnitSubmission,
)

# What an event touched: the communes and years whose summaries must follow.
Touched = set[tuple[str, int]]


def apply(session: Session, event: ReceivedEvent[BaseModel], now: dt.datetime | None = None) -> None:
    """Keep the event in the log, apply it to the projections, refresh the summaries it touched."""
    apply_many(session, [event], now)


def apply_many(session: Session, events: list[ReceivedEvent[BaseModel]], now: dt.datetime | None = None) -> None:
    """`apply` for several events in one transaction, in this order: each kept in the log and applied, then
    the summary of each commune and year they touched refreshed once (a summary is a recount of the
    projections, so once after the last event gives what a refresh after each would have left)."""
    applied_at = now or dt.datetime.now(dt.UTC)
    for event in events:
        session.add(EventRecord(event_id=str(event.id), event_type=event.type,
                                body=event.envelope.to_json_bytes().decode("utf-8"), applied_at=applied_at))
    replay_many(session, events)


def replay_many(session: Session, events: list[ReceivedEvent[BaseModel]]) -> None:
    """Apply events to the projections, then refresh the summaries they touched (a rebuild's step), each only
    in the part its events can change: a case event the GBV figures, any other event the plan and units."""
    touched_units: Touched = set()
    touched_cases: Touched = set()
    for event in events:
        touched = HANDLERS[event.type](session, event)
        (touched_cases if registry.get(event.type).producer == "cases" else touched_units).update(touched)
    for commune_code, year in sorted(touched_units | touched_cases):
        summaries.refresh(session, commune_code, year, units=(commune_code, year) in touched_units,
                          cases=(commune_code, year) in touched_cases)


# plans ----------------------------------------------------------------------------------------
def record_plan_version(session: Session, event: ReceivedEvent[PlanIssued | PlanAmended]) -> Touched:
    """plan.issued and plan.amended: the plan's latest version says who must report under it, by when, and
    (from the version on which events carry it) what the plan says."""
    data = event.data
    known_at = data.issued_at if isinstance(data, PlanIssued) else data.amended_at
    plan = _plan(session, data.plan_id, data.commune_code, data.year)
    plan.issued_at = min(plan.issued_at, known_at) if plan.issued_at else known_at
    if data.version <= plan.version:
        return {(plan.commune_code, plan.year)}  # an older version arriving late changes nothing
    plan.version, plan.report_deadline = data.version, data.report_deadline
    plan.title, plan.issuing_body = data.title, data.issuing_body
    plan.content = data.model_dump(mode="json", include=set(PlanContent.model_fields))
    session.execute(sa.delete(ExpectedUnit).where(ExpectedUnit.plan_id == plan.plan_id))
    session.add_all(ExpectedUnit(plan_id=plan.plan_id, unit_code=unit.unit_code, commune_code=data.commune_code,
                                 name=unit.name, role=unit.role.value, task_ids=list(unit.task_ids))
                    for unit in data.units)
    return {(plan.commune_code, plan.year)}


def record_plan_closed(session: Session, event: ReceivedEvent[PlanClosed]) -> Touched:
    """plan.closed: the plan no longer defines its year once another is issued; its reports stay its own."""
    data = event.data
    plan = _plan(session, data.plan_id, data.commune_code, data.year)
    if plan.closed_at is None:
        plan.closed_at = data.closed_at
    return {(plan.commune_code, plan.year)}


def _plan(session: Session, plan_id: uuid.UUID, commune_code: str, year: int) -> Plan:
    """The plan's row, created by whichever of its events comes first; held until commit."""
    lock_key(session, f"plan:{plan_id}")
    plan = session.get(Plan, str(plan_id))
    if plan is None:
        plan = Plan(plan_id=str(plan_id), commune_code=commune_code, year=year, version=0)
        session.add(plan)
    return plan


def record_unit_dissolved(session: Session, event: ReceivedEvent[UnitDissolved]) -> Touched:
    """unit.dissolved: kept as a fact of the directory, applied when a plan's units are read, so that it
    holds for plans whose events come after it. A later decision (by event time) replaces an earlier one."""
    data = event.data
    lock_key(session, f"dissolved:{data.commune_code}:{data.unit_code}")
    dissolved = session.get(DissolvedUnit, (data.commune_code, data.unit_code))
    if dissolved is None:
        session.add(DissolvedUnit(commune_code=data.commune_code, unit_code=data.unit_code,
                                  active_to=data.active_to, decided_at=event.envelope.time))
    elif event.envelope.time >= dissolved.decided_at:
        dissolved.active_to, dissolved.decided_at = data.active_to, event.envelope.time
    session.flush()
    years = session.scalars(sa.select(Plan.year).where(Plan.commune_code == data.commune_code).distinct())
    return {(data.commune_code, year) for year in years}


# unit reports ---------------------------------------------------------------------------------
def record_unit_report(session: Session, event: ReceivedEvent[UnitReportSubmitted | UnitReportRevised]) -> Touched:
    """unit_report.submitted and unit_report.revised: the unit's latest revision under the plan, with what
    it reports. Kept even before the plan's own events arrive (separate queues)."""
    data = event.data
    lock_key(session, f"submission:{data.plan_id}:{data.unit_code}")
    submission = session.get(UnitSubmission, (str(data.plan_id), data.unit_code))
    content = {"tasks": [t.model_dump(mode="json") for t in data.tasks] if data.tasks is not None else None,
               "indicator_values": ([v.model_dump(mode="json") for v in data.indicator_values]
                                    if data.indicator_values is not None else None)}
    if submission is None:
        session.add(UnitSubmission(plan_id=str(data.plan_id), unit_code=data.unit_code,
                                   commune_code=data.commune_code, report_id=str(data.report_id),
                                   revision=data.revision, first_submitted_at=data.submitted_at,
                                   last_submitted_at=data.submitted_at, late=data.late, **content))
    else:
        if data.revision > submission.revision:
            submission.report_id, submission.revision = str(data.report_id), data.revision
            submission.last_submitted_at = data.submitted_at
            submission.tasks, submission.indicator_values = content["tasks"], content["indicator_values"]
        # Lateness is judged by the first submission: a correction does not make a report late. The
        # revised event may be consumed before the submitted one (separate queues): the earliest wins.
        if data.submitted_at < submission.first_submitted_at:
            submission.first_submitted_at, submission.late = data.submitted_at, data.late
    return {(data.commune_code, data.year)}


def record_unit_report_returned(session: Session, event: ReceivedEvent[UnitReportReturned]) -> Touched:
    """A revision the commune sent back. Kept apart from the submission: the return may be consumed before
    the submission it returns."""
    data = event.data
    lock_key(session, f"submission:{data.plan_id}:{data.unit_code}")
    if session.get(ReturnedRevision, (str(data.plan_id), data.unit_code, data.revision)) is None:
        session.add(ReturnedRevision(plan_id=str(data.plan_id), unit_code=data.unit_code, revision=data.revision,
                                     commune_code=data.commune_code, returned_at=data.returned_at,
                                     reason=data.reason))
    return {(data.commune_code, data.year)}


def record_attachment(session: Session, event: ReceivedEvent[UnitReportAttachmentAdded]) -> Touched:
    data = event.data
    if session.get(UnitAttachment, str(data.attachment_id)) is None:
        session.add(UnitAttachment(attachment_id=str(data.attachment_id), plan_id=str(data.plan_id),
                                   unit_code=data.unit_code, revision=data.revision, filename=data.filename,
                                   size=data.size))
    return {(data.commune_code, data.year)}


# cases ----------------------------------------------------------------------------------------
def _year(moment: dt.datetime) -> int:
    return local_date(moment).year


def _case(session: Session, data, first_known_at: dt.datetime) -> tuple[CaseFact, int | None]:
    """The case's fact (created by whichever of its events comes first), and the year it counted in before."""
    lock_key(session, f"case:{data.case_code}")
    fact = session.get(CaseFact, data.case_code)
    if fact is None:
        fact = CaseFact(case_code=data.case_code, commune_code=data.commune_code, year=_year(first_known_at),
                        case_type=data.case_type.value, counted=False)
        session.add(fact)
        return fact, None
    return fact, fact.year


def _set_statistics(fact: CaseFact, counted: bool, statistics: StatisticsFacts | None) -> None:
    fact.counted = counted
    facts = statistics if counted and statistics is not None else StatisticsFacts()
    fact.gbvims_type = facts.gbvims_type.value if facts.gbvims_type else None
    fact.victim_sex = facts.victim_sex.value if facts.victim_sex else None
    fact.victim_age_band = facts.victim_age_band.value if facts.victim_age_band else None


def _touched(fact: CaseFact, before: int | None) -> Touched:
    return {(fact.commune_code, fact.year)} | ({(fact.commune_code, before)} if before is not None else set())


def record_case_reported(session: Session, event: ReceivedEvent[CaseReported]) -> Touched:
    """The report fixes the case's year; its consent counts unless a later change of consent came first."""
    data = event.data
    fact, before = _case(session, data, data.reported_at)
    fact.reported_at, fact.year, fact.case_type = data.reported_at, _year(data.reported_at), data.case_type.value
    if fact.consent_changed_at is None:
        _set_statistics(fact, data.statistics_consent, data.statistics)
    return _touched(fact, before)


def record_consent_changed(session: Session, event: ReceivedEvent[CaseStatisticsConsentChanged]) -> Touched:
    """The victim gave or withdrew consent to statistics: the latest change (by when it was made) counts."""
    data = event.data
    fact, before = _case(session, data, data.changed_at)
    if fact.consent_changed_at is None or data.changed_at >= fact.consent_changed_at:
        fact.consent_changed_at = data.changed_at
        _set_statistics(fact, data.statistics_consent, data.statistics)
    return _touched(fact, before)


def record_case_escalated(session: Session, event: ReceivedEvent[CaseEscalated]) -> Touched:
    data = event.data
    fact, before = _case(session, data, data.escalated_at)
    if fact.escalated_at is None or data.escalated_at < fact.escalated_at:
        fact.escalated_at = data.escalated_at
    _referral(session, data.case_code, data.referral_id, "escalation", data.escalated_to.value,
              data.referral_status.value, data.status_changed_at)
    return _touched(fact, before)


def record_case_referred(session: Session, event: ReceivedEvent[CaseReferred]) -> Touched:
    data = event.data
    fact, before = _case(session, data, data.referred_at)
    _referral(session, data.case_code, data.referral_id, "referral", data.referred_to.value,
              data.referral_status.value, data.status_changed_at)
    return _touched(fact, before)


def _referral(session: Session, case_code: str, referral_id: uuid.UUID, kind: str, authority: str, status: str,
              changed_at: dt.datetime) -> None:
    """The receiver's latest answer (by when it changed) wins."""
    referral = session.get(CaseReferral, str(referral_id))
    if referral is None:
        session.add(CaseReferral(referral_id=str(referral_id), case_code=case_code, kind=kind, authority=authority,
                                 status=status, changed_at=changed_at))
    elif changed_at >= referral.changed_at:
        referral.status, referral.changed_at = status, changed_at


def record_measure(session: Session, event: ReceivedEvent[CaseMeasureRecorded]) -> Touched:
    """A measure's latest state (by when it changed): an order requested, then granted or refused."""
    data = event.data
    fact, before = _case(session, data, data.recorded_at)
    measure = session.get(CaseMeasure, str(data.measure_id))
    decision = data.decision.value if data.decision else None
    if measure is None:
        session.add(CaseMeasure(measure_id=str(data.measure_id), case_code=data.case_code, kind=data.kind.value,
                                decision=decision, changed_at=data.status_changed_at))
    elif data.status_changed_at >= measure.changed_at:
        measure.decision, measure.changed_at = decision or measure.decision, data.status_changed_at
    return _touched(fact, before)


HANDLERS: dict[str, Callable[[Session, ReceivedEvent[Any]], Touched]] = {
    "plan.issued.v1": record_plan_version,
    "plan.amended.v1": record_plan_version,
    "plan.closed.v1": record_plan_closed,
    "unit.dissolved.v1": record_unit_dissolved,
    "unit_report.submitted.v1": record_unit_report,
    "unit_report.revised.v1": record_unit_report,
    "unit_report.returned.v1": record_unit_report_returned,
    "unit_report.attachment_added.v1": record_attachment,
    "case.reported.v1": record_case_reported,
    "case.statistics_consent_changed.v1": record_consent_changed,
    "case.escalated.v1": record_case_escalated,
    "case.referred.v1": record_case_referred,
    "case.measure_recorded.v1": record_measure,
}

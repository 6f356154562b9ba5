"""Units' yearly result reports: submissions and revisions, returns for correction, attachments, locks."""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common import outbox
from services.common.auth import Principal
from services.common.db import lock_key, locking_column
from services.common.errors import BadRequest, Conflict, Forbidden, NotFound
from services.common.events.contracts import (
    CommuneReportApproved,
    CommuneReportReturned,
    ReportedTask,
    ReportedValue,
    UnitReportAttachmentAdded,
    UnitReportReturned,
    UnitReportRevised,
    UnitReportSubmitted,
)
from services.common.events.received import ReceivedEvent
from services.common.roles import Role
from services.plans import attachments, rules
from services.plans.indicators import NATIONAL
from services.plans.lifecycle import document_of, get_plan
from services.plans.models import Attachment, Indicator, Plan, PlanVersion, ReportLock, ReportReturn, UnitReport
from services.plans.schemas import ReturnReport, SubmitUnitReport

SERVICE = "plans"
log = logging.getLogger(__name__)
MAX_ATTACHMENTS_PER_REPORT = 20

# reading ---------------------------------------------------------------------------
def _lock_in_force(plan_id: str | sa.BindParameter[str]) -> sa.Select:
    """The plan's lock if in force: an approval whose revision Sở Nội vụ has not returned."""
    returned = sa.select(sa.func.max(ReportReturn.revision)).where(ReportReturn.plan_id == plan_id).scalar_subquery()
    return sa.select(ReportLock).where(ReportLock.plan_id == plan_id,
                                       ReportLock.revision > sa.func.coalesce(returned, 0))


def lock_of(session: Session, plan_id: str) -> ReportLock | None:
    """The plan's lock if in force (one statement)."""
    return session.scalars(_lock_in_force(plan_id)).first()


def get_report(session: Session, principal: Principal, report_id: str) -> UnitReport:
    """A report the caller may see: its commune's staff and province officers; a reporter its own unit's."""
    statement = sa.select(UnitReport).where(UnitReport.id == report_id)
    if not principal.province_wide:
        statement = statement.where(UnitReport.commune_code == principal.commune_code)
    if principal.role is Role.UNIT_REPORTER:
        statement = statement.where(UnitReport.unit_code == principal.unit_code)
    report = session.scalars(statement).first()
    if report is None:
        raise NotFound("Không tìm thấy báo cáo.", code="report_not_found")
    return report


def list_reports(session: Session, principal: Principal, plan_id: str) -> list[UnitReport]:
    plan = get_plan(session, principal, plan_id)
    statement = sa.select(UnitReport).where(UnitReport.plan_id == plan.id).order_by(
        UnitReport.unit_code, UnitReport.revision)
    if principal.role is Role.UNIT_REPORTER:
        statement = statement.where(UnitReport.unit_code == principal.unit_code)
    return list(session.scalars(statement))


# submitting ------------------------------------------------------------------------
def _check_unlocked(session: Session, plan_id: str) -> None:
    lock = lock_of(session, plan_id)
    if lock is not None:
        raise Conflict(rules.lock_message(lock.year, lock.approved_at), code="reports_locked")


@dataclass(frozen=True)
class _UnitState:
    """What a submission depends on beside the plan, read in one statement once the plan's lock is held."""
    lock: tuple[int, dt.datetime] | None  # (year, approved_at) of the approval in force
    previous: tuple[str, int, str] | None  # (id, revision, status) of the unit's latest report
    earlier_id: str | None  # the report submitted before with the same Idempotency-Key
    indicators: dict[str, dict]  # the indicators the unit may report, by code


def submit(session: Session, principal: Principal, plan_id: str, body: SubmitUnitReport, now: dt.datetime,
           idempotency_key: str | None) -> tuple[UnitReport, bool]:
    """Returns the report and whether it was created now (False: a retried submission).

    Round trips are the cost of this path (every unit of every commune, around one deadline): the plan
    and its version are read in one statement that also takes the plan's lock, everything else in one
    more (`_unit_state`), then the writes; tests/integration/plans/test_write_path_statements.py counts them.
    """
    if idempotency_key is not None and not 1 <= len(idempotency_key) <= 200:
        raise BadRequest("Idempotency-Key phải dài từ 1 đến 200 ký tự.", code="invalid_idempotency_key",
                         fields=[{"field": "Idempotency-Key", "problem": "độ dài không hợp lệ"}])
    unit_code = principal.own_unit()
    # one at a time per plan: revisions, retries and the approval lock never interleave
    plan, version = _plan_locked(session, principal, plan_id)
    assigned = document_of(version).assigned_tasks().get(unit_code)
    state = _unit_state(session, plan, version, unit_code, assigned or [], principal.subject, idempotency_key)
    if state.earlier_id is not None:
        earlier = session.get(UnitReport, state.earlier_id)
        assert earlier is not None, "read under the plan's lock"
        return earlier, False
    if state.lock is not None:
        raise Conflict(rules.lock_message(*state.lock), code="reports_locked")
    rules.check_accepts_reports(plan.status)
    if assigned is None:
        raise Forbidden("Đơn vị của bạn không được giao nhiệm vụ trong kế hoạch này.", code="unit_not_in_plan")
    rules.check_report_tasks([t.task_code for t in body.tasks], assigned)
    rules.check_indicator_values(body.indicator_values, state.indicators)
    previous_id, previous_revision, previous_status = state.previous or (None, 0, None)
    if previous_status == rules.ReportStatus.CURRENT.value:
        session.execute(sa.update(UnitReport).where(UnitReport.id == previous_id)
                        .values(status=rules.ReportStatus.SUPERSEDED.value)
                        .execution_options(synchronize_session=False))
    report = UnitReport(
        id=str(uuid.uuid4()), plan_id=plan.id, plan_version=version.version, commune_code=plan.commune_code,
        year=plan.year, unit_code=unit_code, revision=previous_revision + 1,
        status=rules.ReportStatus.CURRENT.value, submitted_by=principal.subject, submitted_at=now,
        late=rules.is_late(version.report_deadline, now), idempotency_key=idempotency_key,
        tasks=[t.model_dump(mode="json") for t in body.tasks],
        indicator_values=[v.model_dump(mode="json", exclude_none=True) for v in body.indicator_values])
    session.add(report)
    session.flush()
    facts = dict(report_id=uuid.UUID(report.id), plan_id=uuid.UUID(plan.id), commune_code=plan.commune_code,
                 year=plan.year, unit_code=report.unit_code, revision=report.revision, submitted_at=now,
                 late=report.late, tasks_reported=len(body.tasks),
                 tasks_done=sum(1 for t in body.tasks if t.status.value == "done"),
                 tasks=[ReportedTask(**t.model_dump()) for t in body.tasks],
                 indicator_values=[ReportedValue(**v.model_dump()) for v in body.indicator_values])
    data = (UnitReportRevised(previous_report_id=uuid.UUID(previous_id), **facts) if previous_id
            else UnitReportSubmitted(**facts))
    outbox.add_event(session, service=SERVICE, subject=report.id, commune_code=plan.commune_code, data=data)
    return report, True


def _plan_locked(session: Session, principal: Principal, plan_id: str) -> tuple[Plan, PlanVersion]:
    """The plan the caller may see with its current version, and the plan's report lock taken (one statement)."""
    statement = (sa.select(Plan, PlanVersion, *locking_column(session, f"report-lock:{plan_id}"))
                 .join(PlanVersion, sa.and_(PlanVersion.plan_id == Plan.id,
                                            PlanVersion.version == Plan.current_version))
                 .where(Plan.id == plan_id))
    if not principal.province_wide:
        statement = statement.where(Plan.commune_code == principal.commune_code)
    found = session.execute(statement).first()
    if found is None:
        raise NotFound("Không tìm thấy kế hoạch.", code="plan_not_found")
    return found[0], found[1]


def _unit_state(session: Session, plan: Plan, version: PlanVersion, unit_code: str, assigned: list[str],
                submitted_by: str, idempotency_key: str | None) -> _UnitState:
    """One statement: the lock in force, the unit's latest report, the report of the same Idempotency-Key,
    and the catalogue entries of the indicators the plan gives the unit (none looked up when it gives none).
    An Idempotency-Key belongs to the plan, the unit and the caller: reused next year or by another reporter, it
    names a new report."""
    codes = _indicator_codes_for_unit(version, unit_code, assigned)
    parameters: dict = {"plan_id": plan.id, "unit_code": unit_code}
    if idempotency_key:
        parameters.update(key=idempotency_key, submitted_by=submitted_by)
    if codes:
        parameters.update(codes=codes, scopes=[NATIONAL, plan.commune_code])
    rows = session.execute(_unit_state_statement(bool(idempotency_key), bool(codes)), parameters).all()
    first = rows[0]
    return _UnitState(
        lock=(first[0], first[1]) if first[0] is not None else None,
        previous=(first[2], first[3], first[4]) if first[2] is not None else None,
        earlier_id=first[5],
        indicators={row[6]: {"sex_disaggregated": row[7], "value_type": row[8]}
                    for row in rows if codes and row[6] is not None})


@functools.cache
def _unit_state_statement(with_key: bool, with_indicators: bool) -> sa.Select:
    """`_unit_state`'s statement, built once for each of its four shapes, with bound parameters: building
    it cost about as much CPU as running it. The parts hang off a one-row base by outer joins, so that
    each may be absent; the indicators give one row each (the other columns repeat on each)."""
    plan_id: sa.BindParameter[str] = sa.bindparam("plan_id")
    unit_code: sa.BindParameter[str] = sa.bindparam("unit_code")
    lock = _lock_in_force(plan_id).subquery()
    previous = (sa.select(UnitReport.id, UnitReport.revision, UnitReport.status)
                .where(UnitReport.plan_id == plan_id, UnitReport.unit_code == unit_code)
                .order_by(UnitReport.revision.desc()).limit(1).subquery())
    earlier = (sa.select(UnitReport.id).where(
        UnitReport.plan_id == plan_id, UnitReport.unit_code == unit_code,
        UnitReport.submitted_by == sa.bindparam("submitted_by"),
        UnitReport.idempotency_key == sa.bindparam("key")).limit(1).scalar_subquery()
        if with_key else sa.null())
    base = sa.select(sa.literal(1).label("one")).subquery()
    statement = sa.select(lock.c.year, lock.c.approved_at, previous.c.id, previous.c.revision, previous.c.status,
                          earlier.label("earlier_id")).select_from(
        base.outerjoin(lock, sa.true()).outerjoin(previous, sa.true()))
    if with_indicators:
        indicators = (sa.select(Indicator.code, Indicator.sex_disaggregated, Indicator.value_type)
                      .where(Indicator.code.in_(sa.bindparam("codes", expanding=True)),
                             Indicator.scope.in_(sa.bindparam("scopes", expanding=True)))
                      .subquery())
        statement = statement.add_columns(indicators.c.code, indicators.c.sex_disaggregated,
                                          indicators.c.value_type).outerjoin(indicators, sa.true())
    return statement


def _indicator_codes_for_unit(version: PlanVersion, unit_code: str, assigned: list[str]) -> list[str]:
    """The indicators of the plan's targets that the unit reports, itself or through one of its tasks."""
    return [target["indicator_code"] for target in version.indicator_targets or []
            if unit_code in target.get("reported_by_units", [])
            or set(target.get("reported_by_tasks", [])) & set(assigned)]


def return_report(session: Session, principal: Principal, report_id: str, body: ReturnReport,
                  now: dt.datetime) -> UnitReport:
    report = get_report(session, principal, report_id)
    principal.require_commune(report.commune_code)
    lock_key(session, f"report-lock:{report.plan_id}")
    _check_unlocked(session, report.plan_id)
    if report.status != rules.ReportStatus.CURRENT.value:
        raise Conflict(f"Chỉ trả lại được bản báo cáo hiện hành (bản này: {report.status}).",
                       code="report_not_current")
    report.status, report.returned_at = rules.ReportStatus.RETURNED.value, now
    report.returned_by, report.return_reason = principal.subject, body.reason
    outbox.add_event(session, service=SERVICE, subject=report.id, commune_code=report.commune_code,
                     data=UnitReportReturned(report_id=uuid.UUID(report.id), plan_id=uuid.UUID(report.plan_id),
                                             commune_code=report.commune_code, year=report.year,
                                             unit_code=report.unit_code, revision=report.revision,
                                             returned_at=now, reason=body.reason))
    return report


# attachments -----------------------------------------------------------------------
def add_attachment(session: Session, principal: Principal, report_id: str, filename: str, content_type: str,
                   data: bytes, now: dt.datetime) -> Attachment:
    report = get_report(session, principal, report_id)
    if principal.role is not Role.UNIT_REPORTER or principal.unit_code != report.unit_code:
        raise Forbidden("Chỉ đơn vị lập báo cáo được đính kèm tệp.", code="not_report_owner")
    lock_key(session, f"report-lock:{report.plan_id}")
    _check_unlocked(session, report.plan_id)
    if report.status != rules.ReportStatus.CURRENT.value:
        raise Conflict("Chỉ đính kèm vào bản báo cáo hiện hành.", code="report_not_current")
    count = session.execute(sa.select(sa.func.count()).select_from(Attachment)
                            .where(Attachment.report_id == report.id)).scalar_one()
    if count >= MAX_ATTACHMENTS_PER_REPORT:
        raise Conflict(f"Mỗi báo cáo đính kèm tối đa {MAX_ATTACHMENTS_PER_REPORT} tệp.", code="too_many_attachments")
    media_type = attachments.check(filename, content_type, data)
    safe_name = (filename or "tep-dinh-kem").replace("\\", "/").rsplit("/", 1)[-1][:255] or "tep-dinh-kem"
    attachment = Attachment(id=str(uuid.uuid4()), report_id=report.id, filename=safe_name, content_type=media_type,
                            size=len(data), sha256=hashlib.sha256(data).hexdigest(), data=data,
                            uploaded_by=principal.subject, uploaded_at=now)
    session.add(attachment)
    session.flush()
    outbox.add_event(session, service=SERVICE, subject=report.id, commune_code=report.commune_code,
                     data=UnitReportAttachmentAdded(
                         report_id=uuid.UUID(report.id), plan_id=uuid.UUID(report.plan_id),
                         commune_code=report.commune_code, year=report.year, unit_code=report.unit_code,
                         revision=report.revision, attachment_id=uuid.UUID(attachment.id), filename=attachment.filename,
                         size=attachment.size, content_type=attachment.content_type, added_at=now))
    return attachment


def get_attachment(session: Session, principal: Principal, report_id: str, attachment_id: str) -> Attachment:
    report = get_report(session, principal, report_id)
    attachment = session.scalars(sa.select(Attachment).where(Attachment.id == attachment_id,
                                                             Attachment.report_id == report.id)).first()
    if attachment is None:
        raise NotFound("Không tìm thấy tệp đính kèm.", code="attachment_not_found")
    return attachment


# locking ----------------------------------------------------------------------------
def lock_reports(session: Session, event: ReceivedEvent[CommuneReportApproved]) -> None:
    """From `commune_report.approved`: the approved plan's unit reports can no longer change."""
    data = event.data
    plan = _approved_plan(session, data)
    if plan is None:
        log.warning("approval of no plan of this commune: nothing to lock", extra={"event_id": str(event.id)})
        return
    lock_key(session, f"report-lock:{plan.id}")
    revision = data.revision or 1
    lock = session.get(ReportLock, plan.id)
    if lock is None:
        session.add(ReportLock(plan_id=plan.id, commune_code=plan.commune_code, year=plan.year,
                               approved_at=data.approved_at, approved_by_role=Role.COMMUNE_LEADER.value,
                               event_id=str(event.id), revision=revision))
    elif revision > lock.revision:  # the approval of a revision after a return locks again
        lock.revision, lock.approved_at, lock.event_id = revision, data.approved_at, str(event.id)


def unlock_reports(session: Session, event: ReceivedEvent[CommuneReportReturned]) -> None:
    """From `commune_report.returned`: Sở Nội vụ sent the report back, so its units may correct theirs
    until the next revision is approved. Kept even if consumed before the approval it undoes."""
    data = event.data
    plan = session.get(Plan, str(data.plan_id))
    if plan is None or plan.commune_code != data.commune_code:
        log.warning("return of no plan of this commune: nothing to unlock", extra={"event_id": str(event.id)})
        return
    lock_key(session, f"report-lock:{plan.id}")
    if session.get(ReportReturn, (plan.id, data.revision)) is None:
        session.add(ReportReturn(plan_id=plan.id, revision=data.revision, returned_at=data.returned_at,
                                 event_id=str(event.id)))


def _approved_plan(session: Session, data: CommuneReportApproved) -> Plan | None:
    """The plan the approval names, if it is the commune's; approvals published before they named their plan
    approved the plan issued for the year."""
    if data.plan_id is not None:
        plan = session.get(Plan, str(data.plan_id))
        return plan if plan is not None and plan.commune_code == data.commune_code else None
    return session.scalars(sa.select(Plan).where(
        Plan.commune_code == data.commune_code, Plan.year == data.year,
        Plan.status == rules.PlanStatus.ISSUED.value)).first()

"""The commune report's life: draft → approved by the commune leader → submitted to Sở Nội vụ → accepted, or
returned with a reason (then a draft of the next revision, approved and submitted again).

Every transition records who, when and why, and a transition the current state does not allow answers
409 with the state and what it allows. Approval locks the units' reports in plans
(`commune_report.approved`), a return unlocks them (`commune_report.returned`). A submitted revision is
stored as produced by every registered renderer and never produced again; a submission after the
province's deadline is taken and flagged late.
"""
from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common import outbox
from services.common.auth import Principal
from services.common.clock import local_date
from services.common.db import lock_key
from services.common.errors import BadRequest, Conflict, NotFound
from services.common.events.contracts import (
    CommuneReportAccepted,
    CommuneReportApproved,
    CommuneReportReturned,
    CommuneReportSubmitted,
)
from services.common.province_deadlines import ProvinceDeadlines
from services.common.roles import Role
from services.reporting import access, assembly, figures, renderers
from services.reporting.models import (
    CommuneReportRecord,
    OfficerTextVersion,
    Plan,
    ReportDocument,
    ReportSubmission,
    ReportTransition,
)
from services.reporting.report_content import REPORT_SYMBOL, CommuneReport, OfficerText, ReportState, Submission
from services.reporting.schemas import OfficerTextIn, ReturnIn, SubmitIn

SERVICE = "reporting"
DRAFT, APPROVED, SUBMITTED = ReportState.DRAFT, ReportState.APPROVED, ReportState.SUBMITTED
ACCEPTED, RETURNED = ReportState.ACCEPTED, ReportState.RETURNED

# action -> (the states it is allowed from, the state it leads to)
TRANSITIONS = {
    "approve": ({DRAFT, RETURNED}, APPROVED),
    "submit": ({APPROVED}, SUBMITTED),
    "accept": ({SUBMITTED}, ACCEPTED),
    "return": ({SUBMITTED}, RETURNED),
}
EDITABLE = {DRAFT, RETURNED}  # what the leader approved, or Sở Nội vụ received, is not rewritten
STATE_LABELS = {DRAFT: "dự thảo", APPROVED: "đã phê duyệt", SUBMITTED: "đã gửi Sở Nội vụ",
                ACCEPTED: "Sở Nội vụ đã tiếp nhận", RETURNED: "Sở Nội vụ đã trả lại"}


def report_id_of(plan_id: str) -> str:
    """Every revision of the report of a plan has one id (migration 0003 names approved reports alike)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"binhdang:commune-report:{plan_id}"))


def allowed(state: ReportState) -> list[str]:
    return [action for action, (sources, _) in TRANSITIONS.items() if state in sources]


def _not_allowed(state: ReportState, what: str) -> Conflict:
    return Conflict(f"Báo cáo đang ở trạng thái “{STATE_LABELS[state]}”: không thể {what}.",
                    code="transition_not_allowed", extra={"state": state.value, "allowed_transitions": allowed(state)})


# reading -----------------------------------------------------------------------------------------
def plan_of(session: Session, commune_code: str, year: int) -> Plan:
    """The plan the commune's report of the year is of; 404 before any plan of the year is issued."""
    plan = figures.plan_of_year(session, commune_code, year)
    if plan is None:
        raise NotFound(f"Chưa có kế hoạch năm {year} được ban hành: chưa có báo cáo.", code="report_not_found")
    return plan


def record_of(session: Session, plan: Plan) -> CommuneReportRecord | None:
    """The report's records; none before anyone wrote, approved or submitted anything (a plain draft)."""
    return session.get(CommuneReportRecord, report_id_of(plan.plan_id))


def _record_to_change(session: Session, plan: Plan, now: dt.datetime) -> CommuneReportRecord:
    record = record_of(session, plan)
    if record is None:
        record = CommuneReportRecord(report_id=report_id_of(plan.plan_id), plan_id=plan.plan_id,
                                     commune_code=plan.commune_code, year=plan.year, state=DRAFT.value, revision=1,
                                     text_version=0, updated_at=now)
        session.add(record)
        session.flush()
    return record


def state_of(record: CommuneReportRecord | None) -> ReportState:
    return ReportState(record.state) if record else DRAFT


def officer_text(session: Session, record: CommuneReportRecord | None) -> tuple[dict, OfficerText]:
    if record is None or record.text_version == 0:
        return {}, OfficerText(version=0)
    latest = session.get(OfficerTextVersion, (record.report_id, record.text_version))
    if latest is None:
        raise LookupError(f"report {record.report_id} lacks its text version {record.text_version}")
    return latest.content, OfficerText(version=latest.version, edited_by=latest.edited_by,
                                       edited_at=latest.edited_at)


def submission_of(session: Session, report_id: str, revision: int) -> ReportSubmission | None:
    """The revision's submission, else the latest before it."""
    return session.scalars(sa.select(ReportSubmission).where(
        ReportSubmission.report_id == report_id, ReportSubmission.revision <= revision)
        .order_by(ReportSubmission.revision.desc())).first()


def current_report(session: Session, principal: Principal, commune_code: str, year: int,
                   now: dt.datetime) -> CommuneReport:
    """The report as it stands: assembled from the latest projections while it is being written (a draft,
    approved, or returned for its next revision); once submitted, the revision as it was submitted.
    Sở Nội vụ sees only what was submitted to it."""
    access.require_report_reader(principal, commune_code)
    plan = plan_of(session, commune_code, year)
    record = record_of(session, plan)
    state = state_of(record)
    if record is not None and state in (SUBMITTED, ACCEPTED):
        return stored_report(session, record, record.revision).model_copy(update={"state": state})
    if principal.role is Role.PROVINCE_OFFICER:
        latest = submission_of(session, record.report_id, record.revision) if record else None
        if record is None or latest is None:
            raise NotFound("Xã chưa gửi báo cáo.", code="report_not_found")
        return stored_report(session, record, latest.revision).model_copy(update={"state": state})
    return _assemble(session, plan, record, state, now)


def _assemble(session: Session, plan: Plan, record: CommuneReportRecord | None, state: ReportState,
              now: dt.datetime, number: str | None = None, day: dt.date | None = None,
              submission: Submission | None = None) -> CommuneReport:
    text, info = officer_text(session, record)
    revision = record.revision if record else 1
    if submission is None and record is not None:
        latest = submission_of(session, record.report_id, revision)
        submission = _submission_view(latest) if latest else None
    flow = assembly.Workflow(report_id=uuid.UUID(report_id_of(plan.plan_id)), state=state, revision=revision,
                             officer_text=text, officer_text_info=info, submission=submission,
                             document_number=number, document_date=day)
    return assembly.assemble(session, plan, flow, now)


def _submission_view(row: ReportSubmission) -> Submission:
    return Submission(submitted_at=row.submitted_at, submitted_by=row.submitted_by,
                      province_deadline=row.province_deadline, late=row.late)


def stored_report(session: Session, record: CommuneReportRecord, revision: int) -> CommuneReport:
    document = session.get(ReportDocument, (record.report_id, revision, renderers.JSON.format))
    if document is None:
        raise LookupError(f"report {record.report_id} lacks the JSON of its revision {revision}")
    return CommuneReport.model_validate_json(document.content)


def document(session: Session, principal: Principal, commune_code: str, year: int, revision: int,
             format_name: str) -> tuple[ReportDocument, str]:
    """A stored document of a submitted revision, and its file name."""
    access.require_report_reader(principal, commune_code)
    plan = plan_of(session, commune_code, year)
    record = record_of(session, plan)
    found = session.get(ReportDocument, (record.report_id, revision, format_name)) if record else None
    renderer = renderers.FORMATS.get(format_name)
    if found is None or renderer is None:
        raise NotFound("Không có văn bản này của báo cáo (chỉ bản đã gửi được lưu).", code="document_not_found")
    return found, f"bao-cao-{commune_code}-{year}-lan-{revision}.{renderer.extension}"


def transitions(session: Session, principal: Principal, commune_code: str, year: int) -> list[ReportTransition]:
    access.require_report_reader(principal, commune_code)
    record = record_of(session, plan_of(session, commune_code, year))
    if record is None:
        return []
    return list(session.scalars(sa.select(ReportTransition).where(ReportTransition.report_id == record.report_id)
                                .order_by(ReportTransition.id)))


def text_versions(session: Session, principal: Principal, commune_code: str, year: int) -> list[OfficerTextVersion]:
    access.require_commune_staff(principal, commune_code)
    record = record_of(session, plan_of(session, commune_code, year))
    if record is None:
        return []
    return list(session.scalars(sa.select(OfficerTextVersion).where(OfficerTextVersion.report_id == record.report_id)
                                .order_by(OfficerTextVersion.version)))


# writing -----------------------------------------------------------------------------------------
def _for_change(session: Session, commune_code: str, year: int, now: dt.datetime
                ) -> tuple[Plan, CommuneReportRecord]:
    plan = plan_of(session, commune_code, year)
    lock_key(session, f"commune-report:{plan.plan_id}")  # one change of a report at a time
    return plan, _record_to_change(session, plan, now)


def _move(session: Session, principal: Principal, record: CommuneReportRecord, action: str, now: dt.datetime,
          *, category: str | None = None, reason: str | None = None) -> ReportState:
    state = ReportState(record.state)
    sources, target = TRANSITIONS[action]
    if state not in sources:
        raise _not_allowed(state, {"approve": "phê duyệt", "submit": "gửi Sở Nội vụ", "accept": "tiếp nhận",
                                   "return": "trả lại"}[action])
    session.add(ReportTransition(report_id=record.report_id, revision=record.revision, from_state=state.value,
                                 to_state=target.value, actor=principal.subject, actor_role=principal.role.value,
                                 at=now, reason_category=category, reason=reason))
    record.state, record.updated_at = target.value, now
    return target


def expected_text_version(if_match: str | None) -> int | None:
    """The text version an `If-Match` header names (`"3"`, `W/"3"` or `3`); None without the header."""
    if if_match is None or not if_match.strip():
        return None
    tag = if_match.strip().removeprefix("W/").strip('"')
    if not tag.isdigit() or len(tag) > 9:
        raise BadRequest("If-Match phải là số phiên bản nội dung, ví dụ \"3\".", code="invalid_if_match",
                         fields=[{"field": "If-Match", "problem": "không phải số phiên bản"}])
    return int(tag)


def write_text(session: Session, principal: Principal, commune_code: str, year: int, body: OfficerTextIn,
               now: dt.datetime, expected_version: int | None = None) -> CommuneReport:
    """The officer's sections (V-VII), free texts, recipients and signature: a new version each time; with
    `expected_version`, only if that is still the latest (else 409, nothing saved)."""
    access.require_commune_staff(principal, commune_code)
    plan, record = _for_change(session, commune_code, year, now)
    state = ReportState(record.state)
    if state not in EDITABLE:
        raise Conflict(f"Báo cáo đang ở trạng thái “{STATE_LABELS[state]}”: không sửa được nội dung.",
                       code="report_not_editable", extra={"state": state.value, "allowed_transitions": allowed(state)})
    if expected_version is not None and expected_version != record.text_version:
        raise Conflict(f"Nội dung báo cáo đã được sửa sau phiên bản {expected_version} (hiện là phiên bản "
                       f"{record.text_version}): chưa lưu gì.", code="text_version_conflict",
                       extra={"text_version": record.text_version})
    record.text_version += 1
    session.add(OfficerTextVersion(report_id=record.report_id, version=record.text_version,
                                   content=body.model_dump(mode="json", exclude_none=True), edited_by=principal.subject,
                                   edited_at=now))
    record.updated_at = now
    session.flush()
    return _assemble(session, plan, record, state, now)


def approve(session: Session, principal: Principal, commune_code: str, year: int, now: dt.datetime) -> CommuneReport:
    """The leader approves the report once every expected unit has a report that was not sent back; the
    units' reports under the plan are locked from then on (until Sở Nội vụ returns the report)."""
    access.require_commune_staff(principal, commune_code)
    if figures.plan_of_year(session, commune_code, year) is None:
        raise Conflict(f"Chưa có kế hoạch năm {year} được ban hành: không có gì để phê duyệt.", code="no_plan")
    plan, record = _for_change(session, commune_code, year, now)
    state = ReportState(record.state)
    if state is APPROVED:
        raise Conflict(f"Báo cáo năm {year} của xã đã được phê duyệt.", code="already_approved",
                       extra={"state": state.value, "allowed_transitions": allowed(state)})
    if state not in TRANSITIONS["approve"][0]:
        raise _not_allowed(state, "phê duyệt")
    units = figures.unit_records(session, plan)
    if not units:
        raise Conflict(f"Kế hoạch năm {year} không giao đơn vị nào báo cáo: không có gì để phê duyệt.",
                       code="no_units")
    waiting = [unit.unit_code for unit in units if unit.current is None]
    if waiting:
        raise Conflict("Chưa thể phê duyệt: còn đơn vị chưa báo cáo hoặc báo cáo đang bị trả lại: "
                       + ", ".join(waiting) + ".", code="units_missing",
                       fields=[{"field": "units", "problem": f"{code} chưa có báo cáo hợp lệ"} for code in waiting])
    _move(session, principal, record, "approve", now)
    outbox.add_event(session, service=SERVICE, subject=record.report_id, commune_code=commune_code,
                     data=CommuneReportApproved(plan_id=uuid.UUID(plan.plan_id), commune_code=commune_code, year=year,
                                                units_expected=len(units), units_reported=len(units),
                                                approved_at=now, revision=record.revision))
    session.flush()
    return _assemble(session, plan, record, APPROVED, now)


def submit(session: Session, principal: Principal, commune_code: str, year: int, body: SubmitIn, now: dt.datetime,
           deadlines: ProvinceDeadlines) -> CommuneReport:
    """Send the approved report to Sở Nội vụ: its documents are produced once, stored with their hashes,
    and announced with the document's number and the hash of its JSON."""
    access.require_commune_staff(principal, commune_code)
    plan, record = _for_change(session, commune_code, year, now)
    _move(session, principal, record, "submit", now)
    day = body.document_date or local_date(now)
    place = assembly.locality(commune_code)
    province_deadline = deadlines.of(place.province_code, year)
    late = local_date(now) > province_deadline
    submission = Submission(submitted_at=now, submitted_by=principal.subject, province_deadline=province_deadline,
                            late=late)
    report = _assemble(session, plan, record, SUBMITTED, now, number=body.document_number, day=day,
                       submission=submission)
    stored = {}
    for renderer in renderers.RENDERERS:
        content = renderer.render(report)
        stored[renderer.format] = ReportDocument(report_id=record.report_id, revision=record.revision,
                                                 format=renderer.format, media_type=renderer.media_type,
                                                 content=content, sha256=renderers.sha256(content), created_at=now)
    session.add_all(stored.values())
    content_hash = stored[renderers.JSON.format].sha256
    session.add(ReportSubmission(report_id=record.report_id, revision=record.revision,
                                 document_number=body.document_number, document_date=day, submitted_at=now,
                                 submitted_by=principal.subject, province_deadline=province_deadline, late=late,
                                 content_hash=content_hash))
    completeness = report.completeness
    outbox.add_event(session, service=SERVICE, subject=record.report_id, commune_code=commune_code,
                     data=CommuneReportSubmitted(
                         report_id=uuid.UUID(record.report_id), plan_id=uuid.UUID(plan.plan_id),
                         commune_code=commune_code, year=year, revision=record.revision,
                         document_number=body.document_number, document_symbol=REPORT_SYMBOL, document_date=day,
                         content_hash=content_hash, submitted_at=now, province_deadline=province_deadline, late=late,
                         units_expected=completeness.expected, units_reported=completeness.submitted))
    return report


def accept(session: Session, principal: Principal, commune_code: str, year: int, now: dt.datetime) -> CommuneReport:
    access.require_province_of(principal, commune_code)
    plan, record = _for_change(session, commune_code, year, now)
    _move(session, principal, record, "accept", now)
    outbox.add_event(session, service=SERVICE, subject=record.report_id, commune_code=commune_code,
                     data=CommuneReportAccepted(report_id=uuid.UUID(record.report_id), plan_id=uuid.UUID(plan.plan_id),
                                                commune_code=commune_code, year=year, revision=record.revision,
                                                accepted_at=now))
    return stored_report(session, record, record.revision).model_copy(update={"state": ACCEPTED})


def send_back(session: Session, principal: Principal, commune_code: str, year: int, body: ReturnIn,
              now: dt.datetime) -> CommuneReport:
    """Sở Nội vụ returns the report with a reason: the units' reports unlock, and the commune prepares the
    next revision (a draft again)."""
    access.require_province_of(principal, commune_code)
    plan, record = _for_change(session, commune_code, year, now)
    _move(session, principal, record, "return", now, category=body.category.value, reason=body.reason)
    outbox.add_event(session, service=SERVICE, subject=record.report_id, commune_code=commune_code,
                     data=CommuneReportReturned(report_id=uuid.UUID(record.report_id), plan_id=uuid.UUID(plan.plan_id),
                                                commune_code=commune_code, year=year, revision=record.revision,
                                                category=body.category, reason=body.reason, returned_at=now))
    record.revision += 1
    session.flush()
    return _assemble(session, plan, record, RETURNED, now)

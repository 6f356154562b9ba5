"""A plan's life: draft (created by hand or imported), issued, amended in new versions, closed."""
from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common import outbox
from services.common.auth import Principal
from services.common.db import lock_key
from services.common.errors import Conflict, NotFound, Unprocessable
from services.common.events.contracts import IssuedUnit, PlanAmended, PlanClosed, PlanIssued, UnitRole
from services.plans import diff as document_diff
from services.plans import rules
from services.plans.directory import directory_of
from services.plans.document import PlanDocument
from services.plans.indicators import catalogue_for, check_targets
from services.plans.models import Plan, PlanVersion
from services.plans.publication import plan_content
from services.plans.schemas import (
    AmendPlan,
    CreatePlan,
    EditDraft,
    IndicatorTarget,
    PlanQuery,
    VersionDiff,
)

SERVICE = "plans"


# reading ---------------------------------------------------------------------------
def get_plan(session: Session, principal: Principal, plan_id: str) -> Plan:
    """A plan the caller may see; another commune's plan is reported as not found."""
    statement = sa.select(Plan).where(Plan.id == plan_id)
    if not principal.province_wide:
        statement = statement.where(Plan.commune_code == principal.commune_code)
    plan = session.scalars(statement).first()
    if plan is None:
        raise NotFound("Không tìm thấy kế hoạch.", code="plan_not_found")
    return plan


def get_version(session: Session, plan: Plan, version: int | None = None) -> PlanVersion:
    found = session.get(PlanVersion, (plan.id, version or plan.current_version))
    if found is None:
        raise NotFound("Không có phiên bản này của kế hoạch.", code="version_not_found")
    return found


def document_of(version: PlanVersion) -> PlanDocument:
    return PlanDocument.model_validate(version.document)


def list_plans(session: Session, principal: Principal, query: PlanQuery) -> list[tuple[Plan, PlanVersion]]:
    statement = sa.select(Plan, PlanVersion).join(PlanVersion, sa.and_(
        PlanVersion.plan_id == Plan.id, PlanVersion.version == Plan.current_version))
    if principal.province_wide:
        if query.commune_code:
            statement = statement.where(Plan.commune_code == query.commune_code)
    else:
        if query.commune_code:
            principal.require_commune(query.commune_code)
        statement = statement.where(Plan.commune_code == principal.commune_code)
    if query.year:
        statement = statement.where(Plan.year == query.year)
    if query.status:
        statement = statement.where(Plan.status == query.status)
    return [(plan, version) for plan, version in session.execute(
        statement.order_by(Plan.year.desc(), Plan.created_at.desc()).limit(500))]


def list_versions(session: Session, principal: Principal, plan_id: str) -> list[PlanVersion]:
    plan = get_plan(session, principal, plan_id)
    return list(session.scalars(sa.select(PlanVersion).where(PlanVersion.plan_id == plan.id)
                                .order_by(PlanVersion.version)))


def version_content(version: PlanVersion) -> dict:
    """What an amendment can change, as compared between versions."""
    return {"document": version.document, "indicator_targets": version.indicator_targets or [],
            "report_deadline": version.report_deadline.isoformat()}


def diff_versions(session: Session, principal: Principal, plan_id: str, version: int,
                  against: int | None) -> VersionDiff:
    plan = get_plan(session, principal, plan_id)
    after = get_version(session, plan, version)
    base = against if against is not None else version - 1
    if base < 1:
        raise Unprocessable("Phiên bản 1 không có phiên bản trước để so sánh.",
                            fields=[{"field": "against", "problem": "cần một phiên bản khác để so sánh"}])
    before = get_version(session, plan, base)
    changes = document_diff.diff(version_content(before), version_content(after))
    return VersionDiff(plan_id=plan.id, from_version=before.version, to_version=after.version, changes=changes)


# writing ---------------------------------------------------------------------------
def _plan_to_change(session: Session, principal: Principal, plan_id: str, check) -> Plan:
    """A plan of the caller's own commune whose status allows the change (`check` raises otherwise)."""
    plan = get_plan(session, principal, plan_id)
    principal.require_commune(plan.commune_code)
    check(plan.status)
    return plan


def _validated(session: Session, commune_code: str, year: int, document: PlanDocument,
               deadline: dt.date | None, targets: list[IndicatorTarget]) -> dt.date:
    rules.check_document(document)
    unit_codes = {code for entry in document.organisation for code in entry.unit_codes}
    task_codes = {t.code for area in document.content_areas for t in area.tasks} | {
        t.code for entry in document.organisation for t in entry.tasks}
    check_targets(targets, catalogue_for(session, commune_code), unit_codes, task_codes)
    return rules.report_deadline(document, year, deadline)


def create_plan(session: Session, principal: Principal, body: CreatePlan, now: dt.datetime,
                import_warnings: list[dict] | None = None) -> tuple[Plan, PlanVersion]:
    principal.require_commune(body.commune_code)
    deadline = _validated(session, body.commune_code, body.year, body.document, body.report_deadline,
                          body.indicator_targets)
    plan = Plan(id=str(uuid.uuid4()), commune_code=body.commune_code, year=body.year,
                status=rules.PlanStatus.DRAFT.value, current_version=1, created_by=principal.subject,
                created_at=now)
    version = PlanVersion(plan_id=plan.id, version=1, document=body.document.model_dump(mode="json"),
                          indicator_targets=[t.model_dump(mode="json") for t in body.indicator_targets],
                          report_deadline=deadline, created_by=principal.subject, created_at=now,
                          import_warnings=import_warnings or [])
    session.add_all([plan, version])
    session.flush()
    return plan, version


def edit_draft(session: Session, principal: Principal, plan_id: str, body: EditDraft,
               now: dt.datetime) -> tuple[Plan, PlanVersion]:
    plan = _plan_to_change(session, principal, plan_id, rules.check_editable)
    version = get_version(session, plan)
    version.report_deadline = _validated(session, plan.commune_code, plan.year, body.document,
                                         body.report_deadline, body.indicator_targets)
    version.document = body.document.model_dump(mode="json")
    version.indicator_targets = [t.model_dump(mode="json") for t in body.indicator_targets]
    return plan, version


def issued_units(session: Session, commune_code: str, document: PlanDocument,
                 deadline: dt.date) -> list[IssuedUnit]:
    """The units that must report, with their tasks: those that still exist when reports are due."""
    directory = directory_of(session, commune_code)
    units: dict[str, IssuedUnit] = {}
    for entry in document.organisation:
        for code in entry.unit_codes:
            listed = directory.get(code)
            if listed is not None and listed.active_to is not None and listed.active_to < deadline:
                continue
            tasks = [t.code for t in entry.tasks]
            role = UnitRole(entry.role.value)
            if code in units:
                earlier = units[code]
                role = UnitRole.LEAD if UnitRole.LEAD in (earlier.role, role) else role
                tasks = earlier.task_ids + tasks
            units[code] = IssuedUnit(unit_code=code, name=directory[code].name if code in directory else
                                     entry.unit_name, role=role, task_ids=tasks)
    return list(units.values())


def issuer_of(document: PlanDocument) -> dict:
    """The issuing body and the kind of locality, as plan events carry them (optional fields)."""
    return {"issuing_body": document.issuing_body or None, "locality_type": document.locality_type.value}


def issue_plan(session: Session, principal: Principal, plan_id: str, now: dt.datetime) -> tuple[Plan, PlanVersion]:
    plan = _plan_to_change(session, principal, plan_id, rules.check_can_issue)
    lock_key(session, f"plan-issue:{plan.commune_code}:{plan.year}")  # one issued plan per commune and year
    other = session.scalars(sa.select(Plan.id).where(Plan.commune_code == plan.commune_code, Plan.year == plan.year,
                                                     Plan.status == rules.PlanStatus.ISSUED.value)).first()
    if other:
        raise Conflict(f"Xã đã có kế hoạch năm {plan.year} đang hiệu lực; hãy sửa đổi kế hoạch đó.",
                       code="plan_already_issued")
    version = get_version(session, plan)
    document = document_of(version)
    rules.check_units_resolved(document, directory_of(session, plan.commune_code), plan.year)
    plan.status, plan.issued_at = rules.PlanStatus.ISSUED.value, now
    outbox.add_event(session, service=SERVICE, subject=plan.id, commune_code=plan.commune_code, data=PlanIssued(
        plan_id=uuid.UUID(plan.id), commune_code=plan.commune_code, year=plan.year, version=version.version,
        title=document.title, report_deadline=version.report_deadline, issued_at=now,
        units=issued_units(session, plan.commune_code, document, version.report_deadline),
        **issuer_of(document),
        **plan_content(session, plan.commune_code, plan.year, document, version.indicator_targets or [])))
    return plan, version


def amend_plan(session: Session, principal: Principal, plan_id: str, body: AmendPlan,
               now: dt.datetime) -> tuple[Plan, PlanVersion]:
    plan = _plan_to_change(session, principal, plan_id, rules.check_can_amend)
    previous = get_version(session, plan)
    deadline = _validated(session, plan.commune_code, plan.year, body.document, body.report_deadline,
                          body.indicator_targets)
    rules.check_units_resolved(body.document, directory_of(session, plan.commune_code), plan.year)
    version = PlanVersion(plan_id=plan.id, version=previous.version + 1,
                          document=body.document.model_dump(mode="json"),
                          indicator_targets=[t.model_dump(mode="json") for t in body.indicator_targets],
                          report_deadline=deadline, created_by=principal.subject, created_at=now,
                          amendment_reason=body.reason, import_warnings=[])
    changes = document_diff.diff(version_content(previous), version_content(version))
    if not changes:
        raise Unprocessable("Văn bản sửa đổi không thay đổi nội dung nào của kế hoạch.",
                            fields=[{"field": "document", "problem": "giống phiên bản hiện hành"}])
    session.add(version)
    plan.current_version = version.version
    session.flush()
    outbox.add_event(session, service=SERVICE, subject=plan.id, commune_code=plan.commune_code, data=PlanAmended(
        plan_id=uuid.UUID(plan.id), commune_code=plan.commune_code, year=plan.year, version=version.version,
        previous_version=previous.version, title=body.document.title, report_deadline=deadline,
        units=issued_units(session, plan.commune_code, body.document, deadline),
        changed_parts=document_diff.changed_parts(changes), amended_at=now, **issuer_of(body.document),
        **plan_content(session, plan.commune_code, plan.year, body.document, version.indicator_targets)))
    return plan, version


def close_plan(session: Session, principal: Principal, plan_id: str, now: dt.datetime) -> tuple[Plan, PlanVersion]:
    plan = _plan_to_change(session, principal, plan_id, rules.check_can_close)
    plan.status, plan.closed_at = rules.PlanStatus.CLOSED.value, now
    outbox.add_event(session, service=SERVICE, subject=plan.id, commune_code=plan.commune_code, data=PlanClosed(
        plan_id=uuid.UUID(plan.id), commune_code=plan.commune_code, year=plan.year, closed_at=now))
    return plan, get_version(session, plan)

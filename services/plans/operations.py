"""Use cases of the plans service: plain functions over a session, called by the thin nameko service."""
from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from services.common import outbox
from services.common.auth import Principal
from services.common.errors import BadRequest, Forbidden, NotFound
from services.common.events.contracts import IssuedUnit, PlanIssued, UnitReportSubmitted, UnitRole
from services.plans import rules
from services.plans.models import Plan, PlanTask, PlanUnit, UnitReport
from services.plans.schemas import CreatePlan, PlanQuery, SubmitUnitReport

SERVICE = "plans"


def plan_view(plan: Plan) -> dict:
    return {
        "id": plan.id, "commune_code": plan.commune_code, "year": plan.year, "title": plan.title,
        "status": plan.status, "version": plan.version, "report_deadline": plan.report_deadline.isoformat(),
        "issued_at": plan.issued_at.isoformat() if plan.issued_at else None,
        "tasks": [{"code": t.code, "title": t.title} for t in plan.tasks],
        "units": [{"unit_code": u.unit_code, "name": u.name, "role": u.role, "task_codes": list(u.task_codes)}
                  for u in plan.units],
    }


def report_view(report: UnitReport) -> dict:
    return {
        "id": report.id, "plan_id": report.plan_id, "commune_code": report.commune_code,
        "unit_code": report.unit_code, "revision": report.revision, "late": report.late,
        "submitted_at": report.submitted_at.isoformat(), "tasks": report.tasks,
    }


def create_plan(session: Session, principal: Principal, body: CreatePlan, now: dt.datetime) -> Plan:
    principal.require_commune(body.commune_code)
    rules.check_assignments([t.code for t in body.tasks], [(u.unit_code, u.task_codes) for u in body.units])
    plan = Plan(id=str(uuid.uuid4()), commune_code=body.commune_code, year=body.year, title=body.title,
                status=rules.PlanStatus.DRAFT.value, version=1, report_deadline=body.report_deadline,
                created_by=principal.subject, created_at=now)
    plan.tasks = [PlanTask(position=i, code=t.code, title=t.title) for i, t in enumerate(body.tasks)]
    plan.units = [PlanUnit(position=i, unit_code=u.unit_code, name=u.name, role=u.role.value,
                           task_codes=list(u.task_codes)) for i, u in enumerate(body.units)]
    session.add(plan)
    session.flush()
    return plan


def get_plan(session: Session, principal: Principal, plan_id: str) -> Plan:
    """A plan the caller may see; another commune's plan is reported as not found."""
    query = sa.select(Plan).where(Plan.id == plan_id).options(selectinload(Plan.tasks), selectinload(Plan.units))
    if not principal.province_wide:
        query = query.where(Plan.commune_code == principal.commune_code)
    plan = session.scalars(query).first()
    if plan is None:
        raise NotFound("Không tìm thấy kế hoạch.", code="plan_not_found")
    return plan


def list_plans(session: Session, principal: Principal, query: PlanQuery) -> list[Plan]:
    statement = sa.select(Plan).options(selectinload(Plan.tasks), selectinload(Plan.units)).order_by(
        Plan.year.desc(), Plan.created_at.desc())
    if principal.province_wide:
        if query.commune_code:
            statement = statement.where(Plan.commune_code == query.commune_code)
    else:
        if query.commune_code and query.commune_code != principal.commune_code:
            raise Forbidden("Bạn không có quyền xem dữ liệu của xã/phường này.", code="wrong_commune")
        statement = statement.where(Plan.commune_code == principal.commune_code)
    if query.year:
        statement = statement.where(Plan.year == query.year)
    return list(session.scalars(statement))


def issue_plan(session: Session, principal: Principal, plan_id: str, now: dt.datetime) -> Plan:
    plan = get_plan(session, principal, plan_id)
    principal.require_commune(plan.commune_code)
    rules.check_can_issue(plan.status)
    plan.status = rules.PlanStatus.ISSUED.value
    plan.issued_at = now
    outbox.add_event(session, service=SERVICE, subject=plan.id, commune_code=plan.commune_code, data=PlanIssued(
        plan_id=uuid.UUID(plan.id), commune_code=plan.commune_code, year=plan.year, version=plan.version,
        title=plan.title, report_deadline=plan.report_deadline, issued_at=now,
        units=[IssuedUnit(unit_code=u.unit_code, name=u.name, role=UnitRole(u.role), task_ids=list(u.task_codes))
               for u in plan.units]))
    return plan


def submit_unit_report(session: Session, principal: Principal, plan_id: str, body: SubmitUnitReport,
                       now: dt.datetime, idempotency_key: str | None) -> tuple[UnitReport, bool]:
    """Returns the report and whether it was created now (False: a retried submission)."""
    if idempotency_key is not None and not 1 <= len(idempotency_key) <= 200:
        raise BadRequest("Idempotency-Key phải dài từ 1 đến 200 ký tự.", code="invalid_idempotency_key",
                         fields=[{"field": "Idempotency-Key", "problem": "độ dài không hợp lệ"}])
    plan = get_plan(session, principal, plan_id)
    if idempotency_key:
        earlier = session.scalars(sa.select(UnitReport).where(
            UnitReport.commune_code == plan.commune_code, UnitReport.unit_code == principal.unit_code,
            UnitReport.idempotency_key == idempotency_key)).first()
        if earlier is not None:
            return earlier, False
    unit = next((u for u in plan.units if u.unit_code == principal.unit_code), None)
    if unit is None:
        raise Forbidden("Đơn vị của bạn không có trong kế hoạch này.", code="unit_not_in_plan")
    rules.check_accepts_reports(plan.status)
    rules.check_report_tasks([t.task_code for t in body.tasks], list(unit.task_codes))
    revision = (session.scalar(sa.select(sa.func.max(UnitReport.revision)).where(
        UnitReport.plan_id == plan.id, UnitReport.unit_code == unit.unit_code)) or 0) + 1
    report = UnitReport(id=str(uuid.uuid4()), plan_id=plan.id, commune_code=plan.commune_code,
                        unit_code=unit.unit_code, revision=revision, submitted_by=principal.subject,
                        submitted_at=now, late=rules.is_late(plan.report_deadline, now),
                        idempotency_key=idempotency_key, tasks=[t.model_dump(mode="json") for t in body.tasks])
    session.add(report)
    session.flush()
    outbox.add_event(session, service=SERVICE, subject=report.id, commune_code=plan.commune_code,
                     data=UnitReportSubmitted(
                         report_id=uuid.UUID(report.id), plan_id=uuid.UUID(plan.id), commune_code=plan.commune_code,
                         year=plan.year, unit_code=unit.unit_code, revision=revision, submitted_at=now,
                         late=report.late, tasks_reported=len(body.tasks),
                         tasks_done=sum(1 for t in body.tasks if t.status.value == "done")))
    return report, True


def list_unit_reports(session: Session, principal: Principal, plan_id: str) -> list[UnitReport]:
    plan = get_plan(session, principal, plan_id)
    statement = sa.select(UnitReport).where(UnitReport.plan_id == plan.id).order_by(
        UnitReport.unit_code, UnitReport.revision)
    if principal.unit_code and principal.role.value == "unit_reporter":
        statement = statement.where(UnitReport.unit_code == principal.unit_code)
    return list(session.scalars(statement))

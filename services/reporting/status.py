"""A commune's reporting status for a year: the plan that defines the year (`figures.plan_of_year`), its
expected, submitted, missing, late and returned units; case counts. Reports only ever count for the plan
they were submitted under.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.suppression import protected_count
from services.reporting import figures
from services.reporting.models import CaseFact, CommuneReportRecord, ReportTransition
from services.reporting.report_content import ReportState, UnitReportState
from services.reporting.workflow import report_id_of


def commune_status(session: Session, commune_code: str, year: int, *, suppress_small_counts: bool) -> dict:
    plan = figures.plan_of_year(session, commune_code, year)
    units = figures.unit_records(session, plan) if plan else []
    cases = session.execute(sa.select(
        sa.func.count(), sa.func.count(CaseFact.escalated_at)).where(
        CaseFact.commune_code == commune_code, CaseFact.year == year, CaseFact.counted.is_(True),
        CaseFact.reported_at.is_not(None))).one()
    case_counts: dict = {"recorded": int(cases[0]), "escalated": int(cases[1])}
    if suppress_small_counts:
        case_counts = {name: protected_count(value) for name, value in case_counts.items()}
    statuses = [{
        "unit_code": unit.unit_code, "name": unit.name, "reported": unit.current is not None,
        "returned": unit.state is UnitReportState.RETURNED, "late": bool(unit.submission and unit.submission.late),
        "revision": unit.submission.revision if unit.submission else None,
        "last_submitted_at": unit.submission.last_submitted_at if unit.submission else None,
    } for unit in units]
    return {
        "commune_code": commune_code, "year": year,
        "approved_at": _approved_at(session, plan.plan_id) if plan else None,
        "plan_id": plan.plan_id if plan else None,
        "plan_version": plan.version if plan else None,
        "plan_status": ("closed" if plan.closed_at else "issued") if plan else None,
        "closed_at": plan.closed_at if plan else None,
        "report_deadline": plan.report_deadline if plan else None,
        "units": statuses,
        "counts": {
            "expected": len(statuses),
            "reported": sum(1 for u in statuses if u["reported"]),
            "missing": sum(1 for u in statuses if not u["reported"]),
            "late": sum(1 for u in statuses if u["late"]),
            "returned": sum(1 for u in statuses if u["returned"]),
        },
        "cases": case_counts,
    }


def _approved_at(session: Session, plan_id: str):
    """When the leader approved the revision in force (none while it is a draft or returned)."""
    record = session.get(CommuneReportRecord, report_id_of(plan_id))
    if record is None or ReportState(record.state) in (ReportState.DRAFT, ReportState.RETURNED):
        return None
    return session.scalar(sa.select(ReportTransition.at).where(
        ReportTransition.report_id == record.report_id, ReportTransition.revision == record.revision,
        ReportTransition.to_state == ReportState.APPROVED.value).order_by(ReportTransition.id.desc()).limit(1))

"""A commune's reporting status for a year: the plan that defines the year, its expected, submitted,
missing, late and returned units; case counts.

The year is defined by its open plan issued last (plans closes one before issuing another, but the
close may be consumed after the new issue; a plan carried over from before issue times were kept has
none, and any plan issued since comes first). With no open plan, the year shows the closed plan issued
last, marked closed: the record of a finished year stays readable. Reports only ever count for the
plan they were submitted under.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.reporting.models import (
    CaseFact,
    CommuneApproval,
    DissolvedUnit,
    ExpectedUnit,
    Plan,
    ReturnedRevision,
    UnitSubmission,
)

SMALL_COUNT = 5  # statistics leaving a commune hide counts of 1-4 so that no victim can be singled out


def suppress(count: int) -> dict:
    if 0 < count < SMALL_COUNT:
        return {"value": None, "suppressed": True}
    return {"value": count, "suppressed": False}


def plan_of_year(session: Session, commune_code: str, year: int) -> Plan | None:
    """The plan that defines a commune's year (see the module's docstring); None before any is issued."""
    return session.scalars(sa.select(Plan).where(
        Plan.commune_code == commune_code, Plan.year == year, Plan.version > 0)
        .order_by(Plan.closed_at.is_not(None), Plan.issued_at.desc().nulls_last())).first()


def unit_statuses(session: Session, plan: Plan) -> list[dict]:
    """The plan's units: those of its latest version, less those dissolved before the deadline without
    having reported."""
    expected = session.scalars(sa.select(ExpectedUnit).where(ExpectedUnit.plan_id == plan.plan_id)
                               .order_by(ExpectedUnit.unit_code))
    submitted = {s.unit_code: s for s in session.scalars(
        sa.select(UnitSubmission).where(UnitSubmission.plan_id == plan.plan_id))}
    returned = {(r.unit_code, r.revision) for r in session.scalars(
        sa.select(ReturnedRevision).where(ReturnedRevision.plan_id == plan.plan_id))}
    dissolved = set(session.scalars(sa.select(DissolvedUnit.unit_code).where(
        DissolvedUnit.commune_code == plan.commune_code, DissolvedUnit.active_to < plan.report_deadline)))
    units = []
    for unit in expected:
        submission = submitted.get(unit.unit_code)
        if submission is None and unit.unit_code in dissolved:
            continue
        sent_back = submission is not None and (unit.unit_code, submission.revision) in returned
        units.append({
            "unit_code": unit.unit_code, "name": unit.name,
            "reported": submission is not None and not sent_back,
            "returned": sent_back,
            "late": bool(submission and submission.late),
            "revision": submission.revision if submission else None,
            "last_submitted_at": submission.last_submitted_at if submission else None,
        })
    return units


def commune_status(session: Session, commune_code: str, year: int, *, suppress_small_counts: bool) -> dict:
    plan = plan_of_year(session, commune_code, year)
    units = unit_statuses(session, plan) if plan else []
    cases = session.execute(sa.select(
        sa.func.count(), sa.func.count(CaseFact.escalated_at)).where(
        CaseFact.commune_code == commune_code, CaseFact.year == year, CaseFact.counted.is_(True))).one()
    case_counts = {"recorded": int(cases[0]), "escalated": int(cases[1])}
    if suppress_small_counts:
        case_counts = {name: suppress(value) for name, value in case_counts.items()}
    approval = session.get(CommuneApproval, plan.plan_id) if plan else None
    return {
        "commune_code": commune_code, "year": year,
        "approved_at": approval.approved_at if approval else None,
        "plan_id": plan.plan_id if plan else None,
        "plan_version": plan.version if plan else None,
        "plan_status": ("closed" if plan.closed_at else "issued") if plan else None,
        "closed_at": plan.closed_at if plan else None,
        "report_deadline": plan.report_deadline if plan else None,
        "units": units,
        "counts": {
            "expected": len(units),
            "reported": sum(1 for u in units if u["reported"]),
            "missing": sum(1 for u in units if not u["reported"]),
            "late": sum(1 for u in units if u["late"]),
            "returned": sum(1 for u in units if u["returned"]),
        },
        "cases": case_counts,
    }

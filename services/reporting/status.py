"""A commune's reporting status for a year: expected, submitted, missing and late units; case counts."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.reporting.models import CaseFact, CommuneApproval, ExpectedUnit, ReturnedRevision, UnitSubmission

SMALL_COUNT = 5  # statistics leaving a commune hide counts of 1-4 so that no victim can be singled out


def suppress(count: int) -> dict:
    if 0 < count < SMALL_COUNT:
        return {"value": None, "suppressed": True}
    return {"value": count, "suppressed": False}


def commune_status(session: Session, commune_code: str, year: int, *, suppress_small_counts: bool) -> dict:
    expected = list(session.scalars(sa.select(ExpectedUnit).where(
        ExpectedUnit.commune_code == commune_code, ExpectedUnit.year == year).order_by(ExpectedUnit.unit_code)))
    submitted = {s.unit_code: s for s in session.scalars(sa.select(UnitSubmission).where(
        UnitSubmission.commune_code == commune_code, UnitSubmission.year == year))}
    returned = {(r.unit_code, r.revision) for r in session.scalars(sa.select(ReturnedRevision).where(
        ReturnedRevision.commune_code == commune_code, ReturnedRevision.year == year))}
    units = []
    for unit in expected:
        submission = submitted.get(unit.unit_code)
        sent_back = submission is not None and (unit.unit_code, submission.revision) in returned
        units.append({
            "unit_code": unit.unit_code, "name": unit.name,
            "reported": submission is not None and not sent_back,
            "returned": sent_back,
            "late": bool(submission and submission.late),
            "revision": submission.revision if submission else None,
            "last_submitted_at": submission.last_submitted_at.isoformat() if submission else None,
        })
    cases = session.execute(sa.select(
        sa.func.count(), sa.func.count(CaseFact.escalated_at)).where(
        CaseFact.commune_code == commune_code, CaseFact.year == year, CaseFact.counted.is_(True))).one()
    case_counts = {"recorded": int(cases[0]), "escalated": int(cases[1])}
    if suppress_small_counts:
        case_counts = {name: suppress(value) for name, value in case_counts.items()}
    approval = session.get(CommuneApproval, (commune_code, year))
    return {
        "commune_code": commune_code, "year": year,
        "approved_at": approval.approved_at.isoformat() if approval else None,
        "plan_id": expected[0].plan_id if expected else None,
        "report_deadline": expected[0].report_deadline.isoformat() if expected else None,
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

"""One row per commune and year with what the province view shows of it, refreshed whenever an event
touches that commune's year: the view of a province then reads a hundred rows (the country 3,321)
instead of recounting every unit report and case each time it is asked.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common import admin_units
from services.common.db import lock_key
from services.reporting import figures
from services.reporting.models import CommuneSummary


def refresh(session: Session, commune_code: str, year: int, *, units: bool = True, cases: bool = True) -> None:
    """Recount the commune's year. Last in its transaction, after a lock on the summary: a concurrent event
    about the same commune waits for this commit, then recounts with both (each recount alone would miss
    the other's rows, and the later commit would leave a stale summary).

    `units`: the plan and its units' reports (completeness, indicators); `cases`: the GBV figures. An event
    changes one of the two (a plan or unit report event, or a case event): the other part is not recounted,
    except in a summary made now."""
    province = admin_units.province_of(commune_code)
    if province is None:
        return  # a code outside the official list belongs to no province view
    session.flush()
    lock_key(session, f"summary:{commune_code}:{year}")
    summary = session.get(CommuneSummary, (commune_code, year))
    if summary is None:
        summary = CommuneSummary(commune_code=commune_code, year=year, province_code=province.code)
        session.add(summary)
        units = cases = True
    if units:
        _count_units(session, summary, commune_code, year)
    if cases:
        summary.gbv_counts = figures.gbv_counts(session, commune_code, year)


def _count_units(session: Session, summary: CommuneSummary, commune_code: str, year: int) -> None:
    plan = figures.plan_of_year(session, commune_code, year)
    units = figures.unit_records(session, plan) if plan else []
    summary.plan_id = plan.plan_id if plan else None
    summary.plan_status = ("closed" if plan.closed_at else "issued") if plan else None
    summary.report_deadline = plan.report_deadline if plan else None
    counts = figures.completeness(plan, units) if plan else None
    summary.expected = counts.expected if counts else 0
    summary.submitted = counts.submitted if counts else 0
    summary.on_time = counts.on_time if counts else 0
    summary.late = counts.late if counts else 0
    summary.returned = counts.returned if counts else 0
    summary.indicators = [
        {"indicator_code": row.indicator_code, "name": row.name, "unit_of_measure": row.unit_of_measure,
         "value_type": row.value_type, "sex_disaggregated": row.sex_disaggregated, "target": row.target,
         **row.result.model_dump(mode="json")}
        for row in (figures.indicator_rows(plan, units) if plan else [])]


def of_communes(session: Session, codes: list[str], year: int) -> dict[str, CommuneSummary]:
    return {s.commune_code: s for s in session.scalars(sa.select(CommuneSummary).where(
        CommuneSummary.commune_code.in_(codes), CommuneSummary.year == year))}


def of_province(session: Session, province_code: str, year: int) -> dict[str, CommuneSummary]:
    return {s.commune_code: s for s in session.scalars(sa.select(CommuneSummary).where(
        CommuneSummary.province_code == province_code, CommuneSummary.year == year))}

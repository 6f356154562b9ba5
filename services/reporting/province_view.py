"""Sở Nội vụ's view of a province's year: every commune of the official list, with its plan, its units'
completeness (DHIS2-style), the state of its report and a link to it; and the province's totals.

It reads one summary row per commune (kept up to date as events arrive, see `summaries`) and the
reports' own records: a hundred communes, or the country's 3,321, without recounting raw rows.
"""
from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common import admin_units
from services.common.admin_units import Commune
from services.common.auth import Principal
from services.reporting import access, gbv, summaries
from services.reporting.figures import combine, no_cases
from services.reporting.models import CommuneReportRecord, CommuneSummary, ReportSubmission
from services.reporting.province_deadlines import ProvinceDeadlines
from services.reporting.report_content import Cell, FigureRow, ReportState, UnitIndicatorValue
from services.reporting.schemas import (
    CommuneRow,
    ProvinceGbv,
    ProvinceIndicator,
    ProvinceTotals,
    ProvinceView,
)

SUBMITTED_STATES = {"submitted", "late", "accepted"}


def view(session: Session, principal: Principal, province_code: str, year: int,
         deadlines: ProvinceDeadlines) -> ProvinceView:
    access.require_province(principal, province_code)
    return province_view(session, province_code, year, deadlines)


def province_view(session: Session, province_code: str, year: int, deadlines: ProvinceDeadlines) -> ProvinceView:
    province = admin_units.province(province_code)
    if province is None:
        raise LookupError(province_code)
    communes = admin_units.communes_of(province_code)
    found = summaries.of_province(session, province_code, year)
    plan_ids = [s.plan_id for s in found.values() if s.plan_id]
    records = _records(session, plan_ids)
    latest = _latest_submissions(session, [r.report_id for r in records.values()])
    rows = [_row(commune, found.get(commune.code), records, latest, year) for commune in communes]
    return ProvinceView(province_code=province.code, province_name=province.name, year=year,
                        deadline=deadlines.of(province.code, year), communes=rows,
                        totals=_totals(rows, [found[c.code] for c in communes if c.code in found]))


def _records(session: Session, plan_ids: list[str]) -> dict[str, CommuneReportRecord]:
    records: dict[str, CommuneReportRecord] = {}
    for chunk in _chunks(plan_ids):
        records.update({r.plan_id: r for r in session.scalars(
            sa.select(CommuneReportRecord).where(CommuneReportRecord.plan_id.in_(chunk)))})
    return records


def _latest_submissions(session: Session, report_ids: list[str]) -> dict[str, ReportSubmission]:
    latest: dict[str, ReportSubmission] = {}
    for chunk in _chunks(report_ids):
        for row in session.scalars(sa.select(ReportSubmission).where(ReportSubmission.report_id.in_(chunk))
                                   .order_by(ReportSubmission.revision)):
            latest[row.report_id] = row
    return latest


def _chunks(items: list[str], size: int = 500):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _row(commune: Commune, summary: CommuneSummary | None, records: dict[str, CommuneReportRecord],
         latest: dict[str, ReportSubmission], year: int) -> CommuneRow:
    plan_id = summary.plan_id if summary else None
    record = records.get(plan_id) if plan_id else None
    submission = latest.get(record.report_id) if record else None
    if plan_id is None:
        state = "none"
    elif record is None:
        state = ReportState.DRAFT.value
    elif record.state == ReportState.SUBMITTED.value and submission is not None and submission.late:
        state = "late"
    else:
        state = record.state
    expected = summary.expected if summary else 0
    return CommuneRow(
        commune_code=commune.code, commune_name=commune.name, plan_issued=plan_id is not None, plan_id=plan_id,
        report_deadline=summary.report_deadline if summary else None, expected=expected,
        submitted=summary.submitted if summary else 0, on_time=summary.on_time if summary else 0,
        reporting_rate=_rate(summary.submitted, expected) if summary else None,
        on_time_rate=_rate(summary.on_time, expected) if summary else None, report_state=state,
        report_revision=record.revision if record else None,
        submitted_at=submission.submitted_at if submission else None,
        late=submission.late if submission else None,
        report_url=f"/v1/communes/{commune.code}/years/{year}/report" if submission else None)


def _totals(rows: list[CommuneRow], found: list[CommuneSummary]) -> ProvinceTotals:
    submitted = [r for r in rows if r.report_state in SUBMITTED_STATES]
    expected = sum(r.expected for r in rows)
    units_submitted, on_time = sum(r.submitted for r in rows), sum(r.on_time for r in rows)
    return ProvinceTotals(
        communes=len(rows), plans_issued=sum(1 for r in rows if r.plan_issued), reports_submitted=len(submitted),
        reports_late=sum(1 for r in submitted if r.late), reports_accepted=sum(1 for r in rows
                                                                              if r.report_state == "accepted"),
        report_rate=_rate(len(submitted), len(rows)), units_expected=expected, units_submitted=units_submitted,
        units_on_time=on_time, reporting_rate=_rate(units_submitted, expected), on_time_rate=_rate(on_time, expected),
        indicators=_indicators(found), gbv=_gbv([s.gbv_counts for s in found if s.gbv_counts]))


def _indicators(found: list[CommuneSummary]) -> list[ProvinceIndicator]:
    """Each indicator over the communes whose plans track it, combined as a commune combines its units'."""
    values: dict[str, list[UnitIndicatorValue]] = defaultdict(list)
    described: dict[str, dict] = {}
    for summary in found:
        for indicator in summary.indicators or []:
            code = indicator["indicator_code"]
            described.setdefault(code, indicator)
            if indicator.get("value") is not None:
                values[code].append(UnitIndicatorValue(unit_code=summary.commune_code, unit_name=summary.commune_code,
                                                       value=indicator["value"], female=indicator.get("female"),
                                                       male=indicator.get("male")))
    rows = []
    for code, indicator in sorted(described.items()):
        result = combine(indicator["value_type"], indicator["sex_disaggregated"], values[code])
        rows.append(ProvinceIndicator(indicator_code=code, name=indicator["name"],
                                      unit_of_measure=indicator["unit_of_measure"],
                                      value_type=indicator["value_type"],
                                      sex_disaggregated=indicator["sex_disaggregated"],
                                      communes_reporting=len(values[code]), **result.model_dump()))
    return rows


def _gbv(counts: list[dict]) -> ProvinceGbv:
    totals = gbv.province_totals(counts or [no_cases()])

    def rows(name: str) -> list[FigureRow]:
        return [FigureRow(key=key, label=gbv.LABELS[name][key], **c) for key, c in totals[name].items()]

    return ProvinceGbv(total_cases=Cell(**totals["total"]), by_case_type=rows("by_case_type"),
                       by_gbvims_type=rows("by_gbvims_type"), victims_by_sex=rows("victims_by_sex"),
                       victims_by_age_band=rows("victims_by_age_band"), measures=rows("measures"),
                       referrals=rows("referrals"), escalated=Cell(**totals["escalated"]),
                       escalations_by_outcome=rows("escalations_by_outcome"))


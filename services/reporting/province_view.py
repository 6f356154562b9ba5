"""Sở Nội vụ's view of a province's year: every commune of the official list, with its plan, its units'
completeness (DHIS2-style), the state of its report and a link to it; and the province's totals.

It reads one summary row per commune (kept up to date as events arrive, see `summaries`) and the
reports' own records: a hundred communes, or the country's 3,321, without recounting raw rows.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common import admin_units
from services.common.admin_units import Commune
from services.common.auth import Principal
from services.common.province_deadlines import ProvinceDeadlines
from services.reporting import access, gbv, summaries
from services.reporting.figures import combine
from services.reporting.models import CommuneReportRecord, CommuneSummary, ReportSubmission
from services.reporting.report_content import IndicatorValue, ReportState, UnitIndicatorValue
from services.reporting.schemas import (
    CommuneRow,
    ProvinceGbv,
    ProvinceIndicator,
    ProvinceTotals,
    ProvinceView,
)

SUBMITTED_STATES = {"submitted", "late", "accepted"}
INDICATOR_FIELDS = ("indicator_code", "name", "unit_of_measure", "value_type", "sex_disaggregated")


def view(session: Session, principal: Principal, province_code: str, year: int,
         deadlines: ProvinceDeadlines) -> ProvinceView:
    access.require_province(principal, province_code)
    return province_view(session, province_code, year, deadlines)


@dataclass(frozen=True)
class Standing:
    """What reporting knows of one commune's year, as the province reads it: its summary row, its report's
    workflow record and latest submission, and the report's state as the province sees it."""
    commune: Commune
    summary: CommuneSummary | None
    record: CommuneReportRecord | None
    submission: ReportSubmission | None
    state: str  # none, draft, approved, submitted, late, accepted, returned


def standings(session: Session, province_code: str, year: int) -> list[Standing]:
    """Every commune of the province in the official list, by code, with what is known of its year: a few
    batched queries whatever the number of communes."""
    found = summaries.of_province(session, province_code, year)
    records = _records(session, [s.plan_id for s in found.values() if s.plan_id])
    latest = _latest_submissions(session, [r.report_id for r in records.values()])
    result = []
    for commune in admin_units.communes_of(province_code):
        summary = found.get(commune.code)
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
        result.append(Standing(commune=commune, summary=summary, record=record, submission=submission, state=state))
    return result


def province_view(session: Session, province_code: str, year: int, deadlines: ProvinceDeadlines) -> ProvinceView:
    province = admin_units.province(province_code)
    if province is None:
        raise LookupError(province_code)
    found = standings(session, province_code, year)
    rows = [_row(standing, year) for standing in found]
    return ProvinceView(province_code=province.code, province_name=province.name, year=year,
                        deadline=deadlines.of(province.code, year), communes=rows,
                        totals=_totals(rows, [s.summary for s in found if s.summary is not None]))


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


def rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def report_url(commune_code: str, year: int) -> str:
    return f"/v1/communes/{commune_code}/years/{year}/report"


def _row(standing: Standing, year: int) -> CommuneRow:
    summary, record, submission, commune = standing.summary, standing.record, standing.submission, standing.commune
    plan_id = summary.plan_id if summary else None
    expected = summary.expected if summary else 0
    return CommuneRow(
        commune_code=commune.code, commune_name=commune.name, plan_issued=plan_id is not None, plan_id=plan_id,
        report_deadline=summary.report_deadline if summary else None, expected=expected,
        submitted=summary.submitted if summary else 0, on_time=summary.on_time if summary else 0,
        reporting_rate=rate(summary.submitted, expected) if summary else None,
        on_time_rate=rate(summary.on_time, expected) if summary else None, report_state=standing.state,
        report_revision=record.revision if record else None,
        submitted_at=submission.submitted_at if submission else None,
        late=submission.late if submission else None,
        report_url=report_url(commune.code, year) if submission else None)


def _totals(rows: list[CommuneRow], found: list[CommuneSummary]) -> ProvinceTotals:
    submitted = [r for r in rows if r.report_state in SUBMITTED_STATES]
    expected = sum(r.expected for r in rows)
    units_submitted, on_time = sum(r.submitted for r in rows), sum(r.on_time for r in rows)
    return ProvinceTotals(
        communes=len(rows), plans_issued=sum(1 for r in rows if r.plan_issued), reports_submitted=len(submitted),
        reports_late=sum(1 for r in submitted if r.late), reports_accepted=sum(1 for r in rows
                                                                              if r.report_state == "accepted"),
        report_rate=rate(len(submitted), len(rows)), units_expected=expected, units_submitted=units_submitted,
        units_on_time=on_time, reporting_rate=rate(units_submitted, expected), on_time_rate=rate(on_time, expected),
        indicators=_indicators(found), gbv=_gbv([s.gbv_counts for s in found if s.gbv_counts]))


@dataclass(frozen=True)
class IndicatorAcross:
    """One indicator over the communes whose plans track it, combined as a commune combines its units'."""
    described: dict  # code, name, unit_of_measure, value_type, sex_disaggregated (as the first commune has it)
    communes_reporting: int
    result: IndicatorValue
    targets: list[float | None]  # of every commune that tracks it


def indicators_across(found: list[CommuneSummary]) -> list[IndicatorAcross]:
    values: dict[str, list[UnitIndicatorValue]] = defaultdict(list)
    described: dict[str, dict] = {}
    targets: dict[str, list[float | None]] = defaultdict(list)
    for summary in found:
        for indicator in summary.indicators or []:
            code = indicator["indicator_code"]
            described.setdefault(code, indicator)
            targets[code].append(indicator.get("target"))
            if indicator.get("value") is not None:
                values[code].append(UnitIndicatorValue(unit_code=summary.commune_code, unit_name=summary.commune_code,
                                                       value=indicator["value"], female=indicator.get("female"),
                                                       male=indicator.get("male")))
    return [IndicatorAcross(described=indicator, communes_reporting=len(values[code]),
                            result=combine(indicator["value_type"], indicator["sex_disaggregated"], values[code]),
                            targets=targets[code])
            for code, indicator in sorted(described.items())]


def _indicators(found: list[CommuneSummary]) -> list[ProvinceIndicator]:
    return [ProvinceIndicator(**{key: across.described[key] for key in INDICATOR_FIELDS},
                              communes_reporting=across.communes_reporting, **across.result.model_dump())
            for across in indicators_across(found)]


def _gbv(counts: list[dict]) -> ProvinceGbv:
    section = gbv.province_section(counts)
    return ProvinceGbv(**section.model_dump(exclude={"heading", "note", "free_text"}))

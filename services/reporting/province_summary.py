"""Sở Nội vụ's yearly summary of a province (`ProvinceSummary`), assembled from reporting's projections on
each request: the communes of the official list with their plans, units' reports and reports' states (the
same standings as the province's view), the province's totals, the indicators summed by sex, and the GBV
figures with small counts hidden and every province figure hidden that, with the communes' published
reports, would give a hidden one back. Its JSON, the summary workbook (XLSX) and Sở Nội vụ's report to UBND
tỉnh (DOCX) are printed from it (`renderers.PROVINCE_RENDERERS`).

It is a draft for Sở Nội vụ to number, complete and sign: unnumbered and undated, with the assessment and
proposals left for the officer to write in the document.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common import admin_units
from services.common.admin_units import Province
from services.common.auth import Principal
from services.common.province_deadlines import ProvinceDeadlines
from services.reporting import access, gbv, wording
from services.reporting.models import CommuneSummary as SummaryRow
from services.reporting.models import Plan
from services.reporting.province_content import (
    COMMUNE_REPORT_STATUS_LABELS,
    PROVINCE_REPORT_SYMBOL,
    CommuneReportStatus,
    CommuneSummary,
    IndicatorTotal,
    ProvinceDocumentHeader,
    ProvinceLocality,
    ProvinceSummary,
    ProvinceTotals,
    StatusCount,
    UnitReportCounts,
)
from services.reporting.province_view import (
    INDICATOR_FIELDS,
    Standing,
    indicators_across,
    rate,
    report_url,
    standings,
)
from services.reporting.report_content import AssessmentSection, NarrativeSection, SignatureBlock

RECEIVED = {CommuneReportStatus.SUBMITTED, CommuneReportStatus.LATE, CommuneReportStatus.ACCEPTED}
SUMMED = {"count"}  # targets of these add up across communes (not a percentage, a ratio or a yes/no)
PLAN_KIND = "Kế hoạch"


def summary(session: Session, principal: Principal, province_code: str, year: int, deadlines: ProvinceDeadlines,
            now: dt.datetime) -> ProvinceSummary:
    """The summary for a province officer of that province; anyone else finds no province."""
    access.require_province(principal, province_code)
    province = admin_units.province(province_code)
    if province is None:
        raise access.province_not_found()
    return assemble(session, province, year, deadlines, now)


def assemble(session: Session, province: Province, year: int, deadlines: ProvinceDeadlines,
             now: dt.datetime) -> ProvinceSummary:
    found = standings(session, province.code, year)
    citations = _plan_citations(session, [s.summary.plan_id for s in found if s.summary and s.summary.plan_id])
    communes = [_commune(standing, citations, year) for standing in found]
    return ProvinceSummary(
        province=ProvinceLocality(province_code=province.code, province_name=province.name,
                                  short_name=province.short_name, in_words=province.in_words),
        year=year, generated_at=now, province_deadline=deadlines.of(province.code, year),
        header=_header(province, year), communes=communes, totals=totals(communes),
        indicators=_indicators([s.summary for s in found if s.summary is not None]),
        gbv=gbv.province_section([s.summary.gbv_counts for s in found if s.summary and s.summary.gbv_counts]),
        assessment=AssessmentSection(), proposals=NarrativeSection(heading="VI. ĐỀ XUẤT, KIẾN NGHỊ"),
        recipients=["UBND tỉnh (để báo cáo);", "Bộ Nội vụ (để báo cáo);", "Giám đốc, các Phó Giám đốc Sở;",
                    "Lưu: VT."],
        signature=SignatureBlock(on_behalf_of=None, title="GIÁM ĐỐC"))


def _header(province: Province, year: int) -> ProvinceDocumentHeader:
    return ProvinceDocumentHeader(
        governing_body_lines=[wording.upper(f"UBND {province.in_words}")],
        issuing_body=f"Sở Nội vụ {province.in_words}", issuing_body_lines=["SỞ NỘI VỤ"],
        symbol=PROVINCE_REPORT_SYMBOL, number_line=wording.number_line(None, PROVINCE_REPORT_SYMBOL),
        place=province.short_name, place_date_line=wording.place_date_line(province.short_name, None, year),
        summary=(f"Tổng hợp kết quả thực hiện công tác bình đẳng giới và vì sự tiến bộ của phụ nữ năm {year} "
                 f"của các xã, phường, đặc khu trên địa bàn {province.in_words}"))


def _plan_citations(session: Session, plan_ids: list[str]) -> dict[str, str]:
    """'Kế hoạch số 45/KH-UBND ngày 28/5/2026 của UBND xã Sơn Hải', from each plan's document as its events
    carried it (only that part of the plan's content is read)."""
    citations = {}
    for start in range(0, len(plan_ids), 500):
        for plan_id, issuing_body, document in session.execute(
                sa.select(Plan.plan_id, Plan.issuing_body, Plan.content["document"])
                .where(Plan.plan_id.in_(plan_ids[start:start + 500]))):
            ref = document or {}
            day = dt.date.fromisoformat(ref["date"]) if ref.get("date") else None
            citations[plan_id] = wording.citation(PLAN_KIND, ref.get("number"), ref.get("symbol"), day,
                                                  ref.get("issuing_body") or issuing_body)
    return citations


def _commune(standing: Standing, citations: dict[str, str], year: int) -> CommuneSummary:
    commune, summary, submission = standing.commune, standing.summary, standing.submission
    status = CommuneReportStatus(standing.state)
    plan_id = summary.plan_id if summary else None
    return CommuneSummary(
        commune_code=commune.code, commune_name=commune.name, kind=commune.kind, plan_issued=plan_id is not None,
        plan_citation=citations.get(plan_id) if plan_id else None, units=_units(summary),
        report_status=status, report_status_label=COMMUNE_REPORT_STATUS_LABELS[status],
        report_revision=submission.revision if submission else None,
        report_number_line=wording.number_line(submission.document_number) if submission else None,
        submitted_at=submission.submitted_at if submission else None,
        late=bool(submission and submission.late),
        report_url=report_url(commune.code, year) if submission else None)


def _units(summary: SummaryRow | None) -> UnitReportCounts:
    if summary is None:
        return UnitReportCounts(expected=0, submitted=0, on_time=0, late=0, missing=0, returned=0,
                                reporting_rate=None, on_time_rate=None)
    return UnitReportCounts(
        expected=summary.expected, submitted=summary.submitted, on_time=summary.on_time, late=summary.late,
        missing=summary.expected - summary.submitted - summary.returned, returned=summary.returned,
        reporting_rate=rate(summary.submitted, summary.expected), on_time_rate=rate(summary.on_time, summary.expected))


def totals(communes: list[CommuneSummary]) -> ProvinceTotals:
    """The province's figures over its communes' rows."""
    def units(field: str) -> int:
        return sum(getattr(c.units, field) for c in communes)

    expected = sum(c.plan_issued for c in communes)
    received = [c for c in communes if c.report_status in RECEIVED]
    late = sum(c.late for c in received)
    statuses = Counter(c.report_status for c in communes)
    unit_expected, unit_submitted, unit_on_time = units("expected"), units("submitted"), units("on_time")
    return ProvinceTotals(
        communes=len(communes), plans_issued=expected, reports_expected=expected, reports_received=len(received),
        reports_on_time=len(received) - late, reports_late=late,
        reports_accepted=statuses[CommuneReportStatus.ACCEPTED],
        reporting_rate=rate(len(received), expected), on_time_rate=rate(len(received) - late, expected),
        by_status=[StatusCount(status=s, label=COMMUNE_REPORT_STATUS_LABELS[s], count=statuses[s])
                   for s in CommuneReportStatus],
        units=UnitReportCounts(expected=unit_expected, submitted=unit_submitted, on_time=unit_on_time,
                               late=units("late"), missing=units("missing"), returned=units("returned"),
                               reporting_rate=rate(unit_submitted, unit_expected),
                               on_time_rate=rate(unit_on_time, unit_expected)))


def _indicators(found: list[SummaryRow]) -> list[IndicatorTotal]:
    totals = []
    for across in indicators_across(found):
        value_type = across.described["value_type"]
        targets = across.targets
        summed = value_type in SUMMED and all(t is not None for t in targets)
        totals.append(IndicatorTotal(
            **{key: across.described[key] for key in INDICATOR_FIELDS},
            aggregation="sum" if value_type in ("count", "number") else "mean",
            communes_reporting=across.communes_reporting, result=across.result,
            target=sum(t for t in targets if t is not None) if summed else None))
    return totals

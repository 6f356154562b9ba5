"""Sở Nội vụ's summary of a province assembled from reporting's projections (SQLite): the same communes and
states as the province's view, each commune's plan and report number, the totals, the indicators summed by sex
with their targets, the GBV figures protected as the view protects them; its DOCX and XLSX print it."""
import datetime as dt
import io

import docx
import openpyxl
import pytest

from services.common import admin_units
from services.common.errors import NotFound
from services.common.province_deadlines import ProvinceDeadlines
from services.reporting import province_summary, province_view
from services.reporting.documents import render_province_docx, render_province_xlsx
from services.reporting.province_content import CommuneReportStatus
from tests.unit.reporting.conftest import DAI_SON, HA_NOI, OTHER_PROVINCE, PROVINCE, SON_HAI, TAN_SON

DEADLINES = ProvinceDeadlines.from_config({})
NOW = dt.datetime(2026, 12, 20, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def summary(db, province_seasons):
    with db.transaction() as session:
        return province_summary.summary(session, PROVINCE, "24", 2026, DEADLINES, NOW), province_seasons


def test_every_commune_is_listed_with_its_plan_its_units_and_its_report(summary):
    content, seasons = summary
    assert [c.commune_code for c in content.communes] == [c.code for c in admin_units.communes_of("24")]
    rows = {c.commune_code: c for c in content.communes}
    assert HA_NOI not in rows
    son_hai, tan_son, dai_son = rows[SON_HAI], rows[TAN_SON], rows[DAI_SON]
    assert (son_hai.report_status, tan_son.report_status, dai_son.report_status) == (
        CommuneReportStatus.SUBMITTED, CommuneReportStatus.LATE, CommuneReportStatus.DRAFT)
    assert (son_hai.report_revision, son_hai.report_number_line, son_hai.late) == (1, "Số: 9/BC-UBND", False)
    assert tan_son.late is True and tan_son.report_status_label == "Đã gửi (trễ hạn)"
    assert son_hai.plan_citation == "Kế hoạch số 45/KH-UBND ngày 28/5/2026 của UBND xã"
    assert (dai_son.units.expected, dai_son.units.submitted, dai_son.units.on_time, dai_son.units.late,
            dai_son.units.missing, dai_son.units.returned) == (5, 4, 2, 2, 1, 0)
    assert rows["07615"].report_status is CommuneReportStatus.NONE and rows["07615"].plan_citation is None
    assert content.header.governing_body_lines == ["UBND TỈNH BẮC NINH"]
    assert content.header.number_line == "Số:      /BC-SNV" and content.generated_at == NOW


def test_the_totals_and_figures_are_the_province_views(db, summary):
    content, seasons = summary
    with db.transaction() as session:
        view = province_view.province_view(session, "24", 2026, DEADLINES)
    totals = content.totals
    assert (totals.communes, totals.plans_issued, totals.reports_received, totals.reports_on_time,
            totals.reports_late) == (99, 3, 2, 1, 1)
    assert {s.status: s.count for s in totals.by_status}[CommuneReportStatus.NONE] == 96
    assert (totals.units.expected, totals.units.submitted) == (view.totals.units_expected,
                                                               view.totals.units_submitted)
    assert [(i.indicator_code, i.result.value, i.result.female, i.result.male) for i in content.indicators] == [
        (i.indicator_code, i.value, i.female, i.male) for i in view.totals.indicators]
    view_gbv = view.totals.gbv
    assert content.gbv.total_cases == view_gbv.total_cases
    assert content.gbv.by_case_type == view_gbv.by_case_type and content.gbv.measures == view_gbv.measures
    assert content.gbv.total_cases.value == sum(seasons[c].counted_cases for c in (SON_HAI, TAN_SON, DAI_SON))


def test_count_targets_add_up_and_others_do_not(summary):
    content, _ = summary
    by_code = {i.indicator_code: i for i in content.indicators}
    # CT-01 is a count each commune targets at 12; CT-03 a percentage
    assert (by_code["CT-01"].aggregation, by_code["CT-01"].target, by_code["CT-01"].communes_reporting) == (
        "sum", 36.0, 3)
    assert (by_code["CT-03"].aggregation, by_code["CT-03"].target) == ("mean", None)


def test_the_documents_print_the_assembled_summary(summary):
    content, _ = summary
    word = docx.Document(io.BytesIO(render_province_docx(content)))
    text = "\n".join(p.text for p in word.paragraphs) + "\n".join(
        cell.text for table in word.tables for row in table.rows for cell in row.cells)
    assert "SỞ NỘI VỤ" in text and "Xã Sơn Hải" in text
    sheet = openpyxl.load_workbook(io.BytesIO(render_province_xlsx(content)))["Các xã"]
    codes = [row[1] for row in sheet.iter_rows(values_only=True)]
    assert SON_HAI in codes and len([c for c in codes if c and str(c).isdigit() and len(str(c)) == 5]) == 99


def test_another_provinces_officer_gets_no_summary(db):
    with pytest.raises(NotFound) as missing, db.transaction() as session:
        province_summary.summary(session, OTHER_PROVINCE, "24", 2026, DEADLINES, NOW)
    assert missing.value.code == "province_not_found"

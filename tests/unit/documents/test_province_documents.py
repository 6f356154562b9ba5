"""The province's outputs from one province summary: Sở Nội vụ's DOCX report to UBND tỉnh in the Nghị định 30
layout (under its governing body), and the summary workbook with a row per commune and the totals under them;
both carry the same figures as the summary's JSON."""
import re

import pytest
from docx.oxml.ns import qn

from services.common import admin_units
from services.reporting.documents import render_province_docx, render_province_xlsx
from services.reporting.documents.nd30 import FONT
from tests.support.document_reading import (
    all_runs,
    effective_font,
    open_docx,
    open_xlsx,
    row_starting,
    table_rows,
    table_with_head,
)
from tests.support.province_summaries import example_province_summary

HIDDEN = "hidden"


@pytest.fixture(scope="module")
def summary():
    return example_province_summary()


@pytest.fixture(scope="module")
def data(summary):
    return summary.model_dump(mode="json")


@pytest.fixture(scope="module")
def document(summary):
    return open_docx(render_province_docx(summary))


@pytest.fixture(scope="module")
def sheets(summary):
    return open_xlsx(render_province_xlsx(summary))


def _number(text: str) -> float | None:
    text = text.removesuffix("%")
    return None if text == "-" else float(text.replace(".", "").replace(",", "."))


def test_the_docx_is_sở_nội_vụ_s_report_in_the_decrees_layout(document, data):
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert {effective_font(document, paragraph, run) for paragraph, run in all_runs(document)} == {FONT}
    header = document.tables[0]
    governing, body = header.cell(0, 0).paragraphs[:2]
    assert (governing.text, body.text) == ("UBND TỈNH BẮC NINH", "SỞ NỘI VỤ")
    assert not any(run.bold for run in governing.runs), "the governing body is not bold"
    assert all(run.bold for run in body.runs)
    assert header.cell(0, 1).paragraphs[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert header.cell(1, 0).text == "Số: 312/BC-SNV"
    assert header.cell(1, 1).text == data["header"]["place_date_line"]
    headings = [p.text.split(".")[0] for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["I", "II", "III", "IV", "V", "VI"]
    closing = document.tables[-1]
    assert [p.text for p in closing.cell(0, 1).paragraphs if p.text] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC",
                                                                       "Trần Thị Bình"]
    assert [t.text.strip() for t in document.sections[0].header.paragraphs[0]._p.iter(qn("w:instrText"))] == ["PAGE"]


def test_every_commune_agrees_in_docx_xlsx_and_json(document, sheets, data):
    docx_rows = table_rows(table_with_head(document, "TT", "Xã, phường, đặc khu"))
    xlsx_rows = {row["Mã"]: row for row in sheets["Các xã"].rows}
    assert len(xlsx_rows) == len(data["communes"]) == len(docx_rows) - 3  # two head rows and the totals
    official = [c.name for c in admin_units.communes_of("24")]
    assert len(official) == 99
    assert [row[1] for row in docx_rows[2:-1]] == [row["Xã, phường, đặc khu"] for row in sheets["Các xã"].rows] == \
        official
    for commune in data["communes"]:
        units = commune["units"]
        row = row_starting(docx_rows, 1, commune["commune_name"])
        assert row[2] == ("Có" if commune["plan_issued"] else "Chưa")
        assert [_number(cell) for cell in row[3:6]] == [units["expected"], units["submitted"], units["on_time"]]
        rate = units["reporting_rate"]
        assert _number(row[6]) == (None if rate is None else round(rate * 100, 1))
        assert row[7].split("\n")[0] == commune["report_status_label"]
        assert ("trễ hạn" in row[7]) == commune["late"]
        sheet_row = xlsx_rows[commune["commune_code"]]
        assert sheet_row["Xã, phường, đặc khu"] == commune["commune_name"]
        assert sheet_row["Đã ban hành kế hoạch"] == ("Có" if commune["plan_issued"] else "Không")
        assert [sheet_row[k] for k in ("Đơn vị phải báo cáo", "Đơn vị đã báo cáo", "Đúng hạn", "Trễ hạn",
                                       "Chưa báo cáo", "Bị trả lại", "Tỷ lệ báo cáo", "Tỷ lệ đúng hạn")] == [
            units[k] for k in ("expected", "submitted", "on_time", "late", "missing", "returned", "reporting_rate",
                               "on_time_rate")]
        assert (sheet_row["Tình trạng báo cáo của xã"], sheet_row["Lần báo cáo"], sheet_row["Số văn bản"],
                sheet_row["Đường dẫn báo cáo"]) == (commune["report_status_label"], commune["report_revision"],
                                                    commune["report_number_line"], commune["report_url"])
        assert sheet_row["Gửi trễ hạn"] == (None if commune["submitted_at"] is None else
                                            "Có" if commune["late"] else "Không")


def test_the_totals_agree(document, sheets, data):
    totals, units = data["totals"], data["totals"]["units"]
    docx_total = table_rows(table_with_head(document, "TT", "Xã, phường, đặc khu"))[-1]
    assert docx_total[1] == "Tổng cộng"
    assert docx_total[2] == f"{totals['plans_issued']}/{totals['communes']}"
    assert [_number(c) for c in docx_total[3:6]] == [units["expected"], units["submitted"], units["on_time"]]
    assert docx_total[7] == f"Đã nhận {totals['reports_received']}/{totals['reports_expected']}"
    [xlsx_total] = sheets["Các xã"].totals
    assert [xlsx_total[k] for k in ("Đã ban hành kế hoạch", "Đơn vị phải báo cáo", "Đơn vị đã báo cáo", "Đúng hạn",
                                    "Trễ hạn", "Chưa báo cáo", "Bị trả lại", "Gửi trễ hạn")] == [
        totals["plans_issued"], units["expected"], units["submitted"], units["on_time"], units["late"],
        units["missing"], units["returned"], totals["reports_late"]]
    summary = {row["Nội dung"]: row["Giá trị"] for row in sheets["Tổng hợp"].rows}
    assert [summary[label] for label in ("Số xã, phường, đặc khu", "Đã ban hành kế hoạch", "Báo cáo phải gửi",
                                         "Báo cáo đã nhận", "Báo cáo đúng hạn", "Báo cáo trễ hạn",
                                         "Báo cáo đã tiếp nhận", "Tỷ lệ báo cáo của xã")] == [
        totals[k] for k in ("communes", "plans_issued", "reports_expected", "reports_received", "reports_on_time",
                            "reports_late", "reports_accepted", "reporting_rate")]
    assert [summary[f"Tình trạng báo cáo: {s['label']}"] for s in totals["by_status"]] == [
        s["count"] for s in totals["by_status"]]
    text = " ".join(p.text for p in document.paragraphs)
    assert f"đã nhận {totals['reports_received']}/{totals['reports_expected']} báo cáo" in text
    for status in totals["by_status"]:
        assert f"{status['label'].lower()}: {status['count']}" in text
    found = re.search(r"cấp xã: (\d+) phải báo cáo; (\d+) đã báo cáo .*?(\d+) đúng hạn .*?(\d+) trễ hạn; (\d+) chưa "
                      r"báo cáo; (\d+) báo cáo bị trả lại", text)
    assert found is not None, text
    assert [int(n) for n in found.groups()] == [units[k] for k in ("expected", "submitted", "on_time", "late",
                                                                   "missing", "returned")]


def test_indicators_summed_by_sex_agree(document, sheets, data):
    docx_rows = table_rows(table_with_head(document, "TT", "Chỉ tiêu"))
    xlsx_rows = {row["Mã chỉ tiêu"]: row for row in sheets["Chỉ tiêu"].rows}
    for total in data["indicators"]:
        result = total["result"]
        figures = [total["target"], result["value"], result["female"], result["male"]]
        row = row_starting(docx_rows, 1, total["name"])
        assert [_number(c) for c in row[5:9]] == figures
        assert _number(row[4]) == total["communes_reporting"]
        sheet_row = xlsx_rows[total["indicator_code"]]
        assert [sheet_row[k] for k in ("Chỉ tiêu kế hoạch", "Kết quả: tổng số", "Kết quả: nữ", "Kết quả: nam")] == \
            figures
        assert sheet_row["Số xã báo cáo"] == total["communes_reporting"]


def test_gbv_figures_agree_hidden_ones_included(document, sheets, data):
    gbv = data["gbv"]

    def count(cell):
        return HIDDEN if cell["suppressed"] else cell["value"]

    expected = [count(gbv["total_cases"])]
    for key in ("by_case_type", "by_gbvims_type", "victims_by_sex", "victims_by_age_band", "measures", "referrals"):
        expected += [count(row) for row in gbv[key]]
    expected += [count(gbv["escalated"])] + [count(row) for row in gbv["escalations_by_outcome"]]
    assert HIDDEN in expected
    docx_counts = [HIDDEN if row[2] == "*" else int(row[2].replace(".", ""))
                   for row in table_rows(table_with_head(document, "TT", "Nội dung"))[1:] if row[2]]
    xlsx_counts = [HIDDEN if row["Số lượng"] == "*" else row["Số lượng"] for row in sheets["Bạo lực giới"].rows]
    assert docx_counts == xlsx_counts == expected


def test_every_sheet_says_which_province_and_year(sheets):
    assert list(sheets) == ["Các xã", "Tổng hợp", "Chỉ tiêu", "Bạo lực giới"]
    for sheet in sheets.values():
        assert sheet.leading[1].startswith("Tỉnh Bắc Ninh - năm 2026 - số liệu đến 28/12/2026 08:00")
        assert sheet.worksheet.freeze_panes == f"A{sheet.head_row + 1}"

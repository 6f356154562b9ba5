"""The commune report's XLSX annex, opened with openpyxl: its sheets and Vietnamese column titles, a title row
saying which commune, year and revision, frozen header rows, numbers kept as numbers, hidden GBV counts marked
with the note above them, widths that fit, NFC text."""
import datetime as dt
import unicodedata

import pytest

from services.reporting.documents import render_xlsx
from services.reporting.documents.formatting import SUPPRESSED
from tests.support.commune_reports import example_commune_report
from tests.support.document_reading import open_xlsx

NUMERIC_FORMATS = {"#,##0", "#,##0.0#", "0.0%", "DD/MM/YYYY", "DD/MM/YYYY HH:MM"}


@pytest.fixture(scope="module")
def report():
    return example_commune_report()


@pytest.fixture(scope="module")
def sheets(report):
    return open_xlsx(render_xlsx(report))


def test_the_sheets_and_their_column_titles(sheets):
    assert list(sheets) == ["Tổng hợp", "Chỉ tiêu", "Chỉ tiêu theo đơn vị", "Đơn vị báo cáo", "Nhiệm vụ",
                            "Bạo lực giới"]
    assert sheets["Chỉ tiêu"].titles == ["TT", "Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị tính", "Giá trị cơ sở", "Năm cơ sở",
                                         "Chỉ tiêu kế hoạch", "Yêu cầu", "Kết quả: tổng số", "Kết quả: nữ",
                                         "Kết quả: nam", "Đánh giá"]
    assert sheets["Đơn vị báo cáo"].titles[:8] == ["TT", "Mã đơn vị", "Cơ quan, đơn vị", "Vai trò", "Tình trạng",
                                                   "Lần báo cáo", "Gửi lần đầu", "Gửi gần nhất"]
    assert sheets["Nhiệm vụ"].titles[4] == "Tình trạng nhiệm vụ"
    assert sheets["Bạo lực giới"].titles == ["TT", "Nhóm", "Mã", "Nội dung", "Số lượng"]


def test_each_sheet_says_which_commune_year_and_revision_and_keeps_its_header_in_view(sheets):
    for sheet in sheets.values():
        title, context = sheet.leading[:2]
        assert title.isupper(), sheet.name
        assert context.startswith("Xã Sơn Hải (Bắc Ninh) - năm 2026 - báo cáo lần 1 - Số: 125/BC-UBND"), sheet.name
        worksheet = sheet.worksheet
        assert worksheet.freeze_panes == f"A{sheet.head_row + 1}"
        assert all(cell.font.b for cell in worksheet[sheet.head_row])
        assert worksheet.auto_filter.ref.startswith(f"A{sheet.head_row}:")


def test_numbers_are_numbers_and_dates_are_dates(sheets, report):
    indicators = {row["Mã chỉ tiêu"]: row for row in sheets["Chỉ tiêu"].rows}
    first = indicators["BDG-CS-01"]
    assert (first["Giá trị cơ sở"], first["Chỉ tiêu kế hoạch"], first["Kết quả: tổng số"], first["Kết quả: nữ"],
            first["Kết quả: nam"]) == (1100, 1200, 1240, 720, 520)
    assert indicators["NQ28-YT-01"]["Kết quả: tổng số"] == pytest.approx(110.4)
    units = {row["Mã đơn vị"]: row for row in sheets["Đơn vị báo cáo"].rows}
    assert units["TTDV"]["Gửi lần đầu"] == dt.datetime(2026, 11, 23, 15, 15)  # 08:15 UTC is 15:15 in Vietnam
    summary = {row["Nội dung"]: row["Giá trị"] for row in sheets["Tổng hợp"].rows}
    assert summary["Tỷ lệ báo cáo"] == pytest.approx(report.completeness.reporting_rate)
    assert summary["Ngày văn bản"] == dt.datetime(2026, 12, 5)
    assert summary["Mã xã, phường, đặc khu"] == "07543"  # a code, kept as text with its leading zero
    for sheet in sheets.values():
        worksheet = sheet.worksheet
        for row in worksheet.iter_rows(min_row=sheet.head_row + 1):
            for cell in row:
                if isinstance(cell.value, int | float | dt.date) and not isinstance(cell.value, bool):
                    assert cell.number_format in NUMERIC_FORMATS, (sheet.name, cell.coordinate, cell.number_format)
                if isinstance(cell.value, str) and not cell.value.startswith("0"):  # codes keep their leading zero
                    assert not cell.value.replace(".", "").replace(",", "").isdigit(), (sheet.name, cell.coordinate)


def test_hidden_gbv_counts_are_marked_and_the_note_says_why(sheets, report):
    sheet = sheets["Bạo lực giới"]
    assert sheet.leading[2] == report.gbv.note
    by_key = {(row["Nhóm"], row["Mã"]): row["Số lượng"] for row in sheet.rows}
    assert by_key[("Tổng số vụ việc", "total_cases")] == 12
    assert by_key[("Vụ việc theo loại", "domestic_violence_physical")] == 7
    assert by_key[("Vụ việc theo loại", "domestic_violence_psychological")] == SUPPRESSED
    assert by_key[("Người bị hại theo độ tuổi", "unknown")] == 0
    marked = [cell for row in sheet.worksheet.iter_rows(min_row=sheet.head_row + 1) for cell in row
              if cell.value == SUPPRESSED]
    assert marked and {cell.alignment.horizontal for cell in marked} == {"right"}


def test_columns_are_wide_enough_for_their_titles_and_long_texts_wrap(sheets):
    for sheet in sheets.values():
        worksheet = sheet.worksheet
        for index, title in enumerate(sheet.titles, start=1):
            width = worksheet.column_dimensions[worksheet.cell(row=1, column=index).column_letter].width
            assert width >= min(len(title), 24), (sheet.name, title, width)
    tasks = sheets["Nhiệm vụ"].worksheet
    assert tasks.cell(row=sheets["Nhiệm vụ"].head_row + 1, column=4).alignment.wrap_text


def test_all_text_is_nfc_even_from_decomposed_input(report):
    decomposed = unicodedata.normalize("NFD", "Thôn Đoài")
    units = [u.model_copy(update={"unit_name": decomposed}) if u.unit_code == "THON-DOAI" else u
             for u in report.completeness.units]
    changed = example_commune_report(completeness=report.completeness.model_copy(update={"units": units}))
    sheets = open_xlsx(render_xlsx(changed))
    assert {row["Mã đơn vị"]: row["Cơ quan, đơn vị"] for row in sheets["Đơn vị báo cáo"].rows}["THON-DOAI"] == \
        "Thôn Đoài"
    for sheet in sheets.values():
        for row in sheet.worksheet.iter_rows(values_only=True):
            assert all(unicodedata.is_normalized("NFC", v) for v in row if isinstance(v, str)), sheet.name

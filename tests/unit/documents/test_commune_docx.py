"""The commune report's DOCX, opened with python-docx: the page, the fonts, the header, title, parts and closing
of Nghị định 30/2020/NĐ-CP (Phụ lục I), every unit and indicator value of the report, and NFC text."""
import unicodedata

import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from services.reporting.documents import render_docx
from services.reporting.documents.nd30 import FONT
from services.reporting.report_content import ReportState
from tests.support.commune_reports import example_commune_report
from tests.support.document_reading import (
    all_paragraphs,
    all_runs,
    default_font,
    effective_font,
    open_docx,
    row_starting,
    table_rows,
    table_with_head,
)


@pytest.fixture(scope="module")
def report():
    return example_commune_report()


@pytest.fixture(scope="module")
def document(report):
    return open_docx(render_docx(report))


def _texts(paragraphs) -> list[str]:
    return [p.text for p in paragraphs if p.text]


def _has_rule(paragraph) -> bool:
    borders = paragraph._p.pPr.find(qn("w:pBdr")) if paragraph._p.pPr is not None else None
    return borders is not None and borders.find(qn("w:top")) is not None


def test_the_page_is_a4_portrait_with_the_decrees_margins(document):
    assert len(document.sections) == 1
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert 20 <= round(section.top_margin.mm) <= 25 and 20 <= round(section.bottom_margin.mm) <= 25
    assert 30 <= round(section.left_margin.mm) <= 35
    assert 15 <= round(section.right_margin.mm) <= 20


def test_every_style_and_run_is_times_new_roman(document):
    assert default_font(document) == FONT
    for style in document.styles:
        properties = style.element.rPr
        fonts = properties.find(qn("w:rFonts")) if properties is not None else None
        if fonts is not None:
            # a theme font would win over the named one in Word
            assert not [a for a in fonts.attrib if "Theme" in a or "theme" in a], style.name
            assert {fonts.get(qn(a)) for a in ("w:ascii", "w:hAnsi", "w:cs")} <= {FONT, None}, style.name
    runs = list(all_runs(document))
    assert len(runs) > 200
    assert {effective_font(document, paragraph, run) for paragraph, run in runs} == {FONT}
    assert document.styles["Body Text"].font.size.pt in (13, 14)


def test_the_header_has_the_issuing_body_quoc_hieu_tieu_ngu_number_and_date(document, report):
    header = document.tables[0]
    body, national = header.cell(0, 0), header.cell(0, 1)
    assert _texts(body.paragraphs) == ["ỦY BAN NHÂN DÂN", "XÃ SƠN HẢI"]
    assert all(run.bold for p in body.paragraphs for run in p.runs)
    assert _has_rule(body.paragraphs[-1]), "a short rule under the issuing body"

    assert _texts(national.paragraphs) == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    title, motto = national.paragraphs[0].runs[0], national.paragraphs[1].runs[0]
    assert title.bold and motto.bold
    assert title.font.size.pt in (12, 13) and motto.font.size.pt == title.font.size.pt + 1
    assert _has_rule(national.paragraphs[-1]), "a rule under the Tiêu ngữ"

    assert header.cell(1, 0).text == "Số: 125/BC-UBND"
    place_date = header.cell(1, 1).paragraphs[0]
    assert place_date.text == "Sơn Hải, ngày 05 tháng 12 năm 2026"
    assert all(run.italic for run in place_date.runs)
    for cell in (body, national, header.cell(1, 0), header.cell(1, 1)):
        assert {p.alignment for p in cell.paragraphs if p.text} == {WD_ALIGN_PARAGRAPH.CENTER}
    # the header only places blocks side by side: no borders
    assert header.style is None or header.style.name != "Table Grid"


def test_the_title_and_summary_line_are_bold_and_centred_with_a_rule_under_them(document, report):
    paragraphs = document.paragraphs
    title = next(i for i, p in enumerate(paragraphs) if p.text == "BÁO CÁO")
    summary = paragraphs[title + 1]
    assert summary.text == report.header.summary
    for paragraph in (paragraphs[title], summary):
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert all(run.bold for run in paragraph.runs)
    assert _has_rule(paragraphs[title + 2])


def test_the_body_has_parts_one_to_seven_in_order(document):
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert [h.split(".")[0] for h in headings] == ["I", "II", "III", "IV", "V", "VI", "VII"]
    assert headings[2] == "III. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU"
    assert all(run.bold is not False for h in document.paragraphs if h.style.name == "Heading 1" for run in h.runs)


def test_the_page_number_is_at_the_top_from_the_second_page(document):
    section = document.sections[0]
    assert section.different_first_page_header_footer
    assert section.first_page_header.paragraphs[0].text == ""
    number = section.header.paragraphs[0]
    assert number.alignment == WD_ALIGN_PARAGRAPH.CENTER
    instructions = [t.text.strip() for t in number._p.iter(qn("w:instrText"))]
    assert instructions == ["PAGE"]


def test_every_unit_appears_with_its_state(document, report):
    rows = table_rows(table_with_head(document, "TT", "Cơ quan, đơn vị"))
    assert len(rows) == 1 + len(report.completeness.units)
    for unit in report.completeness.units:
        name = f"{unit.unit_name} (chủ trì)" if unit.role == "lead" else unit.unit_name
        row = row_starting(rows, 1, name)
        assert row[2] == unit.state_label
        assert row[3] == (str(unit.revision) if unit.revision else "-")
        for returned in unit.returns:
            assert returned.reason in row[5]


def test_every_indicator_value_appears_in_its_row(document, report):
    rows = table_rows(table_with_head(document, "TT", "Chỉ tiêu"))
    assert rows[0][5:8] == ["Kết quả năm 2026"] * 3 and rows[1][5:8] == ["Tổng số", "Nữ", "Nam"]
    expected = {  # written out, as a reader sees them: Vietnamese separators, the ceiling marked
        "BDG-CS-01": ["1.100\n(năm 2025)", "1.200", "1.240", "720", "520", "Đạt"],
        "BDG-CS-02": ["-", "30", "24", "15", "9", "Không đạt"],
        "NQ28-YT-01": ["112\n(năm 2025)", "≤ 111", "110,4", "-", "-", "Đạt"],
        "BDG-CS-03": ["-", "-", "6", "-", "-", "Chưa đánh giá"],
    }
    for indicator in report.indicators.rows:
        row = row_starting(rows, 1, indicator.name)
        assert row[2] == indicator.unit_of_measure
        assert row[3:] == expected[indicator.indicator_code]
    # each unit's values, under its indicator
    units_rows = [r for r in rows if r[1].startswith("- ")]
    assert [r[5:8] for r in units_rows] == [["1.000", "580", "420"], ["240", "140", "100"], ["24", "15", "9"],
                                            ["110,4", "-", "-"], ["6", "-", "-"]]


def test_head_rows_of_the_data_tables_repeat_on_every_page(document):
    data_tables = [t for t in document.tables if t.style is not None and t.style.name == "Table Grid"]
    assert len(data_tables) == 3  # units, indicators, GBV figures
    for table in data_tables:
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_the_closing_has_the_recipients_beside_the_signature_block(document, report):
    closing = document.tables[-1]
    recipients, signature = closing.cell(0, 0), closing.cell(0, 1)
    label = recipients.paragraphs[0].runs[0]
    assert label.text == "Nơi nhận:" and label.bold and label.italic and label.font.size.pt == 12
    lines = recipients.paragraphs[1:]
    assert [p.text for p in lines] == [f"- {r}" for r in report.recipients]
    assert lines[-1].text.startswith("- Lưu: VT")
    assert {run.font.size.pt for p in lines for run in p.runs} <= {11, 12}
    assert _texts(signature.paragraphs) == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn An"]
    assert all(run.bold for p in signature.paragraphs for run in p.runs)
    assert {p.alignment for p in signature.paragraphs if p.text} == {WD_ALIGN_PARAGRAPH.CENTER}


def test_all_text_is_nfc_even_from_decomposed_input(report):
    decomposed = unicodedata.normalize("NFD", "Đề nghị hỗ trợ kinh phí tập huấn.")
    proposals = report.proposals.model_copy(update={"paragraphs": [decomposed]})
    document = open_docx(render_docx(example_commune_report(proposals=proposals)))
    texts = [p.text for p in all_paragraphs(document) if p.text]
    assert "Đề nghị hỗ trợ kinh phí tập huấn." in texts
    assert [t for t in texts if not unicodedata.is_normalized("NFC", t)] == []


def test_a_draft_leaves_the_number_and_date_blank_and_says_what_the_officer_has_not_written(report):
    header = report.header.model_copy(update={"number": None, "number_line": "Số:      /BC-UBND", "date": None,
                                              "place_date_line": "Sơn Hải, ngày      tháng      năm 2026"})
    draft = example_commune_report(state=ReportState.DRAFT, submission=None, header=header,
                                   next_year=report.next_year.model_copy(update={"paragraphs": []}))
    document = open_docx(render_docx(draft))
    assert document.tables[0].cell(1, 0).text == "Số:      /BC-UBND"
    paragraphs = [p.text for p in document.paragraphs]
    after_next_year = paragraphs[paragraphs.index(draft.next_year.heading) + 1]
    assert after_next_year == "(Chưa có nội dung)"

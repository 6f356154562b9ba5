"""Each layout of issue 10 by name: the generator's plans written in that one layout (the rest drawn),
and hand-written examples for what the generator does not write.

The property test (test_generated_layouts.py) mixes every layout; these name them, so that a
regression says which layout broke, and failures the property test found stay fixed here.
"""
import dataclasses
import datetime as dt
import io

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.plans.document import LocalityType, UnitRole
from services.plans.importer import UnreadableDocument, import_file, import_text
from services.plans.importer.funding import amounts
from services.plans.importer.result import ACTIONS, ReferenceIndicator
from services.plans.importer.units import unit_key, unit_type_of
from tests.support.docx_packages import package, paragraph
from tests.support.plan_generator import REFERENCE_INDICATORS, layouts, plans
from tests.unit.importer.conftest import fixture_text, load_directory
from tests.unit.importer.test_generated_layouts import assert_imports_back

FEW = settings(max_examples=15, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def in_layout(**fixed):
    return layouts().map(lambda layout: dataclasses.replace(layout, **fixed))


def plans_where(predicate):
    return plans().filter(lambda plan: predicate(plan[0]))


# --- where the reporting obligation is, and how its deadline is written ------------------------------
@pytest.mark.parametrize("place", ["organisation_paragraph", "organisation_item", "closing", "own_part"])
@FEW
@given(data=st.data())
def test_reporting_obligation_placed(place, data):
    """The last paragraph of Tổ chức thực hiện (no heading, no closing), its own numbered item, the
    closing paragraph, a part of its own."""
    (document, expected), layout = data.draw(plans()), data.draw(in_layout(reporting_place=place))
    assert_imports_back(document, expected, layout)


@pytest.mark.parametrize("kind, wording", [("dated", "numeric"),      # trước ngày 10/11/2026
                                           ("yearly", "worded"),      # trước ngày 20 tháng 11 hằng năm
                                           ("yearly", "numeric"),     # trước ngày 20/11 hằng năm
                                           ("periodic", "numeric")])  # định kỳ 6 tháng, năm
@FEW
@given(data=st.data())
def test_reporting_deadline_written(kind, wording, data):
    def of_kind(document):
        reporting = document.reporting
        return {"dated": reporting.due_year is not None, "periodic": reporting.periodic is not None,
                "yearly": reporting.recurring_yearly and reporting.due_day is not None}[kind]
    (document, expected), layout = data.draw(plans_where(of_kind)), data.draw(in_layout(deadline_wording=wording))
    assert_imports_back(document, expected, layout)


# --- tasks and sub-items -------------------------------------------------------------------------------
@pytest.mark.parametrize("marker", ["-", "+", "*", "•", "a)", "1.1.", "word-bullet", "word-number"])
@FEW
@given(data=st.data())
def test_tasks_marked_with(marker, data):
    """Typed bullets, 'a)', '1.1.', Word's own bullets and numbering; several tasks per unit; a task
    ending with ':' keeps its sub-items apart from its sibling tasks."""
    file_type = "docx" if marker.startswith("word") else data.draw(st.sampled_from(["txt", "docx"]))
    (document, expected) = data.draw(plans_where(lambda d: any(t.sub_items for u in d.organisation for t in u.tasks)))
    assert_imports_back(document, expected, data.draw(in_layout(task_marker=marker, file_type=file_type)))


def test_a_bullet_under_a_task_that_announces_nothing_is_a_sibling_task():
    text = ("KẾ HOẠCH\nBình đẳng giới năm 2026 của xã Sơn Hải\nI. TỔ CHỨC THỰC HIỆN\n1. Phòng Văn hóa - Xã hội\n"
            "- Chủ trì triển khai Kế hoạch.\n+ Tổng hợp kết quả.\n- Tham mưu các nội dung sau:\n+ Kế hoạch năm;\n"
            "+ Báo cáo năm.\n• Tuyên truyền.\n")
    [unit] = import_text(text).document.organisation
    assert [(t.text, t.sub_items) for t in unit.tasks] == [
        ("Chủ trì triển khai Kế hoạch.", []), ("Tổng hợp kết quả.", []),
        ("Tham mưu các nội dung sau:", ["Kế hoạch năm;", "Báo cáo năm."]), ("Tuyên truyền.", [])]


# --- the lead role, and names ----------------------------------------------------------------------------
def test_the_lead_role_stated_anywhere_in_a_units_text():
    text = ("KẾ HOẠCH\nBình đẳng giới năm 2026 của xã Sơn Hải\nI. TỔ CHỨC THỰC HIỆN\n"
            "1. Phòng Văn hóa - Xã hội\n- Tuyên truyền.\n- Là cơ quan thường trực, chủ trì tham mưu UBND xã.\n"
            "2. Công an xã\n- Chủ trì, phối hợp với các đơn vị xác minh vụ việc.\n"
            "3. Trạm y tế xã\n- Giao Trạm y tế chủ trì tư vấn sức khỏe sinh sản.\n"
            "4. Hội Liên hiệp Phụ nữ xã (đơn vị thường trực)\n- Tuyên truyền.\n"
            "5. Đoàn Thanh niên xã\n- Phối hợp với Phòng Văn hóa - Xã hội tổ chức truyền thông.\n"
            "6. Các thôn\n- Phối hợp với cơ quan chủ trì tổng hợp số liệu.\n")
    assert [u.role for u in import_text(text).document.organisation] == [
        UnitRole.LEAD, UnitRole.LEAD, UnitRole.LEAD, UnitRole.LEAD, UnitRole.COORDINATING, UnitRole.COORDINATING]


@pytest.mark.parametrize("written, spelled_out", [
    ("Trường THCS Sơn Hải", "Trường Trung học cơ sở Sơn Hải"), ("Trường THPT", "Trường Trung học phổ thông"),
    ("Trường TH", "Trường Tiểu học"), ("Trường MN Hoa Sen", "Trường Mầm non Hoa Sen"),
    ("Phòng VH-XH", "Phòng Văn hóa - Xã hội"), ("Ủy ban MTTQ xã", "Ủy ban Mặt trận Tổ quốc"),
    ("HLHPN phường", "Hội Liên hiệp Phụ nữ"), ("CA xã", "Công an xã"), ("TDP số 3", "Tổ dân phố số 3"),
])
def test_unit_names_abbreviated_or_spelled_out(written, spelled_out):
    assert unit_key(written, "Sơn Hải") == unit_key(spelled_out, "Sơn Hải")


@pytest.mark.parametrize("group", ["Các tổ dân phố", "Các TDP", "Các thôn", "Các xóm", "Các ấp", "Các bản",
                                   "Các trường học", "Các trường học trên địa bàn"])
def test_unit_groups(group):
    assert unit_type_of(group).value in ("village", "school")


@FEW
@given(data=st.data())
def test_unit_names_in_every_spelling(data):
    for spelling in range(3):
        (document, expected) = data.draw(plans())
        assert_imports_back(document, expected, data.draw(in_layout(spelling=spelling)))


# --- targets, funding, dates ------------------------------------------------------------------------------
@pytest.mark.parametrize("heading", ["CHỈ TIÊU", "MỤC TIÊU, CHỈ TIÊU"])
@FEW
@given(data=st.data())
def test_targets_become_indicators(heading, data):
    (document, expected) = data.draw(plans_where(lambda d: bool(d.targets)))
    assert_imports_back(document, expected, data.draw(in_layout(targets_heading=heading)))


def test_a_target_with_its_baseline_matched_to_a_national_indicator():
    text = ("KẾ HOẠCH\nBình đẳng giới năm 2026 của xã Sơn Hải\nI. MỤC TIÊU, CHỈ TIÊU\n1. Mục tiêu chung\n"
            "Thu hẹp khoảng cách giới.\n2. Chỉ tiêu cụ thể\n"
            "- Tỷ số giới tính khi sinh không vượt quá 109 bé trai/100 bé gái (năm 2025: 112 bé trai/100 bé gái).\n"
            "- Phấn đấu 95,5% hộ gia đình được tuyên truyền (năm 2025 đạt 80%).\n- Giảm bạo lực gia đình.\n")
    catalogue = [ReferenceIndicator(code=c, name=n, unit_of_measure=u) for c, n, u in REFERENCE_INDICATORS]
    result = import_text(text, indicators=catalogue)
    assert [(t.value, t.unit_of_measure, t.baseline, t.baseline_year, t.indicator_code)
            for t in result.document.targets] == [(109, "bé trai/100 bé gái", 112, 2025, "NQ28-YT-01"),
                                                  (95.5, "%", 80, 2025, None), (None, None, None, None, None)]
    assert result.document.purposes == ["Thu hẹp khoảng cách giới."]
    assert [(w.code, w.line) for w in result.warnings if w.code.startswith("target")] == [
        ("target_without_value", 9)]


@pytest.mark.parametrize("text, expected", [
    ("Kinh phí: 35.000.000 đồng.", [(35_000_000, None)]),
    ("Tổng kinh phí 35 triệu đồng từ nguồn ngân sách xã.", [(35_000_000, "ngân sách xã")]),
    ("12,5 triệu đồng (nguồn xã hội hóa); 1,2 tỷ đồng từ ngân sách nhà nước", [
        (12_500_000, "xã hội hóa"), (1_200_000_000, "ngân sách nhà nước")]),
    ("Hỗ trợ 1.000 người.", []),
])
def test_funding_amounts(text, expected):
    assert [(a.amount_vnd, a.source) for a in amounts(text)] == expected


@pytest.mark.parametrize("wording", ["year_at_end", "worded", "short"])
@FEW
@given(data=st.data())
def test_date_ranges_without_false_warnings(wording, data):
    """'từ ngày 15/11 đến ngày 15/12/2026', 'từ ngày 15 tháng 11 đến ngày 15 tháng 12 năm 2026'."""
    (document, expected) = data.draw(plans())
    assert_imports_back(document, expected, data.draw(in_layout(action_month_wording=wording)))


def test_the_issue_date_in_words():
    result = import_text("UBND PHƯỜNG ĐÔNG NGÀN\nSố: 45/KH-UBND\nĐông Ngàn, ngày 02 tháng 6 năm 2026\nKẾ HOẠCH\n"
                         "Bình đẳng giới năm 2026 của phường Đông Ngàn\nI. NỘI DUNG\n1. Truyền thông\n"
                         "- Tuyên truyền.\n")
    assert result.document.reference.date == dt.date(2026, 6, 2)


# --- Word files -----------------------------------------------------------------------------------------
@FEW
@given(data=st.data())
def test_header_and_signature_in_word_tables(data):
    (document, expected) = data.draw(plans())
    assert_imports_back(document, expected, data.draw(in_layout(file_type="docx", header_in_table=True)))


@FEW
@given(data=st.data())
def test_page_headers_and_footers_are_not_the_plans_text(data):
    (document, expected) = data.draw(plans())
    assert_imports_back(document, expected, data.draw(in_layout(file_type="docx", page_header=True)))


@FEW
@given(data=st.data())
def test_tracked_changes_and_comments_read_as_accepted(data):
    (document, expected) = data.draw(plans())
    assert_imports_back(document, expected, data.draw(in_layout(file_type="docx", tracked_changes=True)))


def test_a_tracked_deleted_paragraph_mark_joins_the_paragraphs():
    deleted_mark = ('<w:p><w:pPr><w:rPr><w:del w:id="1" w:author="A" w:date="2026-05-01T00:00:00Z"/></w:rPr></w:pPr>'
                    '<w:r><w:t xml:space="preserve">- Tổ chức tuyên truyền về hôn nhân và </w:t></w:r></w:p>')
    data = package(paragraph("KẾ HOẠCH") + paragraph("Bình đẳng giới năm 2026 của xã Sơn Hải") + paragraph(
        "I. NỘI DUNG") + paragraph("1. Truyền thông") + deleted_mark + paragraph("gia đình."))
    [area] = import_file("ke-hoach.docx", data).document.content_areas
    assert [t.text for t in area.tasks] == ["Tổ chức tuyên truyền về hôn nhân và gia đình."]


def test_a_scanned_looking_word_file_without_text_is_refused_clearly():
    picture = ('<w:p><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/'
               'wordprocessingDrawing"/></w:drawing></w:r></w:p>')
    with pytest.raises(UnreadableDocument, match="bản scan"):
        import_file("ke-hoach.docx", package(picture * 3, parts={"word/media/image1.png": b"\x89PNG" + bytes(100)}))
    word = docx.Document()
    word.add_paragraph("")
    buffer = io.BytesIO()
    word.save(buffer)
    with pytest.raises(UnreadableDocument, match="trống"):  # no picture either: just empty
        import_file("ke-hoach.docx", buffer.getvalue())


# --- wards and townships ----------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", [LocalityType.WARD, LocalityType.TOWNSHIP, LocalityType.COMMUNE])
@FEW
@given(data=st.data())
def test_wards_and_townships(kind, data):
    (document, expected) = data.draw(plans_where(lambda d: d.locality_type is kind))
    assert document.issuing_body.startswith({LocalityType.WARD: "UBND phường ", LocalityType.TOWNSHIP:
                                             "UBND thị trấn ", LocalityType.COMMUNE: "UBND xã "}[kind])
    assert_imports_back(document, expected, data.draw(layouts()))


# --- warnings ----------------------------------------------------------------------------------------------
def test_every_warning_says_what_the_officer_can_do():
    for name, directory in (("ke-hoach-binh-dang-gioi-2026-son-hai.txt", "directory-son-hai.json"),
                            ("ke-hoach-xa-hoa-binh-2027-don-vi-khac.txt", "directory-hoa-binh.json"),
                            ("ke-hoach-thi-tran-cho-2024.txt", "directory-thi-tran-cho.json")):
        for warning in import_text(fixture_text(name), directory=load_directory(directory), year_hint=2025).warnings:
            assert warning.action == ACTIONS[warning.code], warning

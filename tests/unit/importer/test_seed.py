"""The Sơn Hải 2026 plan (the shared seed document), imported end to end."""
import datetime as dt

import pytest

from services.plans.document import FundingSource, LocalityType, UnitRole, UnitType
from services.plans.importer import import_text


@pytest.fixture(scope="module")
def result(seed_text, son_hai_directory):
    return import_text(seed_text, directory=son_hai_directory)


@pytest.fixture(scope="module")
def document(result):
    return result.document


def test_header_title_and_locality(result, document):
    assert result.year == 2026
    assert result.commune_name == "Sơn Hải"
    assert document.locality_type is LocalityType.COMMUNE
    assert document.locality_name == "Sơn Hải"
    assert document.issuing_body == "UBND xã Sơn Hải"
    assert document.title == ("Triển khai thực hiện công tác bình đẳng giới và vì sự tiến bộ của phụ nữ "
                              "trên địa bàn xã Sơn Hải năm 2026")
    assert document.place == "Son Hải"  # kept as written; the typo is a warning
    assert (document.reference.number, document.reference.symbol, document.reference.date) == (None, "KH-UBND", None)
    assert document.preamble.startswith("Thực hiện Kế hoạch số 169/KH-UBND")


def test_parent_plan(document):
    parent = document.parent_plan
    assert (parent.number, parent.symbol, parent.date, parent.issuing_body) == (
        "169", "KH-UBND", dt.date(2026, 5, 14), "UBND tỉnh Bắc Ninh")
    assert parent.title == ("Triển khai thực hiện công tác bình đẳng giới và vì sự tiến bộ của phụ nữ "
                            "tỉnh Bắc Ninh năm 2026")


def test_purposes_and_requirements(document):
    assert [p[:40] for p in document.purposes] == [
        "Tiếp tục thực hiện hiệu quả các mục tiêu",
        "Nâng cao nhận thức, trách nhiệm của chín"]
    assert [r[:40] for r in document.requirements] == [
        "Các mục tiêu, nhiệm vụ, giải pháp phải đ",
        "Đẩy mạnh công tác tuyên truyền nhằm nâng",
        "Tăng cường các hoạt động hỗ trợ nhằm nân"]


def test_content_areas_with_their_tasks(document):
    areas = document.content_areas
    assert [(a.number, len(a.tasks)) for a in areas] == [(1, 2), (2, 4), (3, 6), (4, 3), (5, 2), (6, 2)]
    assert [t.code for t in areas[2].tasks] == [f"ND-3.{n}" for n in range(1, 7)]
    assert areas[1].title == "Đẩy mạnh truyền thông, phổ biến, giáo dục chính sách, pháp luật về bình đẳng giới"
    # the heading broken over lines 75 and 77 is one title
    assert areas[5].title == ("Tăng cường công tác phối hợp liên ngành nhằm thực hiện tốt công tác vì sự tiến bộ "
                              "của phụ nữ và phòng ngừa, ứng phó với bạo lực trên cơ sở giới")
    assert "đơn vị thuộc xã trong công tác quản lý" in areas[0].tasks[1].text
    assert areas[2].tasks[1].text.endswith("gắn với tình hình, đặc điểm cụ thể của địa phương.")
    assert all(not task.sub_items for area in areas for task in area.tasks)


def test_funding(document):
    assert document.funding.text.startswith("Kinh phí thực hiện Kế hoạch này được bảo đảm từ ngân sách Nhà nước")
    assert document.funding.sources == [FundingSource.STATE_BUDGET, FundingSource.OTHER_LAWFUL]


def test_every_unit_of_the_organisation_part(document):
    assert [(u.number, u.unit_name, u.unit_type, u.unit_codes, u.is_group, u.requested, u.role, len(u.tasks))
            for u in document.organisation] == [
        (1, "Phòng Văn hoá - Xã hội xã", UnitType.DEPARTMENT, ["VHXH"], False, False, UnitRole.LEAD, 4),
        (2, "Phòng Kinh tế xã", UnitType.DEPARTMENT, ["KT"], False, False, UnitRole.COORDINATING, 2),
        (3, "Văn phòng HĐND và UBND xã", UnitType.OFFICE, ["VP"], False, False, UnitRole.COORDINATING, 3),
        (4, "Trung tâm cung ứng dịch vụ sự nghiệp công xã", UnitType.SERVICE_CENTRE, ["TTDV"], False, False,
         UnitRole.COORDINATING, 3),
        (5, "Trạm y tế xã", UnitType.HEALTH_STATION, ["TYT"], False, False, UnitRole.COORDINATING, 3),
        (6, "Các trường học trên địa bàn xã", UnitType.SCHOOL, ["MN", "TH", "THCS"], True, False,
         UnitRole.COORDINATING, 1),
        (7, "Ủy ban Mặt trận Tổ quốc và các tổ chức Chính trị - Xã hội xã", UnitType.FRONT_ORGANISATION,
         ["MTTQ", "HPN", "DTN"], False, True, UnitRole.COORDINATING, 4),
        (8, "Các thôn", UnitType.VILLAGE, ["THON-DONG", "THON-DOAI", "THON-TRUNG"], True, False,
         UnitRole.COORDINATING, 3),
    ]


def test_unit_tasks_are_numbered_by_position(document):
    # the document numbers the fourth unit '2.': its tasks are TC-4.*
    assert [t.code for t in document.organisation[3].tasks] == ["TC-4.1", "TC-4.2", "TC-4.3"]
    assert document.organisation[2].tasks[1].text.startswith(
        "Tổ chức tuyên truyền, phổ biến các quy định pháp luật về hôn nhân và gia đình, phòng, chống")
    assert "bảo vệ quyền và lợi ích hợp pháp của nạn nhân" in document.organisation[6].tasks[2].text
    assert document.organisation[5].tasks[0].text.startswith("Lồng ghép tuyên truyền về bình đẳng giới")


def test_a_dissolved_village_gets_no_task(document):
    assigned = document.assigned_tasks()
    assert "THON-CU" not in assigned
    assert assigned["THON-DONG"] == ["TC-8.1", "TC-8.2", "TC-8.3"]
    assert assigned["VHXH"] == ["TC-1.1", "TC-1.2", "TC-1.3", "TC-1.4"]


def test_reporting_obligation(result, document):
    reporting = document.reporting
    assert (reporting.due_day, reporting.due_month, reporting.due_before, reporting.recurring_yearly) == (
        20, 11, True, True)
    assert reporting.through_unit == "Phòng Văn hoá - Xã hội"
    assert reporting.report_to == "UBND xã"
    assert reporting.compiled_for == "Sở Nội vụ"
    assert reporting.text.startswith("Báo cáo kết quả thực hiện về UBND xã")
    assert result.report_deadline == dt.date(2026, 11, 20)


def test_key_dates(document):
    assert [(k.name, k.start_day, k.start_month, k.end_day, k.end_month) for k in document.key_dates] == [
        ("Ngày Quốc tế Phụ nữ", 8, 3, None, None),
        ("Ngày Gia đình Việt Nam", 28, 6, None, None),
        ("Ngày Phụ nữ Việt Nam", 20, 10, None, None),
        ("Tháng hành động vì bình đẳng giới và phòng ngừa, ứng phó với bạo lực trên cơ sở giới", 15, 11, 15, 12),
    ]


def test_closing_recipients_and_signature(document):
    assert document.closing.startswith("Trên đây là Kế hoạch triển khai thực hiện công tác bình đẳng giới")
    assert document.recipients == [
        "Sở Nội vụ (b/c)", "TTĐU, TT HĐND xã (b/c)", "Chủ tịch, PCT xã", "UB MTTQ và các tổ chức CT-XH xã",
        "Các cơ quan, đơn vị thuộc UBND xã", "Trạm Y tế xã", "Các thôn", "Lưu: VT"]
    signature = document.signature
    assert (signature.on_behalf_of, signature.deputy_for, signature.title) == (
        "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    assert signature.signer_name == "Nguyễn Văn Hải"  # line 172 of the seed


def test_every_anomaly_of_the_seed_is_a_warning_on_its_line(result):
    assert [(w.line, w.code, w.expected, w.found) for w in result.warnings] == [
        (1, "issuing_body_missing", "UBND xã Sơn Hải", None),
        (3, "document_number_missing", None, "Số: /KH-UBND"),
        (5, "issue_date_incomplete", "ngày … tháng … năm …", "ngày tháng năm 2026"),
        (5, "place_name_typo", "Sơn Hải", "Son Hải"),
        (28, "typo_suspected", "phòng, chống", "phong, chống"),
        (31, "line_joined", None, "dòng 33: xã trong công tác quản lý nhà nước về bì…"),
        (49, "line_joined", None, "dòng 51: của địa phương."),
        (49, "typo_suspected", "để tổ chức", "đề tổ chức"),
        (75, "line_joined", None, "dòng 77: vì sự tiến bộ của phụ nữ và phòng ngừa,…"),
        (83, "numbering_skipped", "III", "IV"),
        (91, "typo_suspected", "Ủy ban nhân dân xã", "Ủy ban nhân xã"),
        (109, "line_joined", None, "dòng 111: đình, phòng, chống bạo lực gia đình, đặc…"),
        (115, "numbering_repeated", "4", "2"),
        (133, "task_without_bullet", "- ", "Lồng ghép tuyên truyền về bình đẳng giới trong côn…"),
        (141, "line_joined", None, "dòng 143: ích hợp pháp của nạn nhân theo quy định."),
    ]


def test_warning_messages_say_what_to_check(result):
    messages: dict[str, str] = {}
    for warning in result.warnings:
        messages.setdefault(warning.code, warning.message)
    assert messages["numbering_skipped"] == ("Đánh số phần không liên tục: sau phần “II.” là phần “IV.”, "
                                             "thiếu phần “III.”. Đã nhập tiếp theo thứ tự.")
    assert messages["place_name_typo"] == "Địa danh “Son Hải” viết sai; tên địa phương là “Sơn Hải”."
    assert "dòng 31 được nối với dòng 33" in messages["line_joined"]


def test_without_a_directory_units_are_typed_but_not_matched(seed_text):
    result = import_text(seed_text)
    assert all(unit.unit_codes == [] for unit in result.document.organisation)
    assert [unit.unit_type for unit in result.document.organisation][4:] == [
        UnitType.HEALTH_STATION, UnitType.SCHOOL, UnitType.FRONT_ORGANISATION, UnitType.VILLAGE]
    assert not {w.code for w in result.warnings} & {"unit_not_in_directory", "unit_name_uncertain"}


def test_each_warning_carries_the_line_it_is_about(result, seed_text):
    lines = seed_text.splitlines()
    place = next(w for w in result.warnings if w.code == "place_name_typo")
    assert place.text == lines[place.line - 1] == "Son Hải, ngày tháng năm 2026"
    assert all(w.text is None or len(w.text) <= 500 for w in result.warnings)
    assert all(w.text == " ".join(lines[w.line - 1].split())[:500] or w.text.endswith("…")
               for w in result.warnings if w.text)

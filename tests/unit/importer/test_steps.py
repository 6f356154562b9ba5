"""The importer's steps one by one: line classification, joining, numbering checks, typos, names."""
import pytest

from services.plans.document import UnitType
from services.plans.importer import import_text
from services.plans.importer.lines import LineKind, SourceLine, classified_lines, classify, split_text
from services.plans.importer.parser import Numbering
from services.plans.importer.result import WarningLog
from services.plans.importer.typos import report_typos
from services.plans.importer.units import unit_key, unit_type_of
from tests.unit.importer.conftest import fixture_text


@pytest.mark.parametrize("text, kind, marker, content", [
    ("IV. KINH PHÍ THỰC HIỆN", LineKind.PART_HEADING, "IV", "KINH PHÍ THỰC HIỆN"),
    ("II - NỘI DUNG", LineKind.PART_HEADING, "II", "NỘI DUNG"),
    ("IIII. SAI", LineKind.TEXT, None, "IIII. SAI"),  # not a Roman numeral
    ("V/v báo cáo kết quả", LineKind.TEXT, None, "V/v báo cáo kết quả"),
    ("2. Phòng Kinh tế xã", LineKind.NUMBERED, "2", "Phòng Kinh tế xã"),
    ("3) Các thôn", LineKind.NUMBERED, "3", "Các thôn"),
    ("1.2. Truyền thông", LineKind.SUB_NUMBERED, "1.2", "Truyền thông"),
    ("1.000 hội viên tham gia", LineKind.TEXT, None, "1.000 hội viên tham gia"),
    ("đ) Hỗ trợ pháp lý", LineKind.LETTERED, "đ", "Hỗ trợ pháp lý"),
    ("- Tuyên truyền", LineKind.BULLET, "-", "Tuyên truyền"),
    ("– Tuyên truyền", LineKind.BULLET, "-", "Tuyên truyền"),
    ("* Tuyên truyền", LineKind.BULLET, "*", "Tuyên truyền"),
    ("• Tuyên truyền", LineKind.BULLET, "•", "Tuyên truyền"),
    ("+ Nghề may", LineKind.PLUS_BULLET, "+", "Nghề may"),
    ("20/11 hằng năm", LineKind.TEXT, None, "20/11 hằng năm"),
])
def test_lines_are_classified_by_their_marker(text, kind, marker, content):
    line = classify(SourceLine(1, text))
    assert (line.kind, line.marker, line.text) == (kind, marker, content)


def test_only_a_lower_case_continuation_of_an_unfinished_sentence_is_joined():
    log = WarningLog()
    lines = classified_lines(split_text("- Tổ chức tuyên truyền về hôn nhân và gia\n\nđình.\n"
                                        "- Xong câu.\nviết thường sau dấu chấm\n"
                                        "- Các nội dung sau\na) mục con\n"), log)
    assert [line.text for line in lines] == ["Tổ chức tuyên truyền về hôn nhân và gia đình.", "Xong câu.",
                                             "viết thường sau dấu chấm", "Các nội dung sau", "mục con"]
    assert [(w.line, w.code) for w in log.in_source_order()] == [(1, "line_joined")]


def _numbering_warnings(markers, *, roman=False):
    log = WarningLog()
    numbering = Numbering("mục", log, roman=roman)
    for number, marker in enumerate(markers, start=1):
        numbering.check(classify(SourceLine(number, f"{marker}. Nội dung")))
    return [(w.line, w.code, w.expected, w.found) for w in log.in_source_order()]


def test_a_repeated_number_is_one_mistake_not_a_shifted_sequence():
    assert _numbering_warnings(["1", "2", "3", "2", "5", "6"]) == [(4, "numbering_repeated", "4", "2")]


def test_a_skipped_number_is_followed_from_there():
    assert _numbering_warnings(["I", "II", "IV", "V"], roman=True) == [(3, "numbering_skipped", "III", "IV")]
    assert _numbering_warnings(["2", "3"]) == [(1, "numbering_skipped", "1", "2")]
    assert _numbering_warnings(["1", "3", "2"]) == [(2, "numbering_skipped", "2", "3"),
                                                    (3, "numbering_out_of_order", "4", "2")]


@pytest.mark.parametrize("text, reported", [
    ("tham mưu Uỷ ban nhân xã tổ chức", [("Ủy ban nhân dân xã", "Uỷ ban nhân xã")]),  # either tone-mark style
    ("tham mưu Ủy ban nhân dân xã tổ chức", []),
    ("đề xuất vấn đề tổ chức triển khai", []),
    ("để có cơ sở, đề tổ chức triển khai", [("để tổ chức", "đề tổ chức")]),
    ("bình đẳng giới và phong, chống bạo lực", [("phòng, chống", "phong, chống")]),
])
def test_known_typos_are_reported_with_the_right_spelling(text, reported):
    log = WarningLog()
    report_typos([SourceLine(7, text)], log)
    assert [(w.expected, w.found) for w in log.in_source_order()] == reported


@pytest.mark.parametrize("written, directory_name", [
    ("Phòng Văn hoá - Xã hội xã", "Phòng Văn hóa – Xã hội"),
    ("Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã", "Văn phòng HĐND và UBND"),
    ("Trạm Y tế xã Sơn Hải", "Trạm y tế"),
    ("Hội LHPN xã", "Hội Liên hiệp Phụ nữ"),
    ("UB MTTQ xã", "Ủy ban Mặt trận Tổ quốc"),
])
def test_unit_names_compare_without_accents_abbreviations_or_locality(written, directory_name):
    assert unit_key(written, "Sơn Hải") == unit_key(directory_name, "Sơn Hải")


@pytest.mark.parametrize("name, unit_type", [
    ("Công an xã", UnitType.POLICE),
    ("Văn phòng HĐND và UBND xã", UnitType.OFFICE),
    ("Phòng Kinh tế xã", UnitType.DEPARTMENT),
    ("Các trường học trên địa bàn xã", UnitType.SCHOOL),
    ("Đoàn Thanh niên xã", UnitType.MASS_ORGANISATION),
    ("Các tổ dân phố", UnitType.VILLAGE),
    ("Ban Chỉ huy Quân sự xã", UnitType.OTHER),
])
def test_unit_types_come_from_the_name(name, unit_type):
    assert unit_type_of(name) is unit_type


def test_issuing_body_on_two_lines_and_a_different_place_name():
    result = import_text("ỦY BAN NHÂN DÂN\nXÃ SƠN HẢI\nSố: 12/KH-UBND\nHà Nội, ngày 20 tháng 5 năm 2026\n"
                         "KẾ HOẠCH\nBình đẳng giới năm 2026\nI. NỘI DUNG\n1. Truyền thông\n- Tuyên truyền.\n")
    assert result.document.issuing_body == "UBND xã Sơn Hải"
    assert [(w.line, w.code, w.expected, w.found) for w in result.warnings] == [
        (4, "place_name_mismatch", "Sơn Hải", "Hà Nội"),
        (5, "reporting_missing", None, None),
        (5, "funding_missing", None, None),
        (5, "organisation_missing", None, None),
        (9, "signature_missing", None, None),
    ]


def test_an_impossible_deadline_is_reported_and_not_imported():
    result = import_text("UBND XÃ SƠN HẢI\nSố: 12/KH-UBND\nSơn Hải, ngày 20 tháng 5 năm 2026\nKẾ HOẠCH\n"
                         "Bình đẳng giới năm 2026\nI. TỔ CHỨC THỰC HIỆN\n1. Phòng Văn hoá - Xã hội\n"
                         "- Chủ trì triển khai.\nTrên đây là Kế hoạch. Các thôn báo cáo kết quả về UBND xã "
                         "trước ngày 31/11 hằng năm.\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nNguyễn Văn A\n")
    assert (result.document.reporting, result.report_deadline) == (None, None)
    assert [(w.line, w.code, w.found) for w in result.warnings] == [
        (4, "content_missing", None), (4, "funding_missing", None), (9, "report_deadline_invalid", "31/11")]


def test_a_number_standing_alone_gets_a_placeholder_name_and_a_warning():
    result = import_text("KẾ HOẠCH\nBình đẳng giới năm 2026 của xã Sơn Hải\nI. NỘI DUNG\n1.\n- Tuyên truyền.\n"
                         "II. TỔ CHỨC THỰC HIỆN\n1. : Chủ trì tuyên truyền.\n")
    assert result.document.content_areas[0].title == "Nội dung 1"
    assert result.document.organisation[0].unit_name == "Đơn vị 1"
    assert result.document.organisation[0].tasks[0].text == "Chủ trì tuyên truyền."
    assert [(w.line, w.found) for w in result.warnings if w.code == "heading_empty"] == [(4, "1."), (7, "1.")]


@pytest.mark.parametrize("place, warned", [("Hòa Bình", []), ("Hoà Bình", []),
                                           ("Hoa Bình", [("place_name_typo", "Hoà Bình", "Hoa Bình")])])
def test_either_tone_mark_style_of_the_place_name_is_right(place, warned):
    text = fixture_text("ke-hoach-xa-hoa-binh-2027-don-vi-khac.txt").replace("Hoà Bình, ngày", f"{place}, ngày")
    result = import_text(text)
    assert [(w.code, w.expected, w.found) for w in result.warnings if w.code.startswith("place")] == warned

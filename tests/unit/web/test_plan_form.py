"""The plan pages' data: upload checks, the import's fields and refusals, warnings by line, the draft form."""
import json
from typing import Any

from services.web import plan_form
from tests.support.plan_documents import INDICATOR_TARGETS, document

UNITS = {"VHXH", "TYT", "THON-DONG", "THON-DOAI"}
PLAN: dict[str, Any] = {"id": "p", "report_deadline": "2026-11-20", "document": document(),
                        "indicator_targets": INDICATOR_TARGETS}


def test_an_upload_must_look_like_a_plan_document_before_plans_reads_it():
    assert plan_form.check_upload("Kế hoạch.DOCX", 2000) is None
    assert plan_form.check_upload("ke-hoach.txt", 2000) is None
    assert plan_form.check_upload("", 0) == plan_form.MISSING_FILE
    assert plan_form.check_upload("anh.png", 10) == plan_form.NOT_A_DOCUMENT
    assert plan_form.check_upload("ke-hoach.docx", plan_form.MAX_DOCUMENT_BYTES + 1) == plan_form.TOO_LARGE
    assert plan_form.check_upload("ke-hoach.docx", 0) == "Tệp trống: không có nội dung để nhập."
    assert plan_form.upload_name("Kế hoạch của xã.DOCX") == "ke-hoach.docx"


def test_the_import_fields_carry_the_year_deadline_and_the_units_chosen():
    form = plan_form.ImportForm()
    fields = plan_form.import_fields(form, "07543", {"year": "2027", "report_deadline": "2027-11-20",
                                                      "map-0-name": "Trạm y tế xã", "map-0-code": "TYT",
                                                      "map-1-name": "Các trường học", "map-1-code": ""})
    assert fields == {"commune_code": "07543", "year": "2027", "report_deadline": "2027-11-20",
                      "unit_map": json.dumps({"Trạm y tế xã": "TYT"}, ensure_ascii=False)}
    assert form.unmatched == ["Trạm y tế xã", "Các trường học"]
    wrong = plan_form.ImportForm()
    assert plan_form.import_fields(wrong, "07543", {"year": "27", "report_deadline": "20/11/2027"}) is None
    assert set(wrong.errors) == {"year", "report_deadline"}
    for odd in ("²⁰²⁷", "9" * 5000):  # digits to str.isdigit, not to int(): a message, not a 500
        odd_form = plan_form.ImportForm()
        assert plan_form.import_fields(odd_form, "07543", {"year": odd}) is None
        assert set(odd_form.errors) == {"year"}


def test_plans_refusal_of_an_import_is_put_next_to_the_fields():
    form = plan_form.ImportForm(unmatched=["Trạm y tế xã"])
    plan_form.refused_import(form, {"error": {"code": "import_incomplete", "message": "Chưa tạo", "fields": [
        {"field": "unit_map.Các trường học", "problem": "Chưa xác định được đơn vị"},
        {"field": "report_deadline", "problem": "Thiếu hạn báo cáo; hãy nhập ngày."}]}})
    assert form.unmatched == ["Trạm y tế xã", "Các trường học"]
    assert form.errors == {"map-1-code": "Chưa xác định được đơn vị “Các trường học” trong danh mục; hãy chọn "
                                         "đơn vị rồi chọn lại tệp.",
                           "report_deadline": "Thiếu hạn báo cáo; hãy nhập ngày."}
    unreadable = plan_form.ImportForm()
    plan_form.refused_import(unreadable, {"error": {"code": "payload_too_large", "message": "Tệp vượt quá 5 MB."}})
    assert unreadable.errors == {"file": "Tệp vượt quá 5 MB."}


def test_warnings_are_grouped_by_the_line_they_concern_with_advice_for_the_pages():
    warnings = [{"line": 5, "code": "place_name_typo", "message": "b", "text": "Son Hải", "paragraph": 5,
                 "action": "Sửa trong văn bản gốc."},
                {"line": 1, "code": "issuing_body_missing", "message": "a", "text": None,
                 "action": "Kiểm tra và sửa trong bản dự thảo (PUT /v1/plans/{id}/draft) nếu cần."},
                {"line": 5, "code": "issue_date_incomplete", "message": "c", "text": "Son Hải", "action": None}]
    lines = plan_form.warned_lines(warnings)
    assert [(line.line, line.text, [w["message"] for w in line.warnings]) for line in lines] == [
        (1, None, ["a"]), (5, "Son Hải", ["b", "c"])]
    assert "PUT" not in lines[0].warnings[0]["action"] and lines[1].warnings[0]["action"] == "Sửa trong văn bản gốc."


def test_the_draft_form_round_trips_and_changes_only_what_it_shows():
    values = plan_form.draft_values(PLAN)
    submitted = {name: value if isinstance(value, list) else [value] for name, value in values.items()}
    body, _, errors = plan_form.draft_body(PLAN, submitted, UNITS)
    assert errors == {}
    assert body["document"] == PLAN["document"] and body["report_deadline"] == "2026-11-20"
    assert [(t["indicator_code"], t["target"]) for t in body["indicator_targets"]] == [("BDG-CS-01", 2000),
                                                                                       ("BDG-CS-03", 5)]
    changed = {**submitted, "title": ["Kế hoạch mới"], "unit-1-codes": ["VHXH", "TYT"], "target-1": ["7,5"]}
    body, _, errors = plan_form.draft_body(PLAN, changed, UNITS)
    assert errors == {} and body["document"]["title"] == "Kế hoạch mới"
    assert body["document"]["organisation"][1]["unit_codes"] == ["VHXH", "TYT"]
    assert body["indicator_targets"][1]["target"] == 7.5
    assert PLAN["document"]["title"] != "Kế hoạch mới", "the plan given is not changed"


def test_the_draft_form_refuses_empty_text_unknown_units_bad_numbers_and_dates():
    submitted = {name: value if isinstance(value, list) else [value]
                 for name, value in plan_form.draft_values(PLAN).items()}
    _, values, errors = plan_form.draft_body(PLAN, {**submitted, "title": [" "], "area-0-task-0": [""],
                                                   "unit-0-codes": ["KHONG-CO"], "target-0": ["nhiều"],
                                                   "report_deadline": ["20/11"]}, UNITS)
    assert set(errors) == {"title", "area-0-task-0", "unit-0-codes", "target-0", "report_deadline"}
    assert values["target-0"] == "nhiều"


def test_plans_refusal_of_a_draft_or_its_issue_goes_next_to_the_fields():
    answer = {"error": {"status": 422, "code": "validation_error", "message": "Chưa thể ban hành", "fields": [
        {"field": "document.organisation.2.unit_codes", "problem": "chưa gắn 'Các thôn' với đơn vị trong danh mục"},
        {"field": "document.content_areas.0.tasks.1.text", "problem": "String too long"},
        {"field": "document.content_areas.1.title", "problem": "String too long"},
        {"field": "document.organisation.0.tasks.3.code", "problem": "mã nhiệm vụ 'TC-1.1' bị trùng"},
        {"field": "indicator_targets.1.target", "problem": "bad"},
        {"field": "document.title", "problem": "bad"}, {"field": "report_deadline", "problem": "thiếu hạn báo cáo"},
        {"field": "document.key_dates", "problem": "tối đa 20 mục"}]}}
    assert plan_form.draft_errors(answer) == {
        "unit-2-codes": "Chưa gắn 'Các thôn' với đơn vị trong danh mục.", "area-0-task-1": "Giá trị không hợp lệ.",
        "area-1-title": "Giá trị không hợp lệ.", "unit-0-task-3": "Mã nhiệm vụ 'TC-1.1' bị trùng.",
        "target-1": "Giá trị không hợp lệ.", "title": "Giá trị không hợp lệ.",
        "report_deadline": "Thiếu hạn báo cáo."}

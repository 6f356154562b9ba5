"""The commune officer's unit directory and plans, against the running web and plans: the commune's real plan
imported through the page as a Word file (units the import could not match chosen on the page), its warnings
beside the document's lines, the draft corrected and issued; bad uploads; another commune's plan."""
import re

import pytest

from services.common.admin_units import communes_of, province_of
from services.common.roles import Role
from tests.integration.web.conftest import COMMUNE, OFFICER
from tests.support.plan_documents import DIRECTORY, seed_docx
from tests.support.service_http import token

pytestmark = pytest.mark.integration

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
UNITS = f"/v1/communes/{COMMUNE}/units"


@pytest.fixture
def officer(web, plans):
    for unit in DIRECTORY:
        assert plans.call("POST", UNITS, OFFICER, json=unit).status_code == 201
    web.add("can-bo-xa", Role.COMMUNE_OFFICER, commune=COMMUNE)
    browser = web.browser()
    assert browser.sign_in("can-bo-xa").status_code == 303
    return browser


def plans_of(plans) -> list[dict]:
    return plans.call("GET", "/v1/plans", OFFICER).json()["items"]


def import_seed(officer, fields: dict[str, str] | None = None, year: int = 2027):
    return officer.upload("/ke-hoach/nhap", {"csrf_token": officer.csrf("/ke-hoach/nhap"), **(fields or {})},
                          {"file": ("Kế hoạch BĐG.docx", seed_docx(year), DOCX)})


def unit_choices(page: str) -> dict[str, str]:
    """map-<i>-name -> the unit name the page asks a directory unit for."""
    return dict(re.findall(r'name="(map-\d+)-name" value="([^"]+)"', page))


def test_the_seed_plan_is_imported_corrected_and_issued_through_the_pages(officer, plans):
    incomplete = import_seed(officer)
    assert incomplete.status_code == 422, incomplete.text[:500]
    assert "Chưa tạo được bản dự thảo" in incomplete.text and plans_of(plans) == []
    asked = unit_choices(incomplete.text)
    assert "Văn phòng HĐND và UBND xã" in asked.values(), asked
    assert 'id="loi-map-0-code"' in incomplete.text  # the reason next to the unit's field
    # the units the directory lacks: chosen on the page (here all to the lead unit, as the officer may)
    choices = {f"{key}-name": name for key, name in asked.items()} | {f"{key}-code": "VHXH" for key in asked}
    made = import_seed(officer, choices)
    assert made.status_code == 303, made.text[:1000]
    plan_path = made.headers["Location"].split("?")[0]
    plan_id = plan_path.rsplit("/", 1)[1]
    draft = officer.get(made.headers["Location"])
    assert draft.status_code == 200
    text = draft.text
    # the warnings line by line, each beside the document's line it is about
    assert "Cảnh báo khi đọc văn bản" in text
    assert re.search(r"Dòng 5 \(đoạn \d+ trong tệp Word\)</p>\s*<blockquote class=\"line-text\">Son Hải, ngày tháng "
                     r"năm 2027</blockquote>", text), text[text.find("Cảnh báo"):][:1500]
    assert "Địa danh “Son Hải” viết sai; tên địa phương là “Sơn Hải”." in text
    assert "Dự thảo" in text and "Văn phòng HĐND và UBND xã" in text

    # correcting: an empty title is refused next to the field, nothing changes
    form = officer.get(f"{plan_path}/sua").text
    fields = dict(re.findall(r'<input id="([^"]+)" name="\1" type="(?:text|date)" value="([^"]*)"', form))
    textareas = {name: value for name, value in re.findall(
        r'<textarea id="([^"]+)" name="\1"[^>]*>([^<]*)</textarea>', form, re.S)}
    assert "title" in textareas and fields["report_deadline"] == "2027-11-20"
    body = {**fields, **textareas, "csrf_token": officer.csrf(f"{plan_path}/sua"),
            "unit-0-codes": ["VHXH"], "unit-1-codes": ["KT"], "unit-2-codes": ["VHXH"], "unit-3-codes": ["VHXH"],
            "unit-4-codes": ["TYT"], "unit-5-codes": ["VHXH"], "unit-6-codes": ["VHXH"],
            "unit-7-codes": ["THON-DONG", "THON-DOAI"]}
    refused = officer.post(f"{plan_path}/sua", {**body, "title": "  "})
    assert refused.status_code == 422
    assert '<p class="error" id="loi-title">Vui lòng nhập tên kế hoạch.</p>' in refused.text
    plan = plans.call("GET", f"/v1/plans/{plan_id}", OFFICER).json()
    assert plan["document"]["title"].endswith("năm 2027")
    bad_date = officer.post(f"{plan_path}/sua", {**body, "report_deadline": "20/11/2027"})
    assert bad_date.status_code == 422 and 'id="loi-report_deadline"' in bad_date.text

    saved = officer.post(f"{plan_path}/sua", {**body, "title": "Kế hoạch bình đẳng giới xã Sơn Hải năm 2027",
                                              "report_deadline": "2027-11-18"})
    assert saved.status_code == 303, saved.text[:2000]
    plan = plans.call("GET", f"/v1/plans/{plan_id}", OFFICER).json()
    assert plan["document"]["title"] == "Kế hoạch bình đẳng giới xã Sơn Hải năm 2027"
    assert plan["report_deadline"] == "2027-11-18" and plan["status"] == "draft"
    assert plan["document"]["organisation"][2]["unit_codes"] == ["VHXH"]

    # issuing asks for a confirmation first
    confirm = officer.get(f"{plan_path}/ban-hanh")
    assert confirm.status_code == 200 and "Xác nhận ban hành" in confirm.text
    assert plans.call("GET", f"/v1/plans/{plan_id}", OFFICER).json()["status"] == "draft"
    issued = officer.post(f"{plan_path}/ban-hanh", {"csrf_token": officer.csrf(f"{plan_path}/ban-hanh")})
    assert issued.status_code == 303 and issued.headers["Location"].endswith("?da-ban-hanh=1")
    page = officer.get(issued.headers["Location"]).text
    assert "Đã ban hành kế hoạch." in page and "Cảnh báo khi đọc văn bản" not in page
    assert "Lịch sử phiên bản" in page and "18/11/2027" in page
    assert plans.call("GET", f"/v1/plans/{plan_id}", OFFICER).json()["status"] == "issued"
    assert officer.get(f"{plan_path}/sua").status_code == 404, "an issued plan is not a draft to correct"
    listed = officer.get("/ke-hoach").text
    assert "Kế hoạch bình đẳng giới xã Sơn Hải năm 2027" in listed and "Đã ban hành" in listed
    assert f'<a href="{plan_path}">' in officer.get("/").text  # the home page leads to the plan too


def test_issuing_a_draft_with_units_not_in_the_directory_is_refused_with_the_reason(officer, plans):
    # a unit entry left without a directory unit (here through the API): issuing names it and changes nothing
    asked = unit_choices(import_seed(officer).text)
    choices = {f"{key}-name": name for key, name in asked.items()} | {f"{key}-code": "VHXH" for key in asked}
    plan_path = import_seed(officer, choices).headers["Location"].split("?")[0]
    plan_id = plan_path.rsplit("/", 1)[1]
    plan = plans.call("GET", f"/v1/plans/{plan_id}", OFFICER).json()
    document = plan["document"]
    document["organisation"][0]["unit_codes"] = []
    assert plans.call("PUT", f"/v1/plans/{plan_id}/draft", OFFICER, json={
        "document": document, "report_deadline": plan["report_deadline"],
        "indicator_targets": plan["indicator_targets"]}).status_code == 200
    refused = officer.post(f"{plan_path}/ban-hanh", {"csrf_token": officer.csrf(f"{plan_path}/ban-hanh")})
    assert refused.status_code == 422
    assert "Chưa thể ban hành" in refused.text and "Chưa gắn" in refused.text
    assert plans.call("GET", f"/v1/plans/{plan_id}", OFFICER).json()["status"] == "draft"


@pytest.mark.parametrize(("filename", "data", "status", "message"), [
    ("anh-chup.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, 422,
     "Vui lòng chọn tệp kế hoạch dạng Word (.docx) hoặc văn bản (.txt)."),
    ("ke-hoach.docx", b"PK\x03\x04" + b"0" * (5 * 1024 * 1024), 413,
     "Tệp lớn hơn 5 MB, quá lớn đối với một kế hoạch. Vui lòng kiểm tra lại tệp."),
    ("ke-hoach.docx", b"day khong phai tep Word", 422,
     "Không đọc được tệp Word (.docx): tệp bị hỏng hoặc không phải tệp Word."),
    ("", b"", 422, "Vui lòng chọn tệp kế hoạch (.docx)."),
])
def test_a_bad_upload_is_refused_next_to_the_file_field_and_changes_nothing(officer, plans, filename, data, status,
                                                                           message):
    refused = officer.upload("/ke-hoach/nhap", {"csrf_token": officer.csrf("/ke-hoach/nhap")},
                             {"file": (filename, data, "application/octet-stream")})
    assert refused.status_code == status
    assert f'<p class="error" id="loi-file">{message}</p>' in refused.text
    assert 'aria-invalid="true"' in refused.text
    assert plans_of(plans) == []


def test_an_upload_without_the_csrf_token_is_refused(officer, plans):
    refused = officer.upload("/ke-hoach/nhap", {}, {"file": ("ke-hoach.docx", seed_docx(2027), DOCX)})
    assert refused.status_code == 403 and plans_of(plans) == []


def test_another_communes_plan_and_other_roles_get_404(officer, web, plans):
    other_commune = next(c.code for c in communes_of(province_of(COMMUNE).code)  # type: ignore[union-attr]
                         if c.code != COMMUNE)
    other = token("commune_officer", other_commune)
    created = plans.call("POST", "/v1/plans", other, json={
        "commune_code": other_commune, "year": 2026,
        "document": {"issuing_body": "UBND xã Khác", "locality_name": "Khác", "title": "Kế hoạch năm 2026",
                     "reporting": {"report_to": "UBND xã", "due_day": 20, "due_month": 11}}})
    assert created.status_code == 201, created.text
    plan_id = created.json()["id"]
    for path in (f"/ke-hoach/{plan_id}", f"/ke-hoach/{plan_id}/sua", f"/ke-hoach/{plan_id}/ban-hanh"):
        answer = officer.get(path)
        assert answer.status_code == 404 and "Kế hoạch năm 2026" not in answer.text
    assert officer.post(f"/ke-hoach/{plan_id}/ban-hanh", {"csrf_token": officer.csrf("/ke-hoach")}).status_code == 404
    assert plans.call("GET", f"/v1/plans/{plan_id}", other).json()["status"] == "draft"
    assert officer.get("/don-vi/KHONG-CO").status_code == 404
    web.add("bao-cao-vhxh", Role.UNIT_REPORTER, commune=COMMUNE, unit="VHXH")
    reporter = web.browser()
    assert reporter.sign_in("bao-cao-vhxh").status_code == 303
    for path in ("/don-vi", "/don-vi/VHXH", "/ke-hoach", "/ke-hoach/nhap"):
        assert reporter.get(path).status_code == 404, path


def test_units_are_listed_added_and_changed_with_errors_next_to_the_fields(officer, plans):
    listed = officer.get("/don-vi")
    assert listed.status_code == 200 and "Phòng Văn hoá - Xã hội" in listed.text
    assert '<a href="/don-vi/THON-CU">THON-CU</a>' in listed.text and "đến 30/06/2025" in listed.text
    csrf = officer.csrf("/don-vi")
    refused = officer.post("/don-vi", {"csrf_token": csrf, "code": "VP UBND", "name": "", "unit_type": "office",
                                       "contact-0-role": "head", "contact-0-channel": "email",
                                       "contact-0-address": "khong-phai-thu"})
    assert refused.status_code == 422
    assert '<p class="error" id="loi-code">Mã đơn vị chỉ gồm chữ, số' in refused.text
    assert '<p class="error" id="loi-name">Vui lòng nhập tên đơn vị (tối đa 300 ký tự).</p>' in refused.text
    assert 'id="loi-contact-0-address">Vui lòng nhập địa chỉ thư điện tử' in refused.text
    assert 'value="khong-phai-thu"' in refused.text, "what was typed stays in the form"
    taken = officer.post("/don-vi", {"csrf_token": csrf, "code": "VHXH", "name": "Trùng mã", "unit_type": "office"})
    assert taken.status_code == 409
    assert '<p class="error" id="loi-code">Mã đơn vị này đã có trong danh mục.</p>' in taken.text
    assert len(plans.call("GET", UNITS, OFFICER).json()["items"]) == len(DIRECTORY)

    added = officer.post("/don-vi", {"csrf_token": csrf, "code": "VP-UBND", "name": "Văn phòng HĐND và UBND xã",
                                     "unit_type": "office", "contact-0-role": "reporting_officer",
                                     "contact-0-channel": "email", "contact-0-address": "vanphong@sonhai.gov.vn"})
    assert added.status_code == 303 and added.headers["Location"] == "/don-vi?da-them=VP-UBND"
    assert "Đã thêm đơn vị VP-UBND." in officer.get(added.headers["Location"]).text
    unit = plans.call("GET", f"{UNITS}/VP-UBND", OFFICER).json()
    assert unit["unit_type"] == "office" and unit["contact_points"] == [
        {"role": "reporting_officer", "channel": "email", "address": "vanphong@sonhai.gov.vn"}]

    page = officer.get("/don-vi/VP-UBND").text
    assert 'value="vanphong@sonhai.gov.vn"' in page
    csrf = officer.csrf("/don-vi/VP-UBND")
    early = officer.post("/don-vi/THON-CU", {"csrf_token": csrf, "name": "Thôn Cũ", "active_to": "2009-12-31"})
    assert early.status_code == 409
    assert '<p class="error" id="loi-active_to">Ngày giải thể không được trước ngày thành lập.</p>' in early.text
    changed = officer.post("/don-vi/VP-UBND", {
        "csrf_token": csrf, "name": "Văn phòng HĐND và UBND", "active_to": "",
        "contact-0-role": "reporting_officer", "contact-0-channel": "email",
        "contact-0-address": "vanphong@sonhai.gov.vn", "contact-1-role": "head", "contact-1-channel": "sms",
        "contact-1-address": "0241 3850 123"})
    assert changed.status_code == 303
    unit = plans.call("GET", f"{UNITS}/VP-UBND", OFFICER).json()
    assert unit["name"] == "Văn phòng HĐND và UBND" and len(unit["contact_points"]) == 2
    assert "Đã lưu thay đổi." in officer.get(changed.headers["Location"]).text
    assert officer.post("/don-vi/VP-UBND", {"name": "Không có mã"}).status_code == 403
    assert plans.call("GET", f"{UNITS}/VP-UBND", OFFICER).json()["name"] == "Văn phòng HĐND và UBND"

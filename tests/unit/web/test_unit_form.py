"""The unit directory form: the body plans takes, and errors next to the fields in Vietnamese."""
from services.web import unit_form


def test_a_new_unit_becomes_plans_body_with_its_contacts():
    body, errors = unit_form.body_of({"code": "VP-UBND", "name": " Văn phòng ", "unit_type": "office",
                                      "active_from": "2025-07-01", "contact-0-role": "head",
                                      "contact-0-channel": "email", "contact-0-address": "vp@sonhai.gov.vn",
                                      "contact-1-role": "", "contact-1-channel": "", "contact-1-address": ""},
                                     2, new=True)
    assert errors == {}
    assert body == {"name": "Văn phòng", "code": "VP-UBND", "unit_type": "office", "active_from": "2025-07-01",
                    "active_to": None, "contact_points": [{"role": "head", "channel": "email",
                                                           "address": "vp@sonhai.gov.vn"}]}


def test_each_wrong_field_gets_its_own_vietnamese_message():
    _, errors = unit_form.body_of({"code": "VP UBND", "name": "", "unit_type": "nha", "active_from": "2025-07-01",
                                   "active_to": "2025-01-01", "contact-0-role": "head", "contact-0-channel": "sms",
                                   "contact-0-address": "abc", "contact-1-address": "x@y.vn"}, 2, new=True)
    assert set(errors) == {"code", "name", "unit_type", "active_to", "contact-0-address", "contact-1-role",
                           "contact-1-channel"}
    assert errors["active_to"] == "Ngày giải thể không được trước ngày thành lập."
    assert errors["contact-0-address"] == "Vui lòng nhập số điện thoại của đơn vị (8–15 chữ số)."


def test_a_change_sends_only_what_plans_lets_change():
    body, errors = unit_form.body_of({"code": "KHAC", "unit_type": "school", "name": "Thôn Đông",
                                      "active_to": ""}, 2, new=False)
    assert errors == {} and body == {"name": "Thôn Đông", "active_to": None, "contact_points": []}


def test_a_unit_fills_the_form_and_its_contacts_get_a_spare_row():
    unit = {"code": "VHXH", "name": "Phòng Văn hoá - Xã hội", "unit_type": "department", "active_from": None,
            "active_to": None, "contact_points": [{"role": "head", "channel": "in_app", "address": None}] * 2}
    values = unit_form.values_of(unit)
    assert values["name"] == "Phòng Văn hoá - Xã hội" and values["active_to"] == ""
    assert values["contact-1-channel"] == "in_app" and values["contact-1-address"] == ""
    assert unit_form.contact_rows(unit) == 3 and unit_form.contact_rows(None) == 2


def test_plans_refusals_go_next_to_the_fields():
    taken = {"error": {"status": 409, "code": "unit_exists", "message": "Mã đơn vị này đã có trong danh mục.",
                       "fields": [{"field": "code", "problem": "đã tồn tại"}]}}
    assert unit_form.service_errors(taken) == {"code": "Mã đơn vị này đã có trong danh mục."}
    invalid = {"error": {"status": 422, "code": "validation_error", "message": "Dữ liệu không hợp lệ.", "fields": [
        {"field": "name", "problem": "String should have at most 300 characters"},
        {"field": "contact_points.1.address", "problem": "String should have at most 200 characters"},
        {"field": "(body)", "problem": "x"}]}}
    assert unit_form.service_errors(invalid) == {"name": unit_form.FIELD_PROBLEMS["name"],
                                                 "contact-1-address": "Đầu mối liên hệ không hợp lệ."}
    assert unit_form.service_errors(None) == {} and unit_form.service_errors("lỗi") == {}

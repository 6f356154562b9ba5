"""The case worker's pages' pure helpers: the intake body, the service's field errors next to the form's fields, the
reason to open a case, the list's order of urgency and a case's timeline."""
from werkzeug.datastructures import MultiDict

from services.cases.rules import TRANSITIONS, VIA_REFERRAL
from services.cases.schemas import ReportCase
from services.web import casework

ANSWERS = {"threats_to_kill": True, "weapon_used_or_threatened": False}


def test_the_status_form_offers_the_moves_the_service_allows():
    for status, allowed in TRANSITIONS.items():
        assert set(casework.NEXT_STATUSES[status.value]) == {s.value for s in allowed - VIA_REFERRAL}, status
    assert set(casework.STATUS_LABELS) == {status.value for status in TRANSITIONS}


def test_the_risk_questions_are_the_questionnaires():
    from services.cases.risk import RiskAssessment

    asked = {name for name, _ in casework.RISK_QUESTIONS} | {"previous_incidents"}
    assert asked == set(RiskAssessment.model_fields)


def test_a_filled_intake_form_is_a_body_the_service_takes():
    form = MultiDict({"case_type": "sexual_harassment", "intake_channel": "hotline", "victim-full_name": " Lan ",
                      "victim-sex": "female", "victim-age": "16", "consent-sharing": "1",
                      "risk_assessment-threats_to_kill": "1", "risk_assessment-previous_incidents": "0",
                      "incident-incident_type": "sexual_harassment", "incident-perpetrator_relationship": "stranger"})
    form.add("victim-vulnerabilities", "child")
    form.add("victim-vulnerabilities", "not-a-group")
    body = casework.intake_body(casework.intake_values(form))
    case = ReportCase.model_validate(body)
    assert case.victim.full_name == "Lan" and case.victim.age == 16 and [v.value for v in case.victim.vulnerabilities] \
        == ["child"]
    assert case.consent.sharing and not case.consent.services
    assert case.risk_assessment is not None and case.risk_assessment.threats_to_kill
    assert case.incident is not None and case.village is None


def test_the_services_field_errors_go_next_to_the_fields_in_vietnamese():
    answer = {"error": {"fields": [
        {"field": "victim.full_name", "problem": "String should have at least 1 character", "type": "string_too_short"},
        {"field": "victim.sex", "problem": "Input should be 'female', 'male' or 'other'", "type": "enum"},
        {"field": "victim.vulnerabilities.0", "problem": "Input should be ...", "type": "enum"},
        {"field": "incident.perpetrator_relationship", "problem": "Field required", "type": "missing"},
        {"field": "consent_override_reason", "problem": "bắt buộc khi chưa có đồng ý"},
        {"field": "somewhere.else", "problem": "x", "type": "missing"}]}}
    errors = casework.field_errors(answer, casework.FORM_FIELDS, casework.REQUIRED_CHOICES)
    assert errors == {"victim-full_name": "Vui lòng nhập.", "victim-sex": "Vui lòng chọn.",
                      "victim-vulnerabilities": "Vui lòng chọn.", "incident-perpetrator_relationship": "Vui lòng chọn."}
    assert casework.field_errors(answer, {"referral-consent_override_reason"}, prefix="referral-") == {
        "referral-consent_override_reason": "Bắt buộc khi chưa có đồng ý."}
    assert casework.field_errors(None, casework.FORM_FIELDS) == {}
    whole_model = {"error": {"fields": [{"field": "victim", "type": "value_error",
                                         "problem": "Value error, date_of_birth must fall between 1926 and 2100"}]}}
    assert casework.field_errors(whole_model, casework.FORM_FIELDS) == {"victim-date_of_birth": "Ngày không hợp lệ."}


def test_a_reason_is_chosen_or_written():
    assert casework.access_reason({"reason": "xac-minh"}) == ("Xác minh vụ việc", {})
    assert casework.access_reason({"reason": "khac", "reason_other": "  Họp   liên ngành "}) == ("Họp liên ngành", {})
    assert casework.access_reason({"reason": ""})[1] == {"reason": "Vui lòng chọn lý do truy cập hồ sơ."}
    assert casework.access_reason({"reason": "khac"})[1] == {"reason_other": "Vui lòng ghi rõ lý do."}
    assert "reason_other" in casework.access_reason({"reason": "khac", "reason_other": "x" * 501})[1]


def summary(code, status="reported", risk="medium", deadlines=(), reported="2026-11-02T01:00:00Z"):
    return {"case_code": code, "case_type": "trafficking", "risk_level": risk, "status": status,
            "intake_channel": "hotline", "reported_at": reported, "open_deadlines": list(deadlines)}


def deadline(due, overdue=False, kind="verification"):
    return {"kind": kind, "due_at": due, "met_at": None, "overdue": overdue}


def test_the_list_puts_overdue_then_soonest_due_then_riskiest_first_and_closed_last():
    rows = casework.case_rows([
        summary("CLOSED", status="closed", risk="critical"),
        summary("LATER", deadlines=[deadline("2026-11-05T01:00:00Z")]),
        summary("NONE-LOW", status="supporting", risk="low"),
        summary("NONE-HIGH", status="supporting", risk="high"),
        summary("SOON", deadlines=[deadline("2026-11-02T03:00:00Z", kind="no_contact_decision")]),
        summary("OVERDUE", deadlines=[deadline("2026-11-04T01:00:00Z", overdue=True)]),
    ])
    assert [row.case_code for row in rows] == ["OVERDUE", "SOON", "LATER", "NONE-HIGH", "NONE-LOW", "CLOSED"]
    assert rows[0].overdue and rows[1].next_action == "Quyết định cấm tiếp xúc trước 02/11/2026 10:00"
    assert rows[3].next_action is None and rows[3].risk == "Cao" and rows[3].status == "Đang hỗ trợ"


def test_the_timeline_is_in_order_of_time_in_vietnams_wall_clock():
    case = {"reported_at": "2026-11-02T01:00:00Z",
            "transitions": [{"from": None, "to": "reported", "at": "2026-11-02T01:00:00Z"},
                            {"from": "reported", "to": "verifying", "at": "2026-11-02T05:00:00Z",
                             "reason": "Đi xác minh"}],
            "incidents": [{"occurred_on": "2026-11-01", "incident_type": "domestic_violence_physical",
                           "perpetrator_relationship": "spouse", "place": None, "narrative": "Đánh vợ"}],
            "risk_assessments": [{"level": "high", "assessed_at": "2026-11-02T01:00:00Z"}],
            "measures": [{"kind": "no_contact_order", "requested_at": "2026-11-02T02:00:00Z", "decided_at": None}],
            "referrals": [{"kind": "escalation", "authority": "commune_police", "status": "accepted",
                           "created_at": "2026-11-02T03:00:00Z", "responded_at": "2026-11-02T04:00:00Z",
                           "done_at": None}]}
    entries = casework.timeline(case)
    assert [e.what for e in entries] == [
        "Sự việc: Bạo lực gia đình - thân thể", "Tiếp nhận vụ việc (Mới tiếp nhận)", "Đánh giá nguy cơ: Cao",
        "Biện pháp: Cấm tiếp xúc", "Chuyển cơ quan có thẩm quyền: Công an xã", "Công an xã trả lời: Đã tiếp nhận",
        "Chuyển trạng thái: Mới tiếp nhận → Đang xác minh"]
    assert entries[0].when == "01/11/2026" and entries[0].detail == "Vợ/chồng · Đánh vợ"
    assert entries[1].when == "02/11/2026 08:00" and entries[-1].detail == "Đi xác minh"
    assert casework.referral_actions("pending") == [("accept", "Đã tiếp nhận"), ("reject", "Từ chối")]
    assert casework.referral_actions("done") == []

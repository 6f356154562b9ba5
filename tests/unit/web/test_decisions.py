"""The chairman's pages' helpers: rows from the services' answers, the decision and submission forms."""
from services.web import dates, decisions

WAITING = {
    "urgent_cases": [{"case_code": "VV26-AAAA1111", "risk_level": "critical", "status": "escalated",
                      "reported_at": "2026-11-29T17:30:00Z", "escalated_at": "2026-11-29T18:00:00Z",
                      "verification_due_at": "2026-11-29T23:30:00Z", "verification_overdue": True}],
    "no_contact_orders": [
        {"case_code": "VV26-BBBB2222", "measure_id": "1" * 36, "risk_level": "high",
         "requested_at": "2026-11-30T01:00:00Z", "decision_due_at": "2026-11-30T13:00:00Z", "overdue": False},
        {"case_code": "VV26-AAAA1111", "measure_id": "2" * 36, "risk_level": "critical",
         "requested_at": "2026-11-29T18:00:00Z", "decision_due_at": "2026-11-30T06:00:00Z", "overdue": True}],
}


def test_times_are_shown_in_vietnam_time():
    assert dates.time_text("2026-11-29T17:30:00Z") == "30/11/2026 00:30"
    assert dates.time_text(None) == ""


def test_rows_carry_codes_levels_and_times_overdue_orders_first():
    [case] = decisions.case_rows(WAITING)
    assert (case.case_code, case.risk, case.since, case.verification_overdue) == (
        "VV26-AAAA1111", "Rất cao", "30/11/2026 00:30", True)
    assert case.escalated == "30/11/2026 01:00"
    orders = decisions.order_rows(WAITING)
    assert [o.measure_id for o in orders] == ["2" * 36, "1" * 36]
    assert (orders[0].due, orders[0].overdue) == ("30/11/2026 13:00", True)


def test_a_decision_needs_a_choice_and_a_reason():
    _, _, errors = decisions.decision_form({"decision": "", "reason": "  "})
    assert set(errors) == {"decision", "reason"}
    body, reason, errors = decisions.decision_form({"decision": "refused", "reason": " Theo  đề nghị "})
    assert (body, reason, errors) == ({"decision": "refused"}, "Theo đề nghị", {})


def test_a_granted_order_may_carry_its_period_in_vietnam_time():
    body, _, errors = decisions.decision_form({"decision": "granted", "reason": "Có căn cứ",
                                               "starts_at": "2026-12-01T08:00", "ends_at": "2026-12-03T08:00"})
    assert errors == {}
    assert body == {"decision": "granted", "starts_at": "2026-12-01T08:00:00+07:00",
                    "ends_at": "2026-12-03T08:00:00+07:00"}
    _, _, errors = decisions.decision_form({"decision": "granted", "reason": "Có căn cứ",
                                            "starts_at": "2026-12-01T08:00"})
    assert set(errors) == {"ends_at"}
    _, _, errors = decisions.decision_form({"decision": "granted", "reason": "Có căn cứ",
                                            "starts_at": "2026-12-03T08:00", "ends_at": "2026-12-01T08:00"})
    assert set(errors) == {"ends_at"}
    _, _, errors = decisions.decision_form({"decision": "refused", "reason": "Không có căn cứ",
                                            "starts_at": "2026-12-01T08:00"})
    assert set(errors) == {"starts_at"}


def test_the_submission_needs_a_document_number_of_the_registry_shape():
    assert decisions.submission_form({"document_number": ""})[1] == {"document_number": "Vui lòng nhập số văn bản."}
    assert "document_number" in decisions.submission_form({"document_number": "12/BC"})[1]
    assert decisions.submission_form({"document_number": "125", "document_date": "2026-12-05"}) == (
        {"document_number": "125", "document_date": "2026-12-05"}, {})
    assert "document_date" in decisions.submission_form({"document_number": "125", "document_date": "05/12"})[1]


def report(state: str, missing: int = 0) -> dict:
    return {"state": state, "revision": 1, "header": {"number_line": "Số:      /BC-UBND"},
            "completeness": {"expected": 4, "submitted": 4 - missing, "on_time": 2, "late": 2 - missing,
                             "missing": missing, "returned": 0,
                             "units": [{"unit_name": "Trạm y tế xã", "state_label": "Đã báo cáo"}]},
            "results": {"task_counts": {"total": 4, "done": 4}},
            "indicators": {"met": 1, "not_met": 0, "not_assessed": 1},
            "officer_text": {"version": 0}, "submission": None}


def test_a_report_awaits_the_chairman_when_every_unit_reported_or_once_approved():
    assert decisions.report_summary(report("draft")).ready_to_approve
    assert not decisions.report_summary(report("draft", missing=1)).awaits_leader
    approved = decisions.report_summary(report("approved"))
    assert approved.awaits_leader and not approved.ready_to_approve and approved.state_label == "Đã phê duyệt"
    assert not decisions.report_summary(report("submitted")).awaits_leader

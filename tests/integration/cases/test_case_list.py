"""The commune's cases as the case worker's list shows them: by status, with their running legal timers, and
no personal data; a case's timeline of risk assessments and timers."""
import pytest

from tests.support.case_reports import COMMUNE, VICTIM, answers, report_body
from tests.support.service_http import refusal

pytestmark = pytest.mark.integration


def test_the_list_carries_the_running_timers_and_filters_by_status(cases, tokens, clock):
    urgent = cases.call("POST", "/v1/cases", tokens.worker, json=report_body()).json()["case_code"]  # critical
    calm = cases.call("POST", "/v1/cases", tokens.worker,
                      json=report_body(risk_assessment=answers())).json()["case_code"]  # low: 72 hours
    cases.call("POST", f"/v1/cases/{calm}/transitions", tokens.worker, json={"to_status": "verifying", "reason": "x"})
    cases.call("POST", f"/v1/cases/{calm}/transitions", tokens.worker, json={"to_status": "verified", "reason": "x"})
    order = cases.call("POST", f"/v1/cases/{calm}/measures", tokens.worker, json={"kind": "no_contact_order"})
    assert order.status_code == 201
    clock.advance(hours=3)  # past the critical case's 2 hours
    listed = cases.call("GET", "/v1/cases", tokens.worker)
    assert listed.status_code == 200
    items = {item["case_code"]: item for item in listed.json()["items"]}
    assert items[urgent]["open_deadlines"] == [{"kind": "verification", "due_at": "2026-11-02T03:00:00Z",
                                                "met_at": None, "overdue": True}]
    assert items[calm]["open_deadlines"] == [{"kind": "no_contact_decision", "due_at": "2026-11-02T13:00:00Z",
                                              "met_at": None, "overdue": False}]
    assert VICTIM["full_name"] not in listed.text
    verified = cases.call("GET", "/v1/cases?status=verified", tokens.worker).json()["items"]
    assert [item["case_code"] for item in verified] == [calm]
    assert cases.call("GET", "/v1/cases?status=closed", tokens.leader).json()["items"] == []
    assert refusal(cases.call("GET", "/v1/cases?status=lost", tokens.worker)) == (422, "validation_error")
    assert cases.call("GET", "/v1/cases?status=verified", tokens.other_worker).json()["items"] == []


def test_a_case_shows_its_risk_assessments_and_every_timer(cases, tokens, clock):
    code = cases.call("POST", "/v1/cases", tokens.worker, json=report_body(risk_assessment=answers())).json()[
        "case_code"]
    clock.advance(minutes=30)
    cases.call("POST", f"/v1/cases/{code}/risk-assessments", tokens.worker, json=answers(victim_fears_for_life=True))
    for status in ("verifying", "verified"):
        cases.call("POST", f"/v1/cases/{code}/transitions", tokens.worker, json={"to_status": status, "reason": "x"})
    case = cases.call("GET", f"/v1/cases/{code}", tokens.leader).json()
    assert [r["level"] for r in case["risk_assessments"]] == ["low", "high"]
    assert case["deadlines"] == [{"kind": "verification", "due_at": "2026-11-02T13:00:00Z",
                                  "met_at": "2026-11-02T01:30:00Z", "overdue": False}]
    assert case["commune_code"] == COMMUNE

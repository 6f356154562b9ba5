"""The chairman's list of what awaits a decision: urgent open cases and undecided no-contact orders of the own
commune only, without personal data, each listed case audited; deciding an order records the reason given."""
from urllib.parse import quote

import pytest

from tests.integration.cases.conftest import Tokens
from tests.support.case_reports import COMMUNE, VICTIM, answers, report_body
from tests.support.service_http import refusal

pytestmark = pytest.mark.integration

AWAITING = f"/v1/communes/{COMMUNE}/awaiting-decision"


def report(cases, token=Tokens.worker, **changes) -> str:
    answer = cases.call("POST", "/v1/cases", token, json=report_body(**changes))
    assert answer.status_code == 201, answer.text
    return answer.json()["case_code"]


def test_the_chairman_sees_urgent_cases_and_pending_orders_and_decides_with_a_reason(cases, clock):
    urgent = report(cases)  # threats to kill: critical
    calm = report(cases, risk_assessment=answers())  # low risk, not escalated: not listed
    order = cases.call("POST", f"/v1/cases/{urgent}/measures", Tokens.worker, json={"kind": "no_contact_order"})
    assert order.status_code == 201
    report(cases, Tokens.other_worker)  # another commune's urgent case

    listed = cases.call("GET", AWAITING, Tokens.leader)
    assert listed.status_code == 200, listed.text
    body = listed.json()
    assert [c["case_code"] for c in body["urgent_cases"]] == [urgent]
    assert body["urgent_cases"][0]["risk_level"] == "critical"
    assert body["urgent_cases"][0]["verification_overdue"] is False
    [pending] = body["no_contact_orders"]
    assert (pending["case_code"], pending["measure_id"], pending["overdue"]) == (urgent, order.json()["id"], False)
    assert pending["decision_due_at"] == "2026-11-02T13:00:00Z"
    assert VICTIM["full_name"] not in listed.text and calm not in listed.text

    clock.advance(hours=13)
    late = cases.call("GET", AWAITING, Tokens.leader).json()
    assert late["no_contact_orders"][0]["overdue"] is True
    assert late["urgent_cases"][0]["verification_overdue"] is True  # critical: verified within hours

    reason = "Quyết định theo đề nghị của công an xã"
    decided = cases.call("PATCH", f"/v1/cases/{urgent}/measures/{order.json()['id']}", Tokens.leader,
                         json={"decision": "refused"}, headers={"X-Access-Reason": quote(reason)})
    assert decided.status_code == 200 and decided.json()["decision"] == "refused"
    assert cases.call("GET", AWAITING, Tokens.leader).json()["no_contact_orders"] == []

    audit = cases.call("GET", f"/v1/audit?case_code={urgent}", Tokens.auditor).json()["items"]
    assert {"action": "case.measure.update.no_contact_order", "reason": reason} in [
        {"action": e["action"], "reason": e["reason"]} for e in audit]
    assert sum(e["action"] == "case.awaiting_decision.read" for e in audit) == 3


def test_only_the_own_communes_leader_may_ask(cases):
    report(cases)
    for token in (Tokens.worker, Tokens.officer, Tokens.province, Tokens.auditor):
        assert refusal(cases.call("GET", AWAITING, token))[0] == 403
    assert refusal(cases.call("GET", AWAITING, Tokens.other_leader))[0] in (403, 404)
    other = cases.call("GET", "/v1/communes/07531/awaiting-decision", Tokens.other_leader).json()
    assert other == {"urgent_cases": [], "no_contact_orders": []}

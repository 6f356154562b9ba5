"""A commune's report of 2026 sent to Sở Nội vụ through the services' HTTP APIs, as the commune's people do it:
the sample plan's units report (VHXH with an indicator by sex), the leader approves once reporting has seen every
unit's report, and submits. For the tests of Sở Nội vụ's pages (integration and browser)."""
from __future__ import annotations

from services.processes import http_json
from tests.support.plan_documents import DIRECTORY, INDICATOR_TARGETS, document
from tests.support.service_http import token
from tests.support.waiting import wait_until

# the units the sample plan (tests.support.plan_documents.document) gives tasks, and their tasks
TASKS = {"VHXH": ["TC-1.1", "TC-1.2"], "TYT": ["TC-2.1"], "THON-DONG": ["TC-3.1"], "THON-DOAI": ["TC-3.1"]}


def report_path(commune: str, year: int = 2026) -> str:
    return f"/v1/communes/{commune}/years/{year}/report"


def issue_sample_plan(plans: str, commune: str) -> str:
    """The sample unit directory and an issued plan of 2026 in `commune`: the plan's id."""
    officer = token("commune_officer", commune)
    for unit in DIRECTORY:
        assert http_json("POST", f"{plans}/v1/communes/{commune}/units", unit, officer)[0] == 201
    status, plan = http_json("POST", f"{plans}/v1/plans", {"commune_code": commune, "year": 2026,
                                                           "document": document(),
                                                           "indicator_targets": INDICATOR_TARGETS}, officer)
    assert status == 201, plan
    assert http_json("POST", f"{plans}/v1/plans/{plan['id']}/issue", None, officer)[0] == 200
    return plan["id"]


def submit_commune_report(plans: str, reporting: str, commune: str, plan_id: str, number: str = "125") -> None:
    """`plans` and `reporting` are the services' base addresses."""
    report = reporting + report_path(commune)
    officer, leader = token("commune_officer", commune), token("commune_leader", commune, subject="chu-tich-xa")
    wait_until(lambda: http_json("GET", report, None, officer)[0] == 200, timeout=30)
    for unit, tasks in TASKS.items():
        body: dict = {"tasks": [{"task_code": t, "status": "done", "summary": f"{unit} đã làm {t}."} for t in tasks]}
        if unit == "VHXH":
            body["indicator_values"] = [{"indicator_code": "BDG-CS-01", "female": 1200, "male": 900}]
        status, answer = http_json("POST", f"{plans}/v1/plans/{plan_id}/unit-reports", body,
                                   token("unit_reporter", commune, unit))
        assert status == 201, answer
    wait_until(lambda: http_json("GET", report, None, officer)[1]["completeness"]["missing"] == 0, timeout=30)
    status, answer = http_json("POST", report + "/approval", None, leader)
    assert status == 201, answer
    status, answer = http_json("POST", report + "/submission", {"document_number": number}, leader)
    assert status == 201, answer

"""The commune chairman's journey in Chromium, over an urgent case with a no-contact order awaiting the decision and
a commune report of REPORT_YEAR that every unit has reported to, seeded through the services' APIs."""
import pytest

from services.processes import http_json
from tests.browser.conftest import COMMUNE, drive
from tests.browser.journeys.commune_leader import REPORT_YEAR
from tests.support.case_reports import report_body
from tests.support.plan_documents import INDICATOR_TARGETS, document
from tests.support.service_http import token
from tests.support.waiting import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

TASKS = {"VHXH": ["TC-1.1", "TC-1.2"], "TYT": ["TC-2.1"], "THON-DONG": ["TC-3.1"], "THON-DOAI": ["TC-3.1"]}


def seed(site) -> None:
    cases, plans, reporting = (site.services[name] for name in ("cases", "plans", "reporting"))
    worker, officer, leader = (token(role, COMMUNE) for role in ("case_worker", "commune_officer", "commune_leader"))
    status, case = http_json("POST", f"{cases}/v1/cases", report_body(), worker)
    assert status == 201, case
    status, order = http_json("POST", f"{cases}/v1/cases/{case['case_code']}/measures",
                              {"kind": "no_contact_order"}, worker)
    assert status == 201, order
    status, plan = http_json("POST", f"{plans}/v1/plans", {"commune_code": COMMUNE, "year": REPORT_YEAR,
                                                           "document": document(),
                                                           "indicator_targets": INDICATOR_TARGETS}, officer)
    assert status == 201, plan
    assert http_json("POST", f"{plans}/v1/plans/{plan['id']}/issue", None, officer)[0] == 200
    for unit, tasks in TASKS.items():
        body = {"tasks": [{"task_code": t, "status": "done", "summary": f"{unit} đã làm {t}."} for t in tasks]}
        status, sent = http_json("POST", f"{plans}/v1/plans/{plan['id']}/unit-reports", body,
                                 token("unit_reporter", COMMUNE, unit))
        assert status == 201, sent
    report = f"{reporting}/v1/communes/{COMMUNE}/years/{REPORT_YEAR}/report"

    def ready() -> bool:
        status, answer = http_json("GET", report, None, leader)
        return status == 200 and answer["completeness"]["submitted"] == len(TASKS)
    wait_until(ready, timeout=60)


def test_commune_leader_decides_an_order_and_approves_and_sends_the_report(site, tmp_path):
    seed(site)
    pages = drive("commune_leader", site, tmp_path)
    assert set(pages) == {"cho-quyet-dinh", "cho-quyet-dinh-loi", "phe-duyet-bao-cao", "phe-duyet-bao-cao-da-gui"}

"""The commune officer's completeness board, against the running web, plans and reporting (plans' events reach
reporting over RabbitMQ)."""
import pytest

from services.common.roles import Role
from tests.integration.web.conftest import COMMUNE, OFFICER, issue_plan, web_before
from tests.support.service_http import token
from tests.support.waiting import wait_until

pytestmark = pytest.mark.integration


@pytest.fixture
def board(postgres, tmp_path, plans, reporting):
    plan_id = issue_plan(plans)
    reporter = token("unit_reporter", COMMUNE, "VHXH")
    sent = plans.call("POST", f"/v1/plans/{plan_id}/unit-reports", reporter, json={
        "tasks": [{"task_code": "TC-1.1", "status": "done", "summary": "Xong."},
                  {"task_code": "TC-1.2", "status": "done", "summary": "Xong."}]})
    assert sent.status_code == 201, sent.text

    def reported():
        answer = reporting.call("GET", f"/v1/communes/{COMMUNE}/years/2026/status", OFFICER).json()
        return answer.get("counts", {}).get("reported") == 1
    wait_until(reported, timeout=30)
    web = web_before(plans, reporting, postgres, tmp_path)
    web.add("can-bo-xa", Role.COMMUNE_OFFICER, commune=COMMUNE)
    browser = web.browser()
    assert browser.sign_in("can-bo-xa").status_code == 303
    yield browser, reporting
    if web.server is not None:
        web.server.kill()


def test_the_board_shows_who_reported_and_returns_a_report_with_its_reason(board, plans):
    browser, reporting = board
    page = browser.get("/so-theo-doi?nam=2026")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "Đã báo cáo: 1" in page.text and "Chưa báo cáo" in page.text
    assert page.text.count("Trả lại</button>") == 1  # only VHXH has a report to return
    report_id = page.text.split('name="report_id" value="')[1].split('"')[0]
    empty = browser.post("/so-theo-doi?nam=2026", {"csrf_token": browser.csrf("/so-theo-doi?nam=2026"),
                                                  "report_id": report_id, "reason": " "})
    assert empty.status_code == 422 and 'id="loi-reason-VHXH">Vui lòng ghi lý do trả lại.' in empty.text
    returned = browser.post("/so-theo-doi?nam=2026", {"csrf_token": browser.csrf("/so-theo-doi?nam=2026"),
                                                     "report_id": report_id, "reason": "Thiếu số liệu."})
    assert returned.status_code == 303
    assert plans.call("GET", f"/v1/unit-reports/{report_id}", OFFICER).json()["return_reason"] == "Thiếu số liệu."

    def shown_returned():
        return "Bị trả lại: 1" in browser.get("/so-theo-doi?nam=2026").text
    wait_until(shown_returned, timeout=30)


def test_other_roles_have_no_board(web):
    web.add("bao-cao", Role.UNIT_REPORTER, commune=COMMUNE, unit="VHXH")
    browser = web.browser()
    browser.sign_in("bao-cao")
    assert browser.get("/so-theo-doi").status_code == 404

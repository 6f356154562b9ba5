"""The commune chairman's pages against the running web, plans, reporting and cases: urgent cases and no-contact
orders awaiting a decision (case codes and times only, never the victim's data), an order decided with an audited
reason, the commune report approved and sent to Sở Nội vụ; other roles and other communes see nothing of it."""
import datetime as dt
import re

import pyotp
import pytest

from services.cases.service import CasesService
from services.common.clock import FixedClock
from services.common.roles import Role
from services.ops.topology import consumer_topologies
from services.reporting.service import ReportingService
from tests.integration.web.conftest import COMMUNE, Browser, Clock, issue_plan, start_web
from tests.support.broker import delete_queues
from tests.support.case_reports import NARRATIVE, REPORTER, VICTIM, report_body
from tests.support.service_http import start_service, token
from tests.support.waiting import wait_until

pytestmark = pytest.mark.integration

OTHER_COMMUNE = "07531"
WORKER = token("case_worker", COMMUNE)
AUDITOR = token("auditor")
LEADER = token("commune_leader", COMMUNE)
REPORT = f"/v1/communes/{COMMUNE}/years/2026/report"
TASKS = {"VHXH": ["TC-1.1", "TC-1.2"], "TYT": ["TC-2.1"], "THON-DONG": ["TC-3.1"], "THON-DOAI": ["TC-3.1"]}
VICTIM_DATA = [VICTIM["full_name"], VICTIM["phone"], VICTIM["address"], NARRATIVE, REPORTER]


def report_every_unit(plans, plan_id: str) -> None:
    for unit, tasks in TASKS.items():
        body: dict = {"tasks": [{"task_code": t, "status": "done", "summary": f"{unit} đã làm {t}."} for t in tasks]}
        if unit == "VHXH":
            body["indicator_values"] = [{"indicator_code": "BDG-CS-01", "female": 1200, "male": 900}]
        sent = plans.call("POST", f"/v1/plans/{plan_id}/unit-reports", token("unit_reporter", COMMUNE, unit),
                          json=body)
        assert sent.status_code == 201, sent.text


def sign_in_with_code(web, username: str, secret: str | None) -> Browser:
    browser = web.browser()
    answer = browser.sign_in(username)
    assert answer.status_code == 303
    if secret:
        csrf = browser.csrf("/dang-nhap/ma-xac-thuc")
        code = pyotp.TOTP(secret).at(web.clock())
        assert browser.post("/dang-nhap/ma-xac-thuc", {"csrf_token": csrf, "code": code}).status_code == 303
    return browser


@pytest.fixture
def site(container_factory, postgres, amqp_uri, tmp_path, plans):
    delete_queues(amqp_uri, [t.queue for t in consumer_topologies({}) if t.queue.startswith("reporting.")])
    _, reporting = start_service(container_factory, ReportingService, postgres.create("reporting"), amqp_uri,
                                 tmp_path / "r")
    now = dt.datetime.now(dt.UTC)
    cases_clock = FixedClock(now - dt.timedelta(hours=13))  # the order was requested 13 hours ago: overdue
    _, cases = start_service(container_factory, CasesService, postgres.create("cases"), amqp_uri, tmp_path / "c",
                             cases_clock)
    plan_id = issue_plan(plans)
    report_every_unit(plans, plan_id)
    wait_until(lambda: reporting.call("GET", REPORT, LEADER).json().get("completeness", {}).get("submitted") == 4,
               timeout=30)
    case = cases.call("POST", "/v1/cases", WORKER, json=report_body())
    assert case.status_code == 201, case.text
    case_code = case.json()["case_code"]
    order = cases.call("POST", f"/v1/cases/{case_code}/measures", WORKER, json={"kind": "no_contact_order"})
    assert order.status_code == 201, order.text
    cases_clock.set(now)
    other = cases.call("POST", "/v1/cases", token("case_worker", OTHER_COMMUNE), json=report_body())
    assert other.status_code == 201
    web = start_web(postgres.create("web"), tmp_path, Clock(),
                    WEB_API_URLS=f"plans={plans.base},reporting={reporting.base},cases={cases.base}")
    accounts = {"chu-tich": web.add("chu-tich", Role.COMMUNE_LEADER, commune=COMMUNE),
                "chu-tich-khac": web.add("chu-tich-khac", Role.COMMUNE_LEADER, commune=OTHER_COMMUNE),
                "vu-viec": web.add("vu-viec", Role.CASE_WORKER, commune=COMMUNE),
                "can-bo-xa": web.add("can-bo-xa", Role.COMMUNE_OFFICER, commune=COMMUNE)}

    def browser(username: str) -> Browser:
        return sign_in_with_code(web, username, accounts[username])
    yield {"browser": browser, "cases": cases, "reporting": reporting, "case_code": case_code,
           "order_id": order.json()["id"], "other_case": other.json()["case_code"]}
    if web.server is not None:
        web.server.kill()


def test_the_chairman_sees_what_awaits_without_victim_data_and_decides_an_order_with_a_reason(site):
    leader = site["browser"]("chu-tich")
    page = leader.get("/cho-quyet-dinh?nam=2026")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert '<a href="/cho-quyet-dinh" aria-current="page">Chờ quyết định</a>' in page.text
    assert site["case_code"] in page.text and "Rất cao" in page.text
    assert 'class="order overdue"' in page.text and "Quá hạn" in page.text
    assert site["order_id"] in page.text
    assert site["other_case"] not in page.text
    for value in VICTIM_DATA:
        assert value not in page.text
    assert "đang chờ Chủ tịch phê duyệt" in page.text

    form = {"csrf_token": leader.csrf("/cho-quyet-dinh"), "case_code": site["case_code"],
            "measure_id": site["order_id"], "decision": "granted", "reason": "  "}
    missing = leader.post("/cho-quyet-dinh?nam=2026", form)
    assert missing.status_code == 422
    assert re.search(r'id="loi-reason-1">Vui lòng ghi lý do truy cập vụ việc', missing.text)
    still = site["cases"].call("GET", f"/v1/communes/{COMMUNE}/awaiting-decision", LEADER).json()
    assert [o["measure_id"] for o in still["no_contact_orders"]] == [site["order_id"]]

    too_long = leader.post("/cho-quyet-dinh?nam=2026", {**form, "reason": "Theo đề nghị của công an xã",
                                                        "starts_at": "2026-12-01T08:00",
                                                        "ends_at": "2026-12-09T08:00"})
    assert too_long.status_code == 422 and 'id="loi-ends-at-1"' in too_long.text
    decided = leader.post("/cho-quyet-dinh?nam=2026", {**form, "reason": "Theo đề nghị của công an xã",
                                                       "starts_at": "2026-12-01T08:00",
                                                       "ends_at": "2026-12-03T08:00"})
    assert decided.status_code == 303
    after = leader.get(decided.headers["Location"])
    assert "Đã ghi quyết định cấm tiếp xúc." in after.text and site["order_id"] not in after.text
    audit = site["cases"].call("GET", f"/v1/audit?case_code={site['case_code']}", AUDITOR).json()["items"]
    assert "Theo đề nghị của công an xã" in [e["reason"] for e in audit
                                             if e["action"] == "case.measure.update.no_contact_order"]


def test_the_chairman_approves_the_report_and_sends_it_to_so_noi_vu(site):
    leader = site["browser"]("chu-tich")
    page = leader.get("/bao-cao-xa/phe-duyet?nam=2026")
    assert page.status_code == 200 and "Dự thảo" in page.text and "4/4" in page.text
    approve = {"csrf_token": leader.csrf("/bao-cao-xa/phe-duyet?nam=2026"), "action": "approve"}
    unconfirmed = leader.post("/bao-cao-xa/phe-duyet?nam=2026", approve)
    assert unconfirmed.status_code == 422 and 'id="loi-confirm"' in unconfirmed.text
    assert site["reporting"].call("GET", REPORT, LEADER).json()["state"] == "draft"
    approved = leader.post("/bao-cao-xa/phe-duyet?nam=2026", {**approve, "confirm": "1"})
    assert approved.status_code == 303
    page = leader.get(approved.headers["Location"])
    assert "Đã phê duyệt báo cáo của xã." in page.text and "Gửi Sở Nội vụ</button>" in page.text
    again = leader.post("/bao-cao-xa/phe-duyet?nam=2026", {**approve, "confirm": "1"})
    assert again.status_code == 409 and "Báo cáo năm 2026 của xã đã được phê duyệt." in again.text
    submit = {"csrf_token": approve["csrf_token"], "action": "submit"}
    bad = leader.post("/bao-cao-xa/phe-duyet?nam=2026", {**submit, "document_number": "12/BC"})
    assert bad.status_code == 422 and 'id="loi-document_number"' in bad.text
    assert site["reporting"].call("GET", REPORT, LEADER).json()["state"] == "approved"
    sent = leader.post("/bao-cao-xa/phe-duyet?nam=2026", {**submit, "document_number": "125"})
    assert sent.status_code == 303
    page = leader.get(sent.headers["Location"])
    assert "Đã gửi báo cáo đến Sở Nội vụ." in page.text and "Số: 125/BC-UBND" in page.text
    assert site["reporting"].call("GET", REPORT, LEADER).json()["state"] == "submitted"


def test_other_roles_get_404_and_another_communes_chairman_sees_none_of_it(site):
    for username in ("vu-viec", "can-bo-xa"):
        browser = site["browser"](username)
        for path in ("/cho-quyet-dinh", "/bao-cao-xa/phe-duyet"):
            answer = browser.get(path)
            assert answer.status_code == 404 and "Chờ quyết định" not in answer.text
    other = site["browser"]("chu-tich-khac")
    page = other.get("/cho-quyet-dinh?nam=2026")
    assert page.status_code == 200
    assert site["case_code"] not in page.text and site["order_id"] not in page.text
    assert site["other_case"] in page.text  # its own commune's urgent case
    assert "chưa có kế hoạch nào được ban hành" in page.text
    forged = other.post("/cho-quyet-dinh", {"csrf_token": other.csrf("/cho-quyet-dinh"), "case_code": site["case_code"],
                                            "measure_id": site["order_id"], "decision": "granted",
                                            "reason": "Thử"})
    assert forged.status_code == 404 and "Không tìm thấy vụ việc." in forged.text
    still = site["cases"].call("GET", f"/v1/communes/{COMMUNE}/awaiting-decision", LEADER).json()
    assert len(still["no_contact_orders"]) == 1


def test_a_decision_without_the_csrf_token_is_refused_and_changes_nothing(site):
    leader = site["browser"]("chu-tich")
    refused = leader.post("/cho-quyet-dinh", {"case_code": site["case_code"], "measure_id": site["order_id"],
                                              "decision": "refused", "reason": "Không có căn cứ"})
    assert refused.status_code == 403
    still = site["cases"].call("GET", f"/v1/communes/{COMMUNE}/awaiting-decision", LEADER).json()
    assert len(still["no_contact_orders"]) == 1

"""The commune's report end to end on PostgreSQL and RabbitMQ, through the entrypoints people use: plans
over HTTP (the plan, the units' reports), reporting over HTTP (the report, its workflow, the province's
view), the events between them (the plan's and reports' content in, the approval and the return out to
plans, which locks and unlocks the units' reports)."""
import datetime as dt
import hashlib
import io
import json
from typing import Any

import docx
import openpyxl
import pytest

from services.common.clock import FixedClock
from services.plans.service import PlansService
from services.reporting.documents import DOCX_MEDIA_TYPE, XLSX_MEDIA_TYPE
from services.reporting.service import ReportingService
from tests.support.broker import Collector, delete_queues
from tests.support.plan_documents import COMMUNE, DIRECTORY, document
from tests.support.service_http import refusal, start_service, token
from tests.support.waiting import wait_until

pytestmark = pytest.mark.integration

ISSUED = dt.datetime(2026, 6, 1, 3, 0, tzinfo=dt.UTC)
REPORTED = dt.datetime(2026, 11, 10, 3, 0, tzinfo=dt.UTC)
SUBMITTED = dt.datetime(2026, 12, 5, 3, 0, tzinfo=dt.UTC)
REPORT = f"/v1/communes/{COMMUNE}/years/2026/report"
PROVINCE_VIEW = "/v1/provinces/24/years/2026/communes"
PROVINCE_SUMMARY = "/v1/provinces/24/years/2026/summary"
UNITS = ("VHXH", "TYT", "THON-DONG", "THON-DOAI")
TASKS = {"VHXH": ["TC-1.1", "TC-1.2"], "TYT": ["TC-2.1"], "THON-DONG": ["TC-3.1"], "THON-DOAI": ["TC-3.1"]}


class Tokens:
    officer = token("commune_officer", COMMUNE, subject="can-bo-xa")
    leader = token("commune_leader", COMMUNE, subject="chu-tich-xa")
    province = token("province_officer", province="24", subject="so-noi-vu-bac-ninh")
    other_province = token("province_officer", province="01", subject="so-noi-vu-ha-noi")
    other_officer = token("commune_officer", "07531")
    other_leader = token("commune_leader", "07531")
    case_worker = token("case_worker", COMMUNE)

    @staticmethod
    def reporter(unit: str) -> str:
        return token("unit_reporter", COMMUNE, unit)


@pytest.fixture
def stack(container_factory, postgres, amqp_uri, tmp_path):
    """plans and reporting, each on its own database, sharing a clock."""
    # only this test's events: other tests leave theirs (a unit of the same commune dissolved, ...) in the queues
    delete_queues(amqp_uri, [f"reporting.{name}" for name in dir(ReportingService) if name.startswith("on_")]
                  + ["plans.on_commune_report_approved", "plans.on_commune_report_returned"])
    clock = FixedClock(ISSUED)
    _, plans = start_service(container_factory, PlansService, postgres.create("plans"), amqp_uri, tmp_path / "p",
                             clock)
    _, reporting = start_service(container_factory, ReportingService, postgres.create("reporting"), amqp_uri,
                                 tmp_path / "r", clock)
    for unit in DIRECTORY:
        assert plans.call("POST", f"/v1/communes/{COMMUNE}/units", Tokens.officer, json=unit).status_code == 201
    doc = document()
    doc["organisation"][0]["tasks"][1]["content_area"] = 1
    created = plans.call("POST", "/v1/plans", Tokens.officer, json={
        "commune_code": COMMUNE, "year": 2026, "document": doc, "indicator_targets": [
            {"indicator_code": "BDG-CS-01", "baseline": 1500, "target": 2000, "reported_by_units": ["VHXH"]}]})
    plan_id = created.json()["id"]
    assert plans.call("POST", f"/v1/plans/{plan_id}/issue", Tokens.officer).status_code == 200
    wait_until(lambda: reporting.call("GET", REPORT, Tokens.officer).status_code == 200, timeout=30)
    return plans, reporting, clock, plan_id


def report_all(plans, plan_id, clock):
    clock.set(REPORTED)
    for unit in UNITS:
        body: dict[str, Any] = {"tasks": [{"task_code": t, "status": "done", "summary": f"{unit} đã làm {t}."}
                                          for t in TASKS[unit]]}
        if unit == "VHXH":
            body["indicator_values"] = [{"indicator_code": "BDG-CS-01", "female": 1200, "male": 900}]
        answer = plans.call("POST", f"/v1/plans/{plan_id}/unit-reports", Tokens.reporter(unit), json=body)
        assert answer.status_code == 201, answer.text


def conflict(response, code: str, state: str, allowed: list[str]):
    assert refusal(response) == (409, code), response.text
    assert (response.json()["state"], response.json()["allowed_transitions"]) == (state, allowed)


def test_a_report_from_the_plan_to_acceptance_with_a_return_between(stack, amqp_uri):
    plans, reporting, clock, plan_id = stack
    out = Collector(amqp_uri, [("reporting.events", "commune_report.#")])
    draft = reporting.call("GET", REPORT, Tokens.officer).json()
    assert (draft["state"], draft["revision"], draft["header"]["issuing_body"]) == ("draft", 1, "UBND xã Sơn Hải")
    assert draft["completeness"]["missing"] == 4  # before the units report, the draft says who is missing
    assert refusal(reporting.call("POST", REPORT + "/approval", Tokens.leader)) == (409, "units_missing")

    report_all(plans, plan_id, clock)
    wait_until(lambda: reporting.call("GET", REPORT, Tokens.officer).json()["completeness"]["submitted"] == 4)
    draft = reporting.call("GET", REPORT, Tokens.officer).json()
    assert draft["results"]["content_areas"][0]["tasks"][0]["outcomes"][0]["summary"] == "VHXH đã làm TC-1.2."
    assert draft["indicators"]["rows"][0]["result"] == {"value": 2100.0, "female": 1200.0, "male": 900.0}
    assert draft["indicators"]["rows"][0]["met"] is True

    text = {"achievements": ["Các đơn vị hoàn thành nhiệm vụ."], "proposals": ["Đề nghị Sở tập huấn."]}
    assert reporting.call("PUT", REPORT + "/text", Tokens.officer, json=text).json()["officer_text"]["version"] == 1
    assert reporting.call("POST", REPORT + "/approval", Tokens.leader).status_code == 201
    conflict(reporting.call("POST", REPORT + "/approval", Tokens.leader), "already_approved", "approved", ["submit"])
    conflict(reporting.call("PUT", REPORT + "/text", Tokens.officer, json=text), "report_not_editable", "approved",
             ["submit"])
    # plans locks the units' reports
    locked = {"tasks": [{"task_code": "TC-2.1", "status": "done"}]}
    wait_until(lambda: refusal(plans.call("POST", f"/v1/plans/{plan_id}/unit-reports", Tokens.reporter("TYT"),
                                          json=locked)) == (409, "reports_locked"), timeout=30)

    clock.set(SUBMITTED)
    submitted = reporting.call("POST", REPORT + "/submission", Tokens.leader, json={"document_number": "125"})
    assert submitted.status_code == 201, submitted.text
    assert submitted.json()["header"]["number_line"] == "Số: 125/BC-UBND"
    conflict(reporting.call("POST", REPORT + "/submission", Tokens.leader, json={"document_number": "126"}),
             "transition_not_allowed", "submitted", ["accept", "return"])
    stored = reporting.call("GET", REPORT + "/revisions/1/json", Tokens.province)
    assert stored.status_code == 200 and stored.headers["Content-Type"].startswith("application/json")
    assert stored.headers["X-Content-SHA256"] == hashlib.sha256(stored.content).hexdigest()
    assert json.loads(stored.content)["header"]["number"] == "125"
    word = reporting.call("GET", REPORT + "/revisions/1/docx", Tokens.province)
    assert (word.status_code, word.headers["Content-Type"]) == (200, DOCX_MEDIA_TYPE)
    assert word.headers["Content-Disposition"] == f'attachment; filename="bao-cao-{COMMUNE}-2026-lan-1.docx"'
    assert word.headers["X-Content-SHA256"] == hashlib.sha256(word.content).hexdigest()
    assert docx.Document(io.BytesIO(word.content)).tables[0].cell(1, 0).text == "Số: 125/BC-UBND"
    annex = reporting.call("GET", REPORT + "/revisions/1/xlsx", Tokens.officer)
    assert (annex.status_code, annex.headers["Content-Type"]) == (200, XLSX_MEDIA_TYPE)
    assert "Số: 125/BC-UBND" in openpyxl.load_workbook(io.BytesIO(annex.content))["Tổng hợp"]["A2"].value

    back = reporting.call("POST", REPORT + "/return", Tokens.province,
                          json={"category": "incomplete", "reason": "Bổ sung số liệu của Trạm y tế."})
    assert (back.status_code, back.json()["state"], back.json()["revision"]) == (201, "returned", 2)
    conflict(reporting.call("POST", REPORT + "/acceptance", Tokens.province), "transition_not_allowed", "returned",
             ["approve"])
    # plans unlocks: the health station corrects its report
    wait_until(lambda: plans.call("POST", f"/v1/plans/{plan_id}/unit-reports", Tokens.reporter("TYT"),
                                  json=locked).status_code == 201, timeout=30)
    wait_until(lambda: {u["unit_code"]: u["revision"] for u in reporting.call(
        "GET", REPORT, Tokens.officer).json()["completeness"]["units"]}["TYT"] == 2)
    assert reporting.call("POST", REPORT + "/approval", Tokens.leader).status_code == 201
    second = reporting.call("POST", REPORT + "/submission", Tokens.officer, json={"document_number": "131"})
    assert (second.status_code, second.json()["revision"]) == (201, 2)
    accepted = reporting.call("POST", REPORT + "/acceptance", Tokens.province)
    assert (accepted.status_code, accepted.json()["state"]) == (201, "accepted")
    conflict(reporting.call("POST", REPORT + "/return", Tokens.province, json={"category": "other", "reason": "x"}),
             "transition_not_allowed", "accepted", [])

    history = reporting.call("GET", REPORT + "/transitions", Tokens.province).json()["items"]
    assert [(t["revision"], t["to_state"], t["actor"]) for t in history] == [
        (1, "approved", "chu-tich-xa"), (1, "submitted", "chu-tich-xa"), (1, "returned", "so-noi-vu-bac-ninh"),
        (2, "approved", "chu-tich-xa"), (2, "submitted", "can-bo-xa"), (2, "accepted", "so-noi-vu-bac-ninh")]
    assert history[2]["reason"] == "Bổ sung số liệu của Trạm y tế." and history[2]["reason_category"] == "incomplete"
    first = reporting.call("GET", REPORT + "/revisions/1/json", Tokens.officer)
    assert first.content == stored.content  # never produced again
    assert reporting.call("GET", REPORT + "/revisions/1/docx", Tokens.officer).content == word.content

    view = reporting.call("GET", PROVINCE_VIEW, Tokens.province).json()
    assert len(view["communes"]) == 99
    son_hai = next(c for c in view["communes"] if c["commune_code"] == COMMUNE)
    assert (son_hai["report_state"], son_hai["report_revision"], son_hai["expected"], son_hai["on_time"]) == (
        "accepted", 2, 4, 4)
    assert son_hai["report_url"] == REPORT
    assert view["totals"]["reports_accepted"] == 1 and view["totals"]["plans_issued"] == 1
    assert view["totals"]["indicators"][0]["value"] == 2100.0
    summary = reporting.call("GET", PROVINCE_SUMMARY + "/json", Tokens.province)
    assert (summary.status_code, summary.headers["Content-Type"]) == (200, "application/json")
    son_hai_summary = next(c for c in summary.json()["communes"] if c["commune_code"] == COMMUNE)
    assert (son_hai_summary["report_status"], son_hai_summary["report_number_line"]) == ("accepted",
                                                                                          "Số: 131/BC-UBND")
    workbook = reporting.call("GET", PROVINCE_SUMMARY + "/xlsx", Tokens.province)
    assert (workbook.status_code, workbook.headers["Content-Type"]) == (200, XLSX_MEDIA_TYPE)
    assert workbook.headers["Content-Disposition"] == 'attachment; filename="tong-hop-24-2026.xlsx"'
    rows = {r[1]: r for r in openpyxl.load_workbook(io.BytesIO(workbook.content))["Các xã"].iter_rows(
        values_only=True)}
    assert rows[COMMUNE][13] == "Đã tiếp nhận" and rows[COMMUNE][14] == 2
    word = reporting.call("GET", PROVINCE_SUMMARY + "/docx", Tokens.province)
    assert (word.status_code, word.headers["Content-Type"]) == (200, DOCX_MEDIA_TYPE)
    assert "SỞ NỘI VỤ" in docx.Document(io.BytesIO(word.content)).tables[0].cell(0, 0).text

    out.collect(lambda got: len(got) >= 6, timeout=20)
    types = [m["type"] for m in out.bodies()]
    assert types == ["commune_report.approved.v1", "commune_report.submitted.v1", "commune_report.returned.v1",
                     "commune_report.approved.v1", "commune_report.submitted.v1", "commune_report.accepted.v1"]
    submitted_event = out.bodies()[1]["data"]
    assert submitted_event["content_hash"] == hashlib.sha256(stored.content).hexdigest()
    assert (submitted_event["document_number"], submitted_event["late"]) == ("125", False)
    out.close()



def test_if_match_keeps_a_writer_from_overwriting_a_version_saved_meanwhile(stack):
    _, reporting, _, _ = stack
    first = reporting.call("PUT", REPORT + "/text", Tokens.officer, json={"achievements": ["Bản một."]},
                           headers={"If-Match": '"0"'})
    assert (first.status_code, first.json()["officer_text"]["version"]) == (200, 1)
    stale = reporting.call("PUT", REPORT + "/text", Tokens.officer, json={"achievements": ["Bản cũ."]},
                           headers={"If-Match": '"0"'})
    assert refusal(stale) == (409, "text_version_conflict") and stale.json()["text_version"] == 1
    assert refusal(reporting.call("PUT", REPORT + "/text", Tokens.officer, json={"achievements": ["x"]},
                                  headers={"If-Match": "abc"})) == (400, "invalid_if_match")
    assert reporting.call("GET", REPORT, Tokens.officer).json()["assessment"]["achievements"] == ["Bản một."]
    second = reporting.call("PUT", REPORT + "/text", Tokens.officer, json={"achievements": ["Bản hai."]},
                            headers={"If-Match": 'W/"1"'})
    assert (second.status_code, second.json()["officer_text"]["version"]) == (200, 2)
    # without the header a write is unconditional, as before
    assert reporting.call("PUT", REPORT + "/text", Tokens.officer, json={"causes": ["Do."]}).status_code == 200

# who may do what ------------------------------------------------------------------------------
def test_every_report_endpoint_answers_each_role_as_its_rules_say(stack):
    """404 for another commune or province (exactly like a report that does not exist), 403 for a role the
    endpoint does not take."""
    plans, reporting, clock, plan_id = stack
    report_all(plans, plan_id, clock)
    wait_until(lambda: reporting.call("GET", REPORT, Tokens.officer).json()["completeness"]["submitted"] == 4)
    text = {"achievements": ["Ổn."]}
    # (method, path, body) -> {role: expected (status, code)}
    reads = {Tokens.officer: 200, Tokens.leader: 200, Tokens.province: (404, "report_not_found"),
             Tokens.other_province: (404, "report_not_found"), Tokens.other_officer: (404, "report_not_found"),
             Tokens.case_worker: (403, "wrong_role"), Tokens.reporter("VHXH"): (403, "wrong_role")}
    cases: list[tuple[str, str, dict | None, dict]] = [
        ("GET", REPORT, None, reads),
        ("GET", REPORT + "/transitions", None, {**reads, Tokens.province: 200}),
        ("GET", REPORT + "/text/versions", None, {Tokens.officer: 200, Tokens.leader: 200,
                                                   Tokens.province: (403, "wrong_role"),
                                                   Tokens.other_officer: (404, "report_not_found")}),
        ("PUT", REPORT + "/text", text, {Tokens.leader: (403, "wrong_role"), Tokens.province: (403, "wrong_role"),
                                         Tokens.other_officer: (404, "report_not_found"), Tokens.officer: 200}),
        ("POST", REPORT + "/acceptance", None, {Tokens.officer: (403, "wrong_role"),
                                                Tokens.leader: (403, "wrong_role"),
                                                Tokens.other_province: (404, "report_not_found"),
                                                Tokens.province: (409, "transition_not_allowed")}),
        ("POST", REPORT + "/return", {"category": "other", "reason": "x"}, {
            Tokens.leader: (403, "wrong_role"), Tokens.other_province: (404, "report_not_found"),
            Tokens.province: (409, "transition_not_allowed")}),
        ("POST", REPORT + "/approval", None, {Tokens.officer: (403, "wrong_role"),
                                              Tokens.province: (403, "wrong_role"),
                                              Tokens.other_leader: (404, "report_not_found"), Tokens.leader: 201}),
        ("POST", REPORT + "/submission", {"document_number": "7"}, {
            Tokens.province: (403, "wrong_role"), Tokens.case_worker: (403, "wrong_role"),
            Tokens.other_leader: (404, "report_not_found"), Tokens.leader: 201}),
        ("GET", REPORT, None, {**reads, Tokens.province: 200}),  # submitted: Sở Nội vụ reads it
        ("GET", REPORT + "/revisions/1/json", None, {**reads, Tokens.province: 200}),
        ("GET", REPORT + "/revisions/2/json", None, {Tokens.officer: (404, "document_not_found")}),
        ("GET", REPORT + "/revisions/1/docx", None, {**reads, Tokens.province: 200}),
        ("GET", REPORT + "/revisions/1/xlsx", None, {**reads, Tokens.province: 200}),
        ("GET", REPORT + "/revisions/1/pdf", None, {Tokens.officer: (404, "document_not_found")}),
        ("GET", PROVINCE_VIEW, None, {Tokens.province: 200, Tokens.other_province: (404, "province_not_found"),
                                      Tokens.officer: (403, "wrong_role"), Tokens.leader: (403, "wrong_role")}),
        ("GET", "/v1/provinces/99/years/2026/communes", None, {Tokens.province: (404, "province_not_found")}),
        *(("GET", f"{PROVINCE_SUMMARY}/{name}", None, {
            Tokens.province: 200, Tokens.other_province: (404, "province_not_found"),
            Tokens.officer: (403, "wrong_role"), Tokens.leader: (403, "wrong_role"),
            Tokens.case_worker: (403, "wrong_role"), Tokens.reporter("VHXH"): (403, "wrong_role")})
          for name in ("json", "xlsx", "docx")),
        ("GET", PROVINCE_SUMMARY + "/pdf", None, {Tokens.province: (404, "format_not_found"),
                                                  Tokens.other_province: (404, "province_not_found")}),
        ("GET", "/v1/provinces/99/years/2026/summary/json", None, {Tokens.province: (404, "province_not_found")}),
        ("GET", f"/v1/communes/{COMMUNE}/years/2026/status", None, {
            Tokens.province: 200, Tokens.other_province: (404, "report_not_found"),
            Tokens.other_officer: (404, "report_not_found")}),
        ("GET", "/v1/communes/27154/years/2026/report", None, {Tokens.officer: (404, "commune_not_found")}),
    ]
    for method, path, body, expected in cases:
        for caller, answer in expected.items():
            response = reporting.call(method, path, caller, json=body)
            if isinstance(answer, int):
                assert response.status_code == answer, (method, path, response.text)
            else:
                assert refusal(response) == answer, (method, path, response.text)
    assert refusal(reporting.call("GET", REPORT)) == (401, "missing_token")

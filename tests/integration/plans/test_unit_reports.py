"""Units' result reports: submission, lateness, revisions, returns, locks, attachments, bad input."""
import datetime as dt
import json
import uuid

import pytest

from services.common.events.contracts import CommuneReportApproved
from services.common.events.envelope import build_event
from services.common.subscriber import H_REASON
from tests.integration.test_hostile_messages import dead_letter
from tests.support.broker import Collector, publish_raw
from tests.support.docx_packages import archive
from tests.support.plan_documents import COMMUNE, INDICATOR_TARGETS, document
from tests.support.plan_events import publish, wire
from tests.support.probe import publish_to
from tests.support.service_http import refusal
from tests.support.waiting import wait_until

pytestmark = pytest.mark.integration

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def plan(directory, tokens):
    created = directory.call("POST", "/v1/plans", tokens.officer, json={
        "commune_code": COMMUNE, "year": 2026, "document": document(), "indicator_targets": INDICATOR_TARGETS})
    plan_id = created.json()["id"]
    assert directory.call("POST", f"/v1/plans/{plan_id}/issue", tokens.officer).status_code == 200
    return plan_id


@pytest.fixture
def events(amqp_uri):
    collector = Collector(amqp_uri, [("plans.events", "unit_report.#")])
    yield collector
    collector.close()


def report_body(**extra):
    body = {"tasks": [{"task_code": "TC-1.1", "status": "done", "summary": "Đã tham mưu ban hành kế hoạch."},
                      {"task_code": "TC-1.2", "status": "in_progress", "summary": "Đã tổ chức 3 buổi."}],
            "indicator_values": [{"indicator_code": "BDG-CS-01", "female": 820, "male": 640},
                                 {"indicator_code": "BDG-CS-03", "value": 4}]}
    body.update(extra)
    return body


def submit(api, tokens, plan_id, unit="VHXH", body=None, **kwargs):
    return api.call("POST", f"/v1/plans/{plan_id}/unit-reports", tokens.reporter(unit),
                    json=body or report_body(), **kwargs)


def test_submit_revise_return_and_lock(directory, tokens, plan, clock, events, amqp_uri):
    first = submit(directory, tokens, plan)
    assert first.status_code == 201, first.text
    assert first.json()["revision"] == 1 and first.json()["late"] is False and first.json()["status"] == "current"

    clock.set(dt.datetime(2026, 11, 20, 1, 0, tzinfo=dt.UTC))  # 08:00 on 20/11 in Vietnam: late
    second = submit(directory, tokens, plan)
    assert second.status_code == 201 and second.json()["revision"] == 2 and second.json()["late"] is True
    revisions = directory.call("GET", f"/v1/plans/{plan}/unit-reports", tokens.officer).json()["items"]
    assert [(r["revision"], r["status"]) for r in revisions] == [(1, "superseded"), (2, "current")]

    returned = directory.call("POST", f"/v1/unit-reports/{second.json()['id']}/return", tokens.officer,
                              json={"reason": "Thiếu số liệu theo giới của thôn Đông."})
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    assert returned.json()["return_reason"].startswith("Thiếu")
    again = directory.call("POST", f"/v1/unit-reports/{second.json()['id']}/return", tokens.officer,
                           json={"reason": "x"})
    assert refusal(again) == (409, "report_not_current")

    types = ["unit_report.submitted.v1", "unit_report.revised.v1", "unit_report.returned.v1"]
    events.collect(lambda got: {json.loads(m.body)["type"] for m in got} >= set(types))
    by_type = {json.loads(m.body)["type"]: json.loads(m.body)["data"] for m in events.messages}
    assert by_type["unit_report.revised.v1"]["previous_report_id"] == first.json()["id"]
    assert by_type["unit_report.revised.v1"]["late"] is True
    # the reason travels (issue 9): written by commune staff about the report, for the commune's report
    assert by_type["unit_report.returned.v1"]["reason"] == returned.json()["return_reason"]

    approval = build_event(service="reporting", event_type="commune_report.approved.v1", subject=None,
                           commune_code=COMMUNE, data=CommuneReportApproved(
                               commune_code=COMMUNE, year=2026, units_expected=4, units_reported=4,
                               approved_at=dt.datetime(2026, 12, 1, 2, 30, tzinfo=dt.UTC)))
    publish_raw(amqp_uri, "reporting.events", "commune_report.approved.v1", approval.to_json_bytes())
    attempts = []

    def refused_once_locked():  # until the approval is consumed, a submission makes another revision
        attempts.append(submit(directory, tokens, plan))
        return attempts[-1].status_code == 409

    wait_until(refused_once_locked)
    locked = attempts[-1]
    assert refusal(locked) == (409, "reports_locked")
    assert "01/12/2026" in locked.json()["error"]["message"] and "khoá" in locked.json()["error"]["message"]
    latest = directory.call("GET", f"/v1/plans/{plan}/unit-reports", tokens.officer).json()["items"][-1]
    assert latest["locked"] is True
    refused = directory.call("POST", f"/v1/unit-reports/{latest['id']}/return", tokens.officer,
                             json={"reason": "Sửa lại"})
    assert refusal(refused) == (409, "reports_locked")


def test_an_approval_locks_the_approved_plans_reports_not_those_of_the_next_plan(directory, tokens, plan, amqp_uri):
    """Found in review: the lock covered the commune's year, so a plan issued after the approved one was closed
    could take no report at all."""
    assert submit(directory, tokens, plan).status_code == 201
    publish(amqp_uri, CommuneReportApproved(plan_id=uuid.UUID(plan), commune_code=COMMUNE, year=2026,
                                            units_expected=1, units_reported=1,
                                            approved_at=dt.datetime(2026, 12, 1, 2, 30, tzinfo=dt.UTC)))
    wait_until(lambda: refusal(submit(directory, tokens, plan)) == (409, "reports_locked"))
    assert directory.call("POST", f"/v1/plans/{plan}/close", tokens.officer).status_code == 200
    created = directory.call("POST", "/v1/plans", tokens.officer, json={
        "commune_code": COMMUNE, "year": 2026, "document": document(" (thay thế)"),
        "indicator_targets": INDICATOR_TARGETS})
    next_plan = created.json()["id"]
    assert directory.call("POST", f"/v1/plans/{next_plan}/issue", tokens.officer).status_code == 200

    accepted = submit(directory, tokens, next_plan)
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["locked"] is False
    old_report = directory.call("GET", f"/v1/plans/{plan}/unit-reports", tokens.officer).json()["items"][-1]
    assert old_report["locked"] is True


def test_a_forged_approval_straight_into_plans_queue_locks_nothing(directory, tokens, plan, amqp_uri):
    """The attack (issue 8): a well-formed approval with reporting's source, sent with the broker login through
    the default exchange into plans' queue. Plans applied it and the unit reports were locked; now it is
    dead-lettered as untrusted (it did not come through reporting.events)."""
    assert submit(directory, tokens, plan).status_code == 201
    event_id, body = wire(CommuneReportApproved(
        plan_id=uuid.UUID(plan), commune_code=COMMUNE, year=2026, units_expected=1, units_reported=1,
        approved_at=dt.datetime(2026, 12, 1, 2, 30, tzinfo=dt.UTC)))
    publish_to(amqp_uri, "", "plans.on_commune_report_approved", body, message_id=str(event_id))
    wait_until(lambda: dead_letter(amqp_uri, "plans.on_commune_report_approved", str(event_id)) is not None,
               timeout=30)
    listed = dead_letter(amqp_uri, "plans.on_commune_report_approved", str(event_id))
    assert listed is not None and listed.headers[H_REASON] == "untrusted"
    resubmitted = submit(directory, tokens, plan)
    assert resubmitted.status_code == 201, refusal(resubmitted)
    assert resubmitted.json()["locked"] is False


def test_a_retried_submission_with_the_same_key_is_not_duplicated(directory, tokens, plan):
    first = submit(directory, tokens, plan, headers={"Idempotency-Key": "vhxh-2026-a"})
    again = submit(directory, tokens, plan, headers={"Idempotency-Key": "vhxh-2026-a"})
    assert (first.status_code, again.status_code) == (201, 200) and again.json()["id"] == first.json()["id"]
    assert len(directory.call("GET", f"/v1/plans/{plan}/unit-reports", tokens.officer).json()["items"]) == 1
    too_long = submit(directory, tokens, plan, headers={"Idempotency-Key": "k" * 300})
    assert refusal(too_long) == (400, "invalid_idempotency_key")


@pytest.mark.parametrize("body,field", [
    ({"tasks": [{"task_code": "TC-2.1", "status": "done"}]}, "tasks.0.task_code"),          # another unit's task
    ({"tasks": [{"task_code": "TC-9.9", "status": "done"}]}, "tasks.0.task_code"),          # no such task
    ({"tasks": [{"task_code": "TC-1.1", "status": "finished"}]}, "tasks.0.status"),
    ({"tasks": []}, "tasks"),
    (report_body(indicator_values=[{"indicator_code": "BDG-CS-01", "value": 10}]), "indicator_values.0.value"),
    (report_body(indicator_values=[{"indicator_code": "BDG-CS-01", "female": "nhiều", "male": 1}]),
     "indicator_values.0.female"),
    (report_body(indicator_values=[{"indicator_code": "BDG-CS-03", "value": 2.5}]), "indicator_values.0.value"),
    (report_body(indicator_values=[{"indicator_code": "NQ28-CT-01", "value": 50}]),
     "indicator_values.0.indicator_code"),
])
def test_invalid_reports_name_the_field_and_change_nothing(directory, tokens, plan, body, field):
    response = submit(directory, tokens, plan, body=body)
    assert refusal(response) == (422, "validation_error"), response.text
    assert field in {f["field"] for f in response.json()["error"]["fields"]}
    assert directory.call("GET", f"/v1/plans/{plan}/unit-reports", tokens.officer).json()["items"] == []


def test_who_may_report_where(directory, tokens, plan):
    assert submit(directory, tokens, plan, unit="KT").json()["error"]["code"] == "unit_not_in_plan"
    other = directory.call("POST", f"/v1/plans/{plan}/unit-reports", tokens.reporter("VHXH", "07531"),
                           json=report_body())
    assert refusal(other) == (404, "plan_not_found")
    assert refusal(directory.call("POST", f"/v1/plans/{plan}/unit-reports", tokens.officer,
                                  json=report_body())) == (403, "wrong_role")
    village = submit(directory, tokens, plan, unit="THON-DOAI",
                     body={"tasks": [{"task_code": "TC-3.1", "status": "done", "summary": "Không có vụ việc."}]})
    assert village.status_code == 201
    own = directory.call("GET", f"/v1/plans/{plan}/unit-reports", tokens.reporter("TYT")).json()["items"]
    assert own == []  # a reporter sees only its own unit's reports


def test_reports_need_an_issued_plan(directory, tokens):
    draft = directory.call("POST", "/v1/plans", tokens.officer, json={
        "commune_code": COMMUNE, "year": 2026, "document": document()}).json()
    refused = submit(directory, tokens, draft["id"])
    assert refusal(refused) == (409, "plan_not_issued")
    assert refusal(submit(directory, tokens, str(uuid.uuid4()))) == (404, "plan_not_found")


def test_attachments_are_checked_stored_and_served(directory, tokens, plan):
    report = submit(directory, tokens, plan).json()
    url = f"/v1/unit-reports/{report['id']}/attachments"
    stored = directory.call("POST", url, tokens.reporter("VHXH"),
                            files={"file": ("bien-ban-hop.pdf", PDF, "application/pdf")})
    assert stored.status_code == 201, stored.text
    assert stored.json()["size"] == len(PDF) and stored.json()["content_type"] == "application/pdf"
    download = directory.call("GET", f"{url}/{stored.json()['id']}", tokens.officer)
    assert download.status_code == 200 and download.content == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"] == (
        "attachment; filename=\"bien-ban-hop.pdf\"; filename*=UTF-8''bien-ban-hop.pdf")

    executable = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
    refusals = [
        ({"file": ("virus.exe", b"MZ\x90\x00", "application/x-msdownload")}, (415, "attachment_type")),
        # what got through when only the first bytes were read
        ({"file": ("invoice.exe", b"%PDF-" + executable, "application/pdf")}, (415, "attachment_type")),
        ({"file": ("invoice.pdf", b"%PDF-" + executable, "application/pdf")}, (415, "attachment_mismatch")),
        ({"file": ("ghi-chu.txt", b"<html><script>alert(1)</script></html>", "text/plain")},
         (415, "attachment_dangerous")),
        ({"file": ("bao-cao.docx", archive({"a.txt": "not Word"}), DOCX)}, (415, "attachment_mismatch")),
        ({"file": ("gia-mao.pdf", b"<html>not a pdf</html>", "application/pdf")}, (415, "attachment_mismatch")),
        ({"file": ("rong.pdf", b"", "application/pdf")}, (400, "attachment_empty")),
        ({"file": ("lon.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "application/pdf")},
         (413, "payload_too_large")),
    ]
    for files, expected in refusals:
        response = directory.call("POST", url, tokens.reporter("VHXH"), files=files)
        assert refusal(response) == expected, (files["file"][0], response.text)
        assert response.json()["error"]["message"]
    no_file = directory.call("POST", url, tokens.reporter("VHXH"), data={"x": "1"})
    assert refusal(no_file) == (415, "unsupported_media_type")  # a form without a file is not multipart
    no_file_part = directory.call("POST", url, tokens.reporter("VHXH"), files={"x": ("x", b"1")})
    assert refusal(no_file_part) == (400, "file_missing")
    as_json = directory.call("POST", url, tokens.reporter("VHXH"), json={"file": "x"})
    assert refusal(as_json) == (415, "unsupported_media_type")
    assert refusal(directory.call("POST", url, tokens.reporter("TYT"), files={
        "file": ("a.pdf", PDF, "application/pdf")})) == (404, "report_not_found")
    listed = directory.call("GET", f"/v1/unit-reports/{report['id']}", tokens.officer).json()
    assert [a["filename"] for a in listed["attachments"]] == ["bien-ban-hop.pdf"]

"""Draft, issue, amend (versions and their difference), close; and the events each step publishes."""
import json

import pytest

from tests.support.broker import Collector
from tests.support.plan_documents import COMMUNE, INDICATOR_TARGETS, document
from tests.support.service_http import refusal

pytestmark = pytest.mark.integration


@pytest.fixture
def events(amqp_uri):
    collector = Collector(amqp_uri, [("plans.events", "plan.#")])
    yield collector
    collector.close()


def create_draft(api, tokens, **changes):
    body = {"commune_code": COMMUNE, "year": 2026, "document": document(), "indicator_targets": INDICATOR_TARGETS}
    body.update(changes)
    response = api.call("POST", "/v1/plans", tokens.officer, json=body)
    assert response.status_code == 201, response.text
    return response.json()


def ours(collector, plan_id, event_type, count=1):
    collector.collect(lambda got: sum(json.loads(m.body)["type"] == event_type
                                      and json.loads(m.body)["subject"] == plan_id for m in got) >= count)
    return [json.loads(m.body) for m in collector.messages
            if json.loads(m.body)["type"] == event_type and json.loads(m.body)["subject"] == plan_id]


def test_draft_issue_amend_close(directory, tokens, events):
    plan = create_draft(directory, tokens)
    assert plan["status"] == "draft" and plan["version"] == 1
    assert plan["report_deadline"] == "2026-11-20"  # from the reporting obligation: 20/11 of the plan year
    assert plan["assigned_tasks"] == {"VHXH": ["TC-1.1", "TC-1.2"], "TYT": ["TC-2.1"],
                                      "THON-DONG": ["TC-3.1"], "THON-DOAI": ["TC-3.1"]}
    assert plan["document"]["parent_plan"]["number"] == "169"

    edited = directory.call("PUT", f"/v1/plans/{plan['id']}/draft", tokens.officer, json={
        "document": document(" (dự thảo 2)"), "indicator_targets": INDICATOR_TARGETS})
    assert edited.status_code == 200 and edited.json()["document"]["title"].endswith("(dự thảo 2)")

    issued = directory.call("POST", f"/v1/plans/{plan['id']}/issue", tokens.leader)
    assert issued.status_code == 200 and issued.json()["status"] == "issued"
    [event] = ours(events, plan["id"], "plan.issued.v1")
    units = {u["unit_code"]: u for u in event["data"]["units"]}
    assert units["VHXH"] == {"unit_code": "VHXH", "name": "Phòng Văn hoá - Xã hội", "role": "lead",
                             "task_ids": ["TC-1.1", "TC-1.2"]}
    assert units["THON-DOAI"]["task_ids"] == ["TC-3.1"] and event["data"]["report_deadline"] == "2026-11-20"

    assert refusal(directory.call("PUT", f"/v1/plans/{plan['id']}/draft", tokens.officer, json={
        "document": document()})) == (409, "plan_not_draft")
    assert refusal(directory.call("POST", f"/v1/plans/{plan['id']}/issue", tokens.officer)) == (409, "plan_not_draft")

    amended_document = document(" (dự thảo 2)", due_day=15, due_month=12)
    amended_document["organisation"][1]["tasks"].append({"code": "TC-2.2", "text": "Khám sức khỏe cho phụ nữ."})
    amended = directory.call("POST", f"/v1/plans/{plan['id']}/amendments", tokens.officer, json={
        "document": amended_document, "indicator_targets": INDICATOR_TARGETS,
        "reason": "Bổ sung nhiệm vụ cho Trạm y tế; lùi hạn báo cáo."})
    assert amended.status_code == 201, amended.text
    assert amended.json()["version"] == 2 and amended.json()["report_deadline"] == "2026-12-15"
    [amend_event] = ours(events, plan["id"], "plan.amended.v1")
    assert amend_event["data"]["previous_version"] == 1
    assert set(amend_event["data"]["changed_parts"]) == {"document.organisation", "document.reporting",
                                                         "report_deadline"}

    versions = directory.call("GET", f"/v1/plans/{plan['id']}/versions", tokens.officer).json()["items"]
    assert [v["version"] for v in versions] == [1, 2]
    assert versions[1]["amendment_reason"].startswith("Bổ sung")
    first = directory.call("GET", f"/v1/plans/{plan['id']}/versions/1", tokens.officer).json()
    assert first["report_deadline"] == "2026-11-20"  # both versions are kept
    diff = directory.call("GET", f"/v1/plans/{plan['id']}/versions/2/diff", tokens.officer).json()
    paths = {c["path"]: c for c in diff["changes"]}
    assert paths["document.organisation.1.tasks.1"]["kind"] == "added"
    assert paths["report_deadline"] == {"path": "report_deadline", "kind": "changed", "before": "2026-11-20",
                                        "after": "2026-12-15"}

    same = directory.call("POST", f"/v1/plans/{plan['id']}/amendments", tokens.officer, json={
        "document": amended_document, "indicator_targets": INDICATOR_TARGETS, "reason": "Không đổi gì"})
    assert refusal(same) == (422, "validation_error") and same.json()["error"]["fields"][0]["field"] == "document"

    closed = directory.call("POST", f"/v1/plans/{plan['id']}/close", tokens.officer)
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    ours(events, plan["id"], "plan.closed.v1")


def test_issue_needs_every_unit_resolved_and_active(directory, tokens):
    doc = document()
    doc["organisation"][2]["unit_codes"] = ["THON-DONG", "THON-CU"]  # Thôn Cũ was dissolved in 2025
    doc["organisation"][1]["unit_codes"] = []
    plan = create_draft(directory, tokens, document=doc)
    refused = directory.call("POST", f"/v1/plans/{plan['id']}/issue", tokens.officer)
    assert refusal(refused) == (422, "validation_error")
    fields = {f["field"]: f["problem"] for f in refused.json()["error"]["fields"]}
    assert set(fields) == {"document.organisation.1.unit_codes", "document.organisation.2.unit_codes.1"}
    assert "2026" in fields["document.organisation.2.unit_codes.1"]
    assert directory.call("GET", f"/v1/plans/{plan['id']}", tokens.officer).json()["status"] == "draft"


def test_one_issued_plan_per_commune_and_year(directory, tokens):
    first, second = create_draft(directory, tokens), create_draft(directory, tokens)
    assert directory.call("POST", f"/v1/plans/{first['id']}/issue", tokens.officer).status_code == 200
    refused = directory.call("POST", f"/v1/plans/{second['id']}/issue", tokens.officer)
    assert refusal(refused) == (409, "plan_already_issued")


def test_bad_plans_are_refused_with_the_field_named(directory, tokens):
    doc = document()
    doc["organisation"][0]["tasks"][1]["code"] = "TC-1.1"
    duplicate = directory.call("POST", "/v1/plans", tokens.officer,
                               json={"commune_code": COMMUNE, "year": 2026, "document": doc})
    assert refusal(duplicate) == (422, "validation_error")
    assert duplicate.json()["error"]["fields"][0]["field"] == "document.organisation.0.tasks.1.code"
    targets = directory.call("POST", "/v1/plans", tokens.officer, json={
        "commune_code": COMMUNE, "year": 2026, "document": document(),
        "indicator_targets": [{"indicator_code": "NOPE"}, {"indicator_code": "BDG-CS-01",
                                                           "reported_by_units": ["KT"]}]})
    assert refusal(targets) == (422, "validation_error")
    assert {f["field"] for f in targets.json()["error"]["fields"]} == {
        "indicator_targets.0.indicator_code", "indicator_targets.1.reported_by_units.0"}
    wrong_type = directory.call("POST", "/v1/plans", tokens.officer, json={
        "commune_code": COMMUNE, "year": "năm nay", "document": {"title": ""}})
    assert refusal(wrong_type) == (422, "validation_error")
    assert {"year", "document.title", "document.issuing_body"} <= {
        f["field"] for f in wrong_type.json()["error"]["fields"]}
    assert directory.call("GET", "/v1/plans", tokens.officer).json()["items"] == []


def test_plans_are_private_to_their_commune(directory, tokens):
    plan = create_draft(directory, tokens)
    assert refusal(directory.call("GET", f"/v1/plans/{plan['id']}", tokens.other_officer)) == (404, "plan_not_found")
    assert refusal(directory.call("POST", f"/v1/plans/{plan['id']}/issue", tokens.other_officer)) == (
        404, "plan_not_found")
    assert refusal(directory.call("GET", f"/v1/plans?commune_code={COMMUNE}", tokens.other_officer)) == (
        403, "wrong_commune")
    assert directory.call("GET", "/v1/plans", tokens.other_officer).json()["items"] == []
    assert directory.call("GET", f"/v1/plans/{plan['id']}", tokens.province).status_code == 200
    assert refusal(directory.call("POST", "/v1/plans", tokens.other_officer, json={
        "commune_code": COMMUNE, "year": 2026, "document": document()})) == (403, "wrong_commune")
    assert refusal(directory.call("POST", f"/v1/plans/{plan['id']}/issue", tokens.case_worker)) == (403, "wrong_role")


def test_units_dissolved_before_the_deadline_are_not_expected_to_report(directory, tokens, amqp_uri):
    units_events = Collector(amqp_uri, [("plans.events", "unit.dissolved.v1"), ("plans.events", "plan.issued.v1")])
    dissolved = directory.call("PATCH", f"/v1/communes/{COMMUNE}/units/TYT", tokens.officer,
                               json={"active_to": "2026-09-30"})
    assert dissolved.status_code == 200
    plan = create_draft(directory, tokens)
    issued = directory.call("POST", f"/v1/plans/{plan['id']}/issue", tokens.officer)
    assert issued.status_code == 200  # TYT existed during the year ...
    units_events.collect(lambda got: len(got) >= 2)
    units_events.close()
    events = {body["type"]: body["data"] for body in units_events.bodies()}
    assert events["unit.dissolved.v1"] == {"commune_code": COMMUNE, "unit_code": "TYT", "active_to": "2026-09-30"}
    expected = {unit["unit_code"] for unit in events["plan.issued.v1"]["units"]}
    assert "TYT" not in expected and "VHXH" in expected  # ... but not when reports are due (20/11)

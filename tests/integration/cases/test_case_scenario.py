"""A full case through HTTP and events on PostgreSQL: report, verify, measures, escalate, accepted,
follow-up, close, retention; the legal timers with a controlled clock; and no victim data in any message."""
import json
from urllib.parse import quote

import pytest
from nameko.testing.services import entrypoint_hook

from tests.support.broker import Collector, raw_bytes
from tests.support.case_reports import COMMUNE, NARRATIVE, PLACE, REPORTER, VICTIM, answers, report_body
from tests.support.service_http import refusal

pytestmark = pytest.mark.integration


@pytest.fixture
def every_message(amqp_uri):
    """Every message on every exchange of the platform, as raw bytes."""
    collector = Collector(amqp_uri, [(f"{service}.events", "#")
                                     for service in ("plans", "cases", "notifications", "reporting")])
    yield collector
    collector.close()


def events_of(collector, event_type):
    return [json.loads(m.body) for m in collector.messages if json.loads(m.body)["type"] == event_type]


def wait_for(collector, event_type, count=1):
    collector.collect(lambda got: sum(json.loads(m.body)["type"] == event_type for m in got) >= count)
    return events_of(collector, event_type)


def test_a_case_from_report_to_erasure(cases_service, tokens, clock, every_message):
    container, cases = cases_service
    reported = cases.call("POST", "/v1/cases", tokens.worker, json=report_body())
    assert reported.status_code == 201, reported.text
    case = reported.json()
    code = case["case_code"]
    assert case["risk_level"] == "critical" and case["status"] == "reported"
    assert case["victim"]["full_name"] == VICTIM["full_name"] and case["victim_age_band"] == "25-59"
    [event] = wait_for(every_message, "case.reported.v1")
    assert event["data"]["urgent"] is True and event["subject"] == code
    assert case["verification_due_at"] == "2026-11-02T03:00:00Z"  # critical: 2 hours

    leader_view = cases.call("GET", f"/v1/cases/{code}", tokens.leader).json()
    assert "victim" not in leader_view and "village" not in leader_view

    for status in ("verifying", "verified", "supporting"):
        moved = cases.call("POST", f"/v1/cases/{code}/transitions", tokens.worker,
                           json={"to_status": status, "reason": "Đã xác minh tại nhà"})
        assert moved.status_code == 200, moved.text
    assert wait_for(every_message, "case.verified.v1")[0]["data"]["status"] == "verified"
    illegal = cases.call("POST", f"/v1/cases/{code}/transitions", tokens.worker,
                         json={"to_status": "reported", "reason": "x"})
    assert refusal(illegal) == (409, "illegal_transition")

    # a no-contact order: decided within 12 hours, lasting at most 3 days
    order = cases.call("POST", f"/v1/cases/{code}/measures", tokens.worker,
                       json={"kind": "no_contact_order", "provider": "Chủ tịch UBND xã"})
    assert order.status_code == 201 and order.json()["decision_due_at"] == "2026-11-02T13:00:00Z"
    clock.advance(hours=13)
    with entrypoint_hook(container, "publish_overdue") as sweep:
        sweep()
        sweep()  # a second sweep publishes nothing more
    [overdue] = wait_for(every_message, "case.overdue.v1")
    assert overdue["data"]["deadline"] == "no_contact_decision"  # verification was done in time
    too_long = cases.call("PATCH", f"/v1/cases/{code}/measures/{order.json()['id']}", tokens.leader, json={
        "decision": "granted", "starts_at": "2026-11-02T14:00:00+00:00", "ends_at": "2026-11-06T14:00:00+00:00"})
    assert refusal(too_long) == (422, "validation_error")
    assert too_long.json()["error"]["fields"][0]["field"] == "ends_at"
    granted = cases.call("PATCH", f"/v1/cases/{code}/measures/{order.json()['id']}", tokens.leader, json={
        "decision": "granted", "starts_at": "2026-11-02T14:00:00+00:00", "ends_at": "2026-11-05T14:00:00+00:00"})
    assert granted.status_code == 200 and granted.json()["decision"] == "granted"

    shelter_place = cases.call("POST", f"/v1/communes/{COMMUNE}/trusted-addresses", tokens.worker, json={
        "name": "Nhà bà Tư", "village": "Thôn Đoài", "address": "Số 3 xóm Giữa", "capacity": 2})
    assert shelter_place.status_code == 201 and shelter_place.json()["active"] is True
    shelter = cases.call("POST", f"/v1/cases/{code}/measures", tokens.worker,
                         json={"kind": "shelter", "trusted_address_id": shelter_place.json()["id"]})
    assert shelter.status_code == 201
    for kind in ("medical_care", "legal_aid", "counselling", "police_summons"):
        assert cases.call("POST", f"/v1/cases/{code}/measures", tokens.worker,
                          json={"kind": kind}).status_code == 201

    escalation = cases.call("POST", f"/v1/cases/{code}/escalations", tokens.worker,
                            json={"authority": "commune_police", "reason": "Nguy cơ tái diễn"})
    assert escalation.status_code == 201 and escalation.json()["status"] == "pending"
    referral = f"/v1/cases/{code}/referrals/{escalation.json()['id']}"
    assert refusal(cases.call("POST", referral + "/done", tokens.worker, json={})) == (
        409, "illegal_referral_transition")  # not accepted yet
    assert cases.call("POST", referral + "/accept", tokens.worker, json={}).json()["status"] == "accepted"
    assert cases.call("POST", referral + "/done", tokens.worker, json={}).json()["status"] == "done"
    statuses = [e["data"]["referral_status"] for e in wait_for(every_message, "case.escalated.v1", 3)]
    assert statuses == ["pending", "accepted", "done"]

    for status in ("follow_up", "closed"):
        assert cases.call("POST", f"/v1/cases/{code}/transitions", tokens.worker,
                          json={"to_status": status, "reason": "Ổn định"}).status_code == 200
    view = cases.call("GET", f"/v1/cases/{code}", tokens.worker).json()
    assert [m["kind"] for m in view["measures"]][:2] == ["no_contact_order", "shelter"]
    assert view["referrals"][0]["status"] == "done"
    assert view["transitions"][1] == {"from": "reported", "to": "verifying", "actor_role": "case_worker",
                                      "at": view["transitions"][1]["at"], "reason": "Đã xác minh tại nhà"}
    assert "reason" not in cases.call("GET", f"/v1/cases/{code}", tokens.leader).json()["transitions"][1]
    [closed] = wait_for(every_message, "case.closed.v1")
    assert closed["data"]["measures"] == 6 and closed["data"]["incidents"] == 1

    # retention: personal data erased after the period, statistics survive
    clock.advance(days=1826)
    with entrypoint_hook(container, "erase_expired") as erase:
        erase()
    erased = cases.call("GET", f"/v1/cases/{code}", tokens.worker).json()
    assert erased["anonymised"] is True and erased["victim"] is None and erased["intake"] is None
    assert erased["incidents"][0] == {"id": erased["incidents"][0]["id"], "occurred_on": None,
                                      "incident_type": "domestic_violence_physical",
                                      "perpetrator_relationship": "spouse", "place": None, "narrative": None}
    stats = cases.call("GET", "/v1/statistics?start=2026-11-01&end=2026-11-30", tokens.province).json()
    assert stats["total"] == {"value": None, "suppressed": True}  # one case: counted, but hidden below 5
    reopen = cases.call("POST", f"/v1/cases/{code}/transitions", tokens.worker,
                        json={"to_status": "verifying", "reason": "x"})
    assert refusal(reopen) == (409, "case_anonymised")

    # nothing any service published carries the victim's details, in bytes or once decoded
    secrets = [VICTIM["full_name"], VICTIM["phone"], VICTIM["address"], VICTIM["date_of_birth"], "08/03/1991",
               NARRATIVE, PLACE, REPORTER, "0987654321", "Nguy cơ tái diễn", "Đã xác minh tại nhà"]
    assert every_message.messages
    for message in every_message.messages:
        body = raw_bytes(message)
        decoded = json.dumps(json.loads(body), ensure_ascii=False)
        for secret in secrets:
            assert secret.encode("utf-8") not in body and secret not in decoded, (secret, decoded[:200])


def test_a_case_not_verified_in_time_is_overdue_once(cases_service, tokens, clock, every_message):
    container, cases = cases_service
    low = report_body(risk_assessment=None)  # assessed as medium until done: 48 hours to verify
    code = cases.call("POST", "/v1/cases", tokens.worker, json=low).json()["case_code"]
    clock.advance(hours=47)
    with entrypoint_hook(container, "publish_overdue") as sweep:
        sweep()
    clock.advance(hours=2)
    with entrypoint_hook(container, "publish_overdue") as sweep:
        sweep()
        sweep()
    [overdue] = wait_for(every_message, "case.overdue.v1")
    assert overdue["subject"] == code and overdue["data"]["deadline"] == "verification"
    assert overdue["data"]["due_at"] == "2026-11-04T01:00:00Z" or overdue["data"]["due_at"].startswith(
        "2026-11-04T01:00:00")
    every_message.collect(lambda got: False, timeout=1)
    assert len(events_of(every_message, "case.overdue.v1")) == 1


def test_legal_hold_keeps_personal_data_and_reopening_is_recorded(cases_service, tokens, clock):
    container, cases = cases_service
    code = cases.call("POST", "/v1/cases", tokens.worker, json=report_body()).json()["case_code"]
    for status in ("verifying", "unfounded", "closed"):
        cases.call("POST", f"/v1/cases/{code}/transitions", tokens.worker, json={"to_status": status, "reason": "x"})
    held = cases.call("PUT", f"/v1/cases/{code}/legal-hold", tokens.leader,
                      json={"hold": True, "reason": "Tòa án yêu cầu lưu hồ sơ"})
    assert held.status_code == 200 and held.json()["legal_hold"] is True
    clock.advance(days=4000)
    with entrypoint_hook(container, "erase_expired") as erase:
        erase()
    kept = cases.call("GET", f"/v1/cases/{code}", tokens.worker).json()
    assert kept["victim"]["full_name"] == VICTIM["full_name"] and kept["anonymised"] is False
    reopened = cases.call("POST", f"/v1/cases/{code}/transitions", tokens.worker,
                          json={"to_status": "verifying", "reason": "Có thông tin mới"})
    assert reopened.status_code == 200 and reopened.json()["closed_at"] is None
    actions = [e["action"] for e in cases.call("GET", f"/v1/audit?case_code={code}", tokens.auditor).json()["items"]]
    assert "case.reopen" in actions and "case.legal_hold.set" in actions


def test_referral_without_sharing_consent_needs_an_audited_override(cases, tokens, amqp_uri):
    body = report_body(consent={"services": True, "sharing": False, "statistics": False})
    code = cases.call("POST", "/v1/cases", tokens.worker, json=body).json()["case_code"]
    refused = cases.call("POST", f"/v1/cases/{code}/referrals", tokens.worker,
                         json={"authority": "social_work_centre", "reason": "Cần hỗ trợ tâm lý"})
    assert refusal(refused) == (409, "sharing_consent_missing")
    overridden = cases.call("POST", f"/v1/cases/{code}/referrals", tokens.worker, json={
        "authority": "social_work_centre", "reason": "Cần hỗ trợ tâm lý",
        "consent_override_reason": "Người bị hại là trẻ em, nguy cơ rất cao"})
    assert overridden.status_code == 201 and overridden.json()["consent_override"] is True
    audit = cases.call("GET", f"/v1/audit?case_code={code}", tokens.auditor).json()["items"]
    override = [e for e in audit if e["action"] == "case.consent.override"]
    assert override and override[0]["reason"].startswith("Người bị hại là trẻ em")
    rejected = cases.call("POST", f"/v1/cases/{code}/referrals/{overridden.json()['id']}/reject", tokens.worker,
                          json={})
    assert refusal(rejected) == (422, "validation_error")  # a rejection needs its reason
    assert rejected.json()["error"]["fields"] == [{"field": "reason", "problem": "bắt buộc khi từ chối"}]


def test_every_read_and_write_is_audited_and_the_log_is_read_only(cases, tokens):
    code = cases.call("POST", "/v1/cases", tokens.worker, json=report_body()).json()["case_code"]
    cases.call("GET", f"/v1/cases/{code}", tokens.worker, headers={"X-Access-Reason": quote("Chuẩn bị họp liên ngành")})
    cases.call("GET", f"/v1/cases/{code}", tokens.leader)
    cases.call("GET", "/v1/cases", tokens.worker)
    entries = cases.call("GET", f"/v1/audit?commune_code={COMMUNE}", tokens.auditor).json()["items"]
    mine = [(e["action"], e["actor_role"], e["reason"]) for e in entries if e["case_code"] in (code, None)]
    assert ("case.report", "case_worker", None) in mine
    assert ("case.read", "case_worker", "Chuẩn bị họp liên ngành") in mine
    assert ("case.read", "commune_leader", None) in mine and ("case.list", "case_worker", None) in mine
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        assert refusal(cases.call(method, "/v1/audit", tokens.auditor, json={})) == (405, "method_not_allowed")
    assert refusal(cases.call("GET", "/v1/audit", tokens.worker)) == (403, "wrong_role")


def test_statistics_count_consenting_cases_and_hide_small_numbers(cases, tokens, clock):
    for index in range(7):
        consent = {"services": True, "sharing": True, "statistics": index != 6}
        body = report_body(consent=consent, case_type="sexual_harassment" if index < 2 else "trafficking",
                           risk_assessment=None, incident=None)
        assert cases.call("POST", "/v1/cases", tokens.worker, json=body).status_code == 201
    stats = cases.call("GET", f"/v1/statistics?commune_code={COMMUNE}&start=2026-11-01&end=2026-11-30",
                       tokens.province).json()
    assert stats["total"] == {"value": 6, "suppressed": False}  # the seventh did not consent
    assert stats["by_case_type"]["trafficking"] == {"value": None, "suppressed": True}  # 4: hidden
    assert stats["by_case_type"]["sexual_harassment"]["suppressed"] is True
    own = cases.call("GET", "/v1/statistics?start=2026-11-01&end=2026-11-30", tokens.officer)
    assert own.status_code == 200 and own.json()["scope"] == COMMUNE
    other = cases.call("GET", f"/v1/statistics?commune_code={COMMUNE}&start=2026-11-01&end=2026-11-30",
                       tokens.other_leader)
    assert refusal(other) == (403, "wrong_commune")
    bad = cases.call("GET", "/v1/statistics?start=2026-11-30&end=2026-11-01", tokens.province)
    assert refusal(bad) == (422, "validation_error")


def test_no_contact_orders_are_the_chairmans_and_closed_cases_have_no_timers(cases_service, tokens, clock,
                                                                              every_message):
    """Found in review: any case worker could grant an order, an order could run without an end,
    and a closed case's open deadlines still fired case.overdue."""
    container, cases = cases_service
    code = cases.call("POST", "/v1/cases", tokens.worker, json=report_body()).json()["case_code"]
    early = cases.call("POST", f"/v1/cases/{code}/measures", tokens.worker, json={
        "kind": "no_contact_order", "starts_at": "2026-11-02T02:00:00+00:00"})
    assert refusal(early) == (409, "order_not_granted")
    order = cases.call("POST", f"/v1/cases/{code}/measures", tokens.worker, json={"kind": "no_contact_order"}).json()
    url = f"/v1/cases/{code}/measures/{order['id']}"
    assert refusal(cases.call("PATCH", url, tokens.worker, json={"decision": "granted"})) == (403, "wrong_role")
    open_ended = cases.call("PATCH", url, tokens.leader, json={"decision": "granted",
                                                               "starts_at": "2026-11-02T02:00:00+00:00"})
    assert refusal(open_ended) == (422, "validation_error")
    assert open_ended.json()["error"]["fields"] == [{"field": "ends_at", "problem": "bắt buộc"}]
    for status in ("verifying", "unfounded", "closed"):
        cases.call("POST", f"/v1/cases/{code}/transitions", tokens.worker, json={"to_status": status, "reason": "x"})
    clock.advance(days=3)
    with entrypoint_hook(container, "publish_overdue") as sweep:
        sweep()
    every_message.collect(lambda got: False, timeout=1)
    assert events_of(every_message, "case.overdue.v1") == []


def test_a_risk_raised_to_urgent_is_published_and_tightens_verification(cases, tokens, every_message):
    case = cases.call("POST", "/v1/cases", tokens.worker, json=report_body(risk_assessment=None)).json()
    assert case["risk_level"] == "medium" and case["verification_due_at"] == "2026-11-04T01:00:00Z"
    raised = cases.call("POST", f"/v1/cases/{case['case_code']}/risk-assessments", tokens.worker,
                        json=answers(threats_to_kill=True, weapon_used_or_threatened=True))
    assert raised.status_code == 201 and raised.json()["risk_level"] == "critical"
    assert raised.json()["verification_due_at"] == "2026-11-02T03:00:00Z"  # 2 hours from the report
    [event] = wait_for(every_message, "case.risk_assessed.v1")
    assert event["data"]["urgent"] is True and event["data"]["previous_risk_level"] == "medium"

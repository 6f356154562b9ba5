"""End to end: the four services as separate processes on PostgreSQL and RabbitMQ, driven over HTTP.

An outside subscriber (plain AMQP, not nameko) binds its own queue to every exchange
named in docs/asyncapi.yaml before the scenario runs, and checks what it receives
against the published JSON Schemas.
"""
import json
import os
from pathlib import Path

import jsonschema
import pytest
import yaml

from services.common.auth import mint_token
from services.common.config import SERVICE_NAMES, metrics_port_setting
from services.common.token_keys import new_key_pair, signing_key
from services.demo import COMMUNE, Scenario
from services.processes import ServiceProcesses, http_json
from tests.support.broker import Collector, raw_bytes
from tests.support.service_http import free_ports

pytestmark = pytest.mark.e2e

DOCS = Path(__file__).resolve().parents[2] / "docs"
# free ports, so that two test runs on one machine (or a demo) do not collide
PORTS = free_ports(*SERVICE_NAMES)
VICTIM_NAME = "Người bị hại (dữ liệu mẫu)"
# The stack's own key pair: the services get only its public half (JWT_JWKS), as in production.
PRIVATE_KEY, JWKS = new_key_pair()
SIGNER = signing_key({"JWT_PRIVATE_KEY": PRIVATE_KEY})


@pytest.fixture(scope="module")
def stack(postgres, amqp_uri, tmp_path_factory):
    base = tmp_path_factory.mktemp("e2e")
    environ = dict(os.environ, AMQP_URI=amqp_uri, DATA_DIR=str(base), LOG_FORMAT="json",
                   RETRY_DELAYS_SECONDS="0.5,1", OUTBOX_POLL_SECONDS="0.2", JWT_JWKS=JWKS, **PORTS)
    processes = {}
    for service in ("plans", "cases", "notifications", "reporting"):
        environ_for = dict(environ, DATABASE_URL=postgres.create(service))
        processes[service] = ServiceProcesses(environ_for, base / "logs", services=(service,))
    for group in processes.values():
        group.start()
    yield processes, environ
    for group in processes.values():
        group.stop()


def url(stack, service):
    processes, _ = stack
    return processes[service].url(service)


@pytest.fixture(scope="module")
def outside_subscriber(amqp_uri):
    document = yaml.safe_load((DOCS / "asyncapi.yaml").read_text(encoding="utf-8"))
    bindings = [(channel["bindings"]["amqp"]["exchange"]["name"], channel["address"])
                for channel in document["channels"].values()]
    collector = Collector(amqp_uri, bindings)
    yield collector
    collector.close()


class AllServices:
    """The URLs of the services (Scenario's ServiceUrls); the e2e runs one ServiceProcesses per service."""

    def __init__(self, stack):
        self.stack = stack

    def url(self, service: str) -> str:
        return url(self.stack, service)


@pytest.fixture(scope="module")
def scenario(stack, outside_subscriber):
    _, environ = stack
    lines: list[str] = []
    result = Scenario(AllServices(stack), dict(environ, JWT_PRIVATE_KEY=PRIVATE_KEY)).run(out=lines.append)
    result["lines"] = lines
    return result


def test_reporting_shows_expected_reported_missing_and_escalated(scenario):
    status = scenario["status"]
    assert status["counts"] == {"expected": 14, "reported": 1, "missing": 13, "late": 1, "returned": 0}
    assert [u["unit_code"] for u in status["units"] if u["reported"]] == ["VHXH"]
    assert "THON-CU" not in {u["unit_code"] for u in status["units"]}  # dissolved before the plan year
    assert status["cases"] == {"recorded": 1, "escalated": 1}


def test_notifications_went_to_the_right_roles_without_victim_data(scenario):
    delivered = {(n["template"], n["recipient_role"], n["recipient_unit"]) for n in scenario["notifications"]
                 if n["status"] == "delivered"}
    assert ("case_escalated", "commune_leader", None) in delivered
    assert ("case_escalated", "case_worker", None) in delivered
    for unit in ("VHXH", "TYT", "MTTQ"):
        assert ("plan_issued_unit", "unit_reporter", unit) in delivered
    assert VICTIM_NAME not in json.dumps(scenario["notifications"], ensure_ascii=False)


def test_a_unit_reporter_sees_only_its_own_notifications(stack, scenario):
    token = mint_token(SIGNER, subject="r", role="unit_reporter", commune=COMMUNE, unit="TYT")
    status, body = http_json("GET", url(stack, "notifications") + "/v1/notifications", token=token)
    assert status == 200 and body["items"]
    assert {n["recipient_unit"] for n in body["items"]} == {"TYT"}


def test_province_officers_see_suppressed_case_counts(stack, scenario):
    token = mint_token(SIGNER, subject="p", role="province_officer", province="24")
    status, body = http_json("GET", url(stack, "reporting") + f"/v1/communes/{COMMUNE}/years/2026/status",
                             token=token)
    assert status == 200
    assert body["cases"]["escalated"] == {"value": None, "suppressed": True}
    assert body["counts"]["expected"] == 14


def metrics_url(service: str) -> str:
    return f"http://127.0.0.1:{PORTS[metrics_port_setting(service)]}/metrics"


def test_every_service_is_ready_and_exposes_metrics_on_its_metrics_port_only(stack, scenario):
    for service in ("plans", "cases", "notifications", "reporting"):
        assert http_json("GET", url(stack, service) + "/health")[0] == 200
        assert http_json("GET", url(stack, service) + "/ready") == (200, {"status": "ready", "service": service,
                                                                         "problems": {}})
        assert http_json("GET", url(stack, service) + "/metrics")[0] == 404  # not on the public port
        status, text = http_json("GET", metrics_url(service))
        assert status == 200
        assert f'binhdang_entrypoint_calls_total{{entrypoint="ready",outcome="ok",service="{service}"}}' in text
        assert "binhdang_outbox_pending_events" in text
    _, plans_metrics = http_json("GET", metrics_url("plans"))
    assert 'binhdang_events_published_total{event_type="plan.issued.v1",service="plans"}' in plans_metrics
    _, reporting_metrics = http_json("GET", metrics_url("reporting"))
    assert 'consumer="reporting.on_plan_issued",event_type="plan.issued.v1",outcome="processed"' in reporting_metrics


def test_the_outside_subscriber_receives_schema_valid_events_without_personal_data(outside_subscriber, scenario):
    wanted = {"plan.issued.v1", "unit_report.submitted.v1", "case.reported.v1", "case.escalated.v1",
              "notification.delivered.v1"}
    def ours(got):
        return [m for m in got if json.loads(m.body).get("communecode") == COMMUNE]

    outside_subscriber.collect(lambda got: wanted <= {m.properties.get("type") for m in ours(got)}
                               and sum(m.properties.get("type") == "notification.delivered.v1"
                                       for m in ours(got)) >= 6)
    received = [m for m in outside_subscriber.messages if json.loads(m.body).get("communecode") == COMMUNE]
    assert wanted <= {m.properties["type"] for m in received}, [
        (m.properties.get("type"), json.loads(m.body).get("communecode")) for m in outside_subscriber.messages]
    for message in received:
        event = json.loads(message.body)
        schema = json.loads((DOCS / "events" / f"{event['type']}.schema.json").read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(event)
        assert message.properties["message_id"] == event["id"]
        assert message.properties["delivery_mode"] == 2
        raw = raw_bytes(message)
        assert VICTIM_NAME.encode("utf-8") not in raw
        assert VICTIM_NAME not in json.dumps(event, ensure_ascii=False)  # \u-escaped text decodes here


def test_the_correlation_id_of_a_request_follows_its_events(stack, outside_subscriber, scenario):
    processes, environ = stack
    officer = mint_token(SIGNER, subject="o", role="commune_officer", commune=COMMUNE)
    body = dict(scenario_body(scenario), year=2027)  # 2026 already has its issued plan
    status, created = http_json("POST", url(stack, "plans") + "/v1/plans", body, officer)
    assert status == 201
    status, _ = http_json("POST", url(stack, "plans") + f"/v1/plans/{created['id']}/issue", None, officer,
                          headers={"X-Correlation-ID": "trace-e2e-42"})
    assert status == 200
    outside_subscriber.collect(lambda got: any(json.loads(m.body).get("subject") == created["id"] for m in got))
    [issued] = [json.loads(m.body) for m in outside_subscriber.messages
                if json.loads(m.body).get("subject") == created["id"]]
    assert issued["correlationid"] == "trace-e2e-42"
    outside_subscriber.collect(lambda got: sum(json.loads(m.body).get("correlationid") == "trace-e2e-42"
                                               for m in got) >= 5)
    delivered = [json.loads(m.body) for m in outside_subscriber.messages
                 if json.loads(m.body).get("correlationid") == "trace-e2e-42"
                 and json.loads(m.body)["type"] == "notification.delivered.v1"]
    assert delivered, "notifications caused by the request carry its correlation id"


# Bad input: a clear JSON error, never a 500, and nothing changes ------------------------------------
def officer_token(commune=COMMUNE):
    return mint_token(SIGNER, subject="o", role="commune_officer", commune=commune)


def assert_error(response, status, code):
    got_status, body = response
    assert got_status == status, body
    assert body["error"]["status"] == status and body["error"]["code"] == code, body
    return body["error"]


def test_authentication_and_roles_are_enforced_with_json_errors(stack, scenario):
    plans = url(stack, "plans")
    assert_error(http_json("GET", plans + "/v1/plans"), 401, "missing_token")
    assert_error(http_json("GET", plans + "/v1/plans", token="garbage"), 401, "invalid_token")
    forged = mint_token(signing_key({"JWT_PRIVATE_KEY": new_key_pair()[0]}), subject="x", role="commune_officer",
                        commune=COMMUNE)
    assert_error(http_json("GET", plans + "/v1/plans", token=forged), 401, "invalid_token")
    case_worker = mint_token(SIGNER, subject="c", role="case_worker", commune=COMMUNE)
    assert_error(http_json("POST", plans + "/v1/plans", {}, case_worker), 403, "wrong_role")
    reporter = mint_token(SIGNER, subject="r", role="unit_reporter", commune=COMMUNE, unit="VHXH")
    assert_error(http_json("GET", url(stack, "cases") + "/v1/cases", token=reporter), 403, "wrong_role")


def test_another_commune_cannot_see_or_change_the_data(stack, scenario):
    other = officer_token("07531")
    plan_id = scenario["plan"]["id"]
    assert_error(http_json("GET", url(stack, "plans") + f"/v1/plans/{plan_id}", token=other), 404,
                 "plan_not_found")
    assert_error(http_json("POST", url(stack, "plans") + f"/v1/plans/{plan_id}/issue", None, other), 404,
                 "plan_not_found")
    assert_error(http_json("GET", url(stack, "plans") + f"/v1/plans?commune_code={COMMUNE}", token=other), 403,
                 "wrong_commune")
    other_worker = mint_token(SIGNER, subject="c", role="case_worker", commune="07531")
    case_code = scenario["case_code"]
    missing = http_json("GET", url(stack, "cases") + "/v1/cases/VV26-ZZZZZZZZ", token=other_worker)
    foreign = http_json("GET", url(stack, "cases") + f"/v1/cases/{case_code}", token=other_worker)
    assert foreign == missing  # indistinguishable from a case that does not exist
    assert_error(foreign, 404, "case_not_found")
    assert_error(http_json("GET", url(stack, "reporting") + f"/v1/communes/{COMMUNE}/years/2026/status",
                           token=other), 404, "report_not_found")


def test_bad_bodies_name_the_field_and_change_nothing(stack, scenario):
    plans = url(stack, "plans")
    officer = officer_token()
    before = http_json("GET", plans + "/v1/plans", token=officer)[1]["items"]
    error = assert_error(http_json("POST", plans + "/v1/plans", {"commune_code": COMMUNE, "year": "next",
                                                                  "title": ""}, officer), 422, "validation_error")
    fields = {f["field"] for f in error["fields"]}
    assert {"year", "title", "document"} <= fields
    body = scenario_body(scenario)
    body["document"]["organisation"][0]["tasks"][1]["code"] = "TC-1.1"
    error = assert_error(http_json("POST", plans + "/v1/plans", body, officer), 422, "validation_error")
    assert error["fields"][0]["field"] == "document.organisation.0.tasks.1.code"
    assert_error(http_json("POST", plans + "/v1/plans", None, officer, headers={"Content-Type": "application/json"}),
                 400, "malformed_json")
    assert_error(http_json("POST", plans + "/v1/plans", None, officer, headers={"Content-Type": "text/plain"}),
                 415, "unsupported_media_type")
    assert http_json("GET", plans + "/v1/plans", token=officer)[1]["items"] == before


def test_invalid_transitions_and_reports_are_refused(stack, scenario):
    plans = url(stack, "plans")
    plan_id = scenario["plan"]["id"]
    assert_error(http_json("POST", plans + f"/v1/plans/{plan_id}/issue", None, officer_token()), 409,
                 "plan_not_draft")
    reporter = mint_token(SIGNER, subject="r", role="unit_reporter", commune=COMMUNE, unit="TYT")
    error = assert_error(http_json("POST", plans + f"/v1/plans/{plan_id}/unit-reports",
                                   {"tasks": [{"task_code": "TC-1.1", "status": "done"}]}, reporter), 422,
                         "validation_error")
    assert error["fields"][0]["field"] == "tasks.0.task_code"
    error = assert_error(http_json("POST", plans + f"/v1/plans/{plan_id}/unit-reports",
                                   {"tasks": [{"task_code": "TC-5.1", "status": "finished"}]}, reporter), 422,
                         "validation_error")
    assert error["fields"][0]["field"] == "tasks.0.status"


def test_a_retried_submission_with_the_same_idempotency_key_is_not_duplicated(stack, scenario):
    plans = url(stack, "plans")
    plan_id = scenario["plan"]["id"]
    reporter = mint_token(SIGNER, subject="r", role="unit_reporter", commune=COMMUNE, unit="TYT")
    body = {"tasks": [{"task_code": "TC-5.1", "status": "done", "summary": "Đã tư vấn tại 5 thôn."}]}
    first = http_json("POST", plans + f"/v1/plans/{plan_id}/unit-reports", body, reporter,
                      headers={"Idempotency-Key": "tyt-2026-1"})
    again = http_json("POST", plans + f"/v1/plans/{plan_id}/unit-reports", body, reporter,
                      headers={"Idempotency-Key": "tyt-2026-1"})
    assert first[0] == 201 and again[0] == 200 and again[1]["id"] == first[1]["id"]
    reports = http_json("GET", plans + f"/v1/plans/{plan_id}/unit-reports", token=reporter)[1]["items"]
    assert [r["revision"] for r in reports] == [1]


def test_unknown_routes_and_methods_answer_json(stack):
    assert_error(http_json("GET", url(stack, "plans") + "/v1/nothing-here"), 404, "not_found")
    assert_error(http_json("DELETE", url(stack, "plans") + "/health"), 405, "method_not_allowed")


def scenario_body(scenario):
    plan = scenario["plan"]
    return {"commune_code": plan["commune_code"], "year": plan["year"], "document": plan["document"]}


def test_logs_are_json_lines_with_correlation_ids_and_no_victim_data(stack, scenario):
    processes, environ = stack
    log_dir = processes["plans"].log_dir
    issue_lines = []
    for path in log_dir.glob("*.log"):
        text = path.read_text(encoding="utf-8")
        assert VICTIM_NAME not in text
        for line in text.splitlines():
            if line.startswith("{"):
                entry = json.loads(line)
                assert {"ts", "level", "logger", "msg"} <= set(entry)
                if entry.get("entrypoint") == "issue_plan":
                    issue_lines.append(entry)
    assert any(e["correlation_id"] == "trace-e2e-42" and e["status"] == 200 and e["service"] == "plans"
               for e in issue_lines)

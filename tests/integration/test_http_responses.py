"""What every response carries and what it never does, over real HTTP: the protective headers, no
caching of victims' data, no echo of the caller's input in errors, correlation ids that cannot carry
personal data into events and logs, an access log that says who, and /metrics off the public port."""
import json
import logging
import re
import uuid

import pytest
import requests

from services.cases.service import CasesService
from services.plans.service import PlansService
from tests.support.broker import Collector, raw_bytes
from tests.support.case_reports import COMMUNE, report_body
from tests.support.service_http import metrics_url, refusal, start_service, token

pytestmark = pytest.mark.integration

WORKER = token("case_worker", COMMUNE, subject="acct-7f3a")
OFFICER = token("commune_officer", COMMUNE, subject="acct-officer")
HOSTILE = "<script>alert(1)</script> Nguyễn Thị Hoa 0912345678"
HOSTILE_HEADER = "Nguyen Thi Hoa 0912345678 <script>"  # a header is Latin-1
PROTECTIVE = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"}


@pytest.fixture
def cases_service(container_factory, postgres, amqp_uri, tmp_path):
    return start_service(container_factory, CasesService, postgres.create("cases"), amqp_uri, tmp_path)


@pytest.fixture
def plans_service(container_factory, postgres, amqp_uri, tmp_path):
    return start_service(container_factory, PlansService, postgres.create("plans"), amqp_uri, tmp_path)


def assert_protected(response: requests.Response) -> None:
    for name, value in PROTECTIVE.items():
        assert response.headers.get(name) == value, (response.request.url, name)
    policy = response.headers.get("Content-Security-Policy", "")
    assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert response.headers.get("Cache-Control") == "no-store"


def test_every_response_carries_the_protective_headers_and_no_store(cases_service):
    _, cases = cases_service
    reported = cases.call("POST", "/v1/cases", WORKER, json=report_body())
    assert reported.status_code == 201, reported.text
    code = reported.json()["case_code"]
    answers = [
        reported,
        cases.call("GET", f"/v1/cases/{code}", WORKER),  # the victim's data
        cases.call("GET", "/health"),
        cases.call("GET", f"/v1/cases/{code}"),  # 401
        cases.call("GET", "/v1/nowhere"),  # 404 of the router
        cases.call("DELETE", "/health"),  # 405 of the router
        cases.call("POST", "/v1/cases", WORKER, data=b"{", headers={"Content-Type": "application/json"}),  # 400
    ]
    assert [a.status_code for a in answers] == [201, 200, 200, 401, 404, 405, 400]
    for answer in answers:
        assert_protected(answer)


def test_errors_never_echo_the_callers_input(cases_service, plans_service):
    _, cases = cases_service
    _, plans = plans_service
    code = cases.call("POST", "/v1/cases", WORKER, json=report_body()).json()["case_code"]
    refused = [
        cases.call("POST", f"/v1/cases/{code}/transitions", WORKER, json={"to_status": HOSTILE, "reason": "x"}),
        cases.call("POST", "/v1/cases", WORKER, json=report_body(case_type=HOSTILE)),
        cases.call("POST", "/v1/cases", WORKER, data=HOSTILE.encode(), headers={"Content-Type": "application/json"}),
        plans.call("POST", "/v1/plans/import", OFFICER, files={"file": (f"ke-hoach.{HOSTILE}", b"KE HOACH\n")},
                   data={"commune_code": "07543"}),
        plans.call("POST", "/v1/plans/import", OFFICER, files={"file": ("ke-hoach.txt", b"KE HOACH\n")},
                   data={"commune_code": "07543", "unit_map": json.dumps({HOSTILE: "not a code!"})}),
        plans.call("POST", f"/v1/communes/{COMMUNE}/units", OFFICER,
                   json={"code": HOSTILE, "name": HOSTILE, "unit_type": HOSTILE}),
    ]
    assert all(400 <= r.status_code < 500 for r in refused), [(r.status_code, r.text) for r in refused]
    for response in refused:
        assert "script" not in response.text and "0912345678" not in response.text, response.text
        assert "Nguy" not in response.text, response.text


def test_a_correlation_id_carrying_a_name_and_phone_never_reaches_the_event_or_the_log(cases_service, amqp_uri,
                                                                                      caplog):
    _, cases = cases_service
    collector = Collector(amqp_uri, [("cases.events", "case.reported.v1")])
    caplog.set_level(logging.DEBUG)
    try:
        reported = cases.call("POST", "/v1/cases", WORKER, json=report_body(),
                              headers={"X-Correlation-ID": HOSTILE_HEADER})
        assert reported.status_code == 201, reported.text
        given = reported.headers["X-Correlation-ID"]
        assert str(uuid.UUID(given)) == given  # one of ours instead
        [message] = collector.collect(lambda got: len(got) >= 1)
    finally:
        collector.close()
    assert json.loads(raw_bytes(message))["correlationid"] == given
    assert message.properties.get("correlation_id") == given
    assert b"0912345678" not in raw_bytes(message) and "0912345678" not in caplog.text

    token_like = "req-2026.11_02"  # a caller's own short token is kept
    kept = cases.call("GET", "/health", headers={"X-Correlation-ID": token_like})
    assert kept.headers["X-Correlation-ID"] == token_like


def test_the_access_log_names_the_tokens_subject_the_route_status_and_duration(cases_service, caplog):
    _, cases = cases_service
    caplog.set_level(logging.INFO, logger="binhdang.access")
    code = cases.call("POST", "/v1/cases", WORKER, json=report_body()).json()["case_code"]
    assert cases.call("GET", f"/v1/cases/{code}", WORKER).status_code == 200
    [entry] = [r for r in caplog.records if r.name == "binhdang.access" and r.entrypoint == "get_case"]
    assert entry.subject == "acct-7f3a"
    assert entry.route == "/v1/cases/<string(minlength=4,maxlength=32):case_code>"
    assert code not in entry.getMessage()
    assert entry.status == 200 and entry.duration_ms >= 0
    assert not re.search(r"Lê Thị|0912345678", caplog.text)


def test_metrics_are_served_on_the_metrics_port_and_not_on_the_public_one(cases_service):
    container, cases = cases_service
    assert cases.call("GET", "/health").status_code == 200
    assert refusal(cases.call("GET", "/metrics")) == (404, "not_found")
    scraped = requests.get(metrics_url(container), timeout=10)
    assert scraped.status_code == 200
    assert 'binhdang_entrypoint_calls_total{entrypoint="health",outcome="ok",service="cases"}' in scraped.text
    assert requests.get(metrics_url(container).replace("/metrics", "/health"), timeout=10).status_code == 404

"""Every cases endpoint, fuzzed from the service's OpenAPI document: no input may cause a 5xx, and every
answer is what the document describes."""

import pytest
import requests

from services.cases.service import CasesService
from tests.support.case_reports import COMMUNE, report_body
from tests.support.fuzzing import FuzzTarget, fuzz_every_endpoint, running_service, tokens_for

pytestmark = pytest.mark.integration

TOKENS = tokens_for(COMMUNE, "VHXH")


@pytest.fixture(scope="module")
def fuzz_target(postgres, amqp_uri, tmp_path_factory):
    """The running service with a case, a measure, an escalation and a trusted address to aim requests at."""
    with running_service(CasesService, postgres.create("fuzz_cases"), amqp_uri,
                         tmp_path_factory.mktemp("fuzz")) as url:
        def call(method, path, **kwargs):
            response = requests.request(method, url + path, timeout=10, **kwargs,
                                        headers={"Authorization": f"Bearer {TOKENS['case_worker']}"})
            assert response.status_code < 300, response.text
            return response.json()

        code = call("POST", "/v1/cases", json=report_body())["case_code"]
        measure = call("POST", f"/v1/cases/{code}/measures", json={"kind": "no_contact_order"})
        referral = call("POST", f"/v1/cases/{code}/escalations", json={"authority": "commune_police",
                                                                        "reason": "Nguy cơ cao"})
        call("POST", f"/v1/communes/{COMMUNE}/trusted-addresses",
             json={"name": "Nhà bà Tư", "address": "Số 3 xóm Giữa", "capacity": 2})
        yield FuzzTarget(url, {"case_code": code, "commune_code": COMMUNE, "measure_id": measure["id"],
                               "referral_id": referral["id"]}, TOKENS)


test_every_answer_is_documented_and_none_is_a_server_error = fuzz_every_endpoint(CasesService)

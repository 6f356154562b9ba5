"""Every plans endpoint, fuzzed from the service's OpenAPI document: no input may cause a 5xx, and every
answer is what the document describes."""

import pytest

from services.plans.service import PlansService
from tests.support.fuzzing import FuzzTarget, fuzz_every_endpoint, running_service, tokens_for
from tests.support.plan_documents import COMMUNE, DIRECTORY, INDICATOR_TARGETS, document

pytestmark = pytest.mark.integration

TOKENS = tokens_for(COMMUNE, "VHXH")


@pytest.fixture(scope="module")
def fuzz_target(postgres, amqp_uri, tmp_path_factory):
    """The running service, with a directory, an issued plan and a report to aim requests at."""
    import requests

    def call(method, path, role, **kwargs):
        response = requests.request(method, url + path, timeout=10, **kwargs,
                                    headers={"Authorization": f"Bearer {TOKENS[role]}"})
        assert response.status_code < 300, response.text
        return response.json()

    with running_service(PlansService, postgres.create("fuzz_plans"), amqp_uri,
                         tmp_path_factory.mktemp("fuzz")) as url:
        for unit in DIRECTORY:
            call("POST", f"/v1/communes/{COMMUNE}/units", "commune_officer", json=unit)
        plan = call("POST", "/v1/plans", "commune_officer", json={
            "commune_code": COMMUNE, "year": 2026, "document": document(), "indicator_targets": INDICATOR_TARGETS})
        call("POST", f"/v1/plans/{plan['id']}/issue", "commune_officer")
        report = call("POST", f"/v1/plans/{plan['id']}/unit-reports", "unit_reporter",
                      json={"tasks": [{"task_code": "TC-1.1", "status": "done"}]})
        yield FuzzTarget(url, {"commune_code": COMMUNE, "plan_id": plan["id"], "report_id": report["id"],
                               "code": "VHXH", "version": 1}, TOKENS)


test_every_answer_is_documented_and_none_is_a_server_error = fuzz_every_endpoint(PlansService)

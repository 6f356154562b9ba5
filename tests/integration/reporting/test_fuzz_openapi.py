"""Every reporting endpoint, fuzzed from the service's OpenAPI document: no input may cause a 5xx,
and every answer is what the document describes."""
import uuid
from datetime import UTC, datetime

import pytest
import requests

from services.common.events.contracts import UnitReportSubmitted
from services.reporting.service import ReportingService
from tests.support.broker import delete_queues
from tests.support.fuzzing import FuzzTarget, fuzz_every_endpoint, running_service, tokens_for
from tests.support.plan_events import plan_issued, publish
from tests.support.waiting import wait_until

pytestmark = pytest.mark.integration

COMMUNE = "07615"
TOKENS = tokens_for(COMMUNE, "VHXH")


@pytest.fixture(scope="module")
def fuzz_target(postgres, amqp_uri, tmp_path_factory):
    """The running service, with a commune's plan whose units have all reported (the leader may approve it)."""
    delete_queues(amqp_uri, ["reporting.on_plan_issued", "reporting.on_unit_report_submitted"])
    with running_service(ReportingService, postgres.create("fuzz_reporting"), amqp_uri,
                         tmp_path_factory.mktemp("fuzz")) as url:
        plan = plan_issued(COMMUNE, ["VHXH", "TYT"])
        publish(amqp_uri, plan)
        for unit in ("VHXH", "TYT"):
            publish(amqp_uri, UnitReportSubmitted(
                report_id=uuid.uuid4(), plan_id=plan.plan_id, commune_code=COMMUNE, year=2026, unit_code=unit,
                revision=1, submitted_at=datetime.now(UTC), late=False, tasks_reported=1, tasks_done=1))

        def all_reported():
            response = requests.get(url + f"/v1/communes/{COMMUNE}/years/2026/status", timeout=10,
                                    headers={"Authorization": f"Bearer {TOKENS['commune_officer']}"})
            return response.json()["counts"]["reported"] == 2

        wait_until(all_reported, timeout=30)
        yield FuzzTarget(url, {"commune_code": COMMUNE, "year": 2026, "province_code": "24", "revision": 1,
                               "format_name": "json"}, TOKENS)


test_every_answer_is_documented_and_none_is_a_server_error = fuzz_every_endpoint(ReportingService)

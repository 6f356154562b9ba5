"""Every notifications endpoint, fuzzed from the service's OpenAPI document: no input may cause a 5xx,
and every answer is what the document describes."""

import pytest
import requests

from services.notifications.service import NotificationsService
from tests.support.broker import delete_consumer_queues
from tests.support.fuzzing import FuzzTarget, fuzz_every_endpoint, running_service, tokens_for
from tests.support.plan_events import plan_issued, publish
from tests.support.waiting import wait_until

pytestmark = pytest.mark.integration

COMMUNE = "07627"
TOKENS = tokens_for(COMMUNE, "VHXH")


@pytest.fixture(scope="module")
def fuzz_target(postgres, amqp_uri, tmp_path_factory):
    """The running service, with the notifications of an issued plan to aim requests at."""
    # only this module's events: earlier tests leave urgent case alerts and the like in the session's vhost, which
    # would keep this service asking a plans that is not running for contacts while the fixture waits
    delete_consumer_queues(amqp_uri, "notifications")
    with running_service(NotificationsService, postgres.create("fuzz_notifications"), amqp_uri,
                         tmp_path_factory.mktemp("fuzz")) as url:
        publish(amqp_uri, plan_issued(COMMUNE, ["VHXH", "TYT"]))

        def delivered():
            response = requests.get(url + "/v1/notifications", timeout=10,
                                    headers={"Authorization": f"Bearer {TOKENS['commune_officer']}"})
            return [n["status"] for n in response.json()["items"]] == ["delivered"] * 3  # two units, the officer

        wait_until(delivered, timeout=30)
        yield FuzzTarget(url, {"commune_code": COMMUNE}, TOKENS)


test_every_answer_is_documented_and_none_is_a_server_error = fuzz_every_endpoint(NotificationsService)

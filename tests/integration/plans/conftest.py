import datetime as dt

import pytest

from services.common.clock import FixedClock
from services.plans.service import PlansService
from tests.support.plan_documents import COMMUNE, DIRECTORY
from tests.support.service_http import start_service, token

pytestmark = pytest.mark.integration

NOW = dt.datetime(2026, 6, 1, 3, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock():
    return FixedClock(NOW)


@pytest.fixture
def plans(container_factory, postgres, amqp_uri, tmp_path, clock):
    _, api = start_service(container_factory, PlansService, postgres.create("plans"), amqp_uri, tmp_path, clock)
    return api


class Tokens:
    officer = token("commune_officer", COMMUNE)
    leader = token("commune_leader", COMMUNE)
    province = token("province_officer", province="24")
    other_officer = token("commune_officer", "07531")
    case_worker = token("case_worker", COMMUNE)

    @staticmethod
    def reporter(unit: str, commune: str = COMMUNE) -> str:
        return token("unit_reporter", commune, unit)


@pytest.fixture
def tokens():
    return Tokens


@pytest.fixture
def directory(plans):
    for unit in DIRECTORY:
        response = plans.call("POST", f"/v1/communes/{COMMUNE}/units", Tokens.officer, json=unit)
        assert response.status_code == 201, response.text
    return plans

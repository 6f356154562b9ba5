import datetime as dt

import pytest

from services.cases.service import CasesService
from services.common.clock import FixedClock
from tests.support.case_reports import COMMUNE
from tests.support.service_http import start_service, token

NOW = dt.datetime(2026, 11, 2, 1, 0, tzinfo=dt.UTC)


class Tokens:
    worker = token("case_worker", COMMUNE, subject="cb-vu-viec")
    leader = token("commune_leader", COMMUNE, subject="chu-tich")
    officer = token("commune_officer", COMMUNE)
    reporter = token("unit_reporter", COMMUNE, "VHXH")
    province = token("province_officer", province="24")
    auditor = token("auditor", subject="thanh-tra")
    operator = token("operator")
    other_worker = token("case_worker", "07531")
    other_leader = token("commune_leader", "07531")


@pytest.fixture
def tokens():
    return Tokens


@pytest.fixture
def clock():
    return FixedClock(NOW)


@pytest.fixture
def cases_service(container_factory, postgres, amqp_uri, tmp_path, clock):
    container, api = start_service(container_factory, CasesService, postgres.create("cases"), amqp_uri, tmp_path,
                                   clock)
    return container, api


@pytest.fixture
def cases(cases_service):
    return cases_service[1]

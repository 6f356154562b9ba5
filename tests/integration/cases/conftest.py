import datetime as dt

import pytest

from services.cases.service import CasesService
from services.common.clock import FixedClock
from tests.support.service_http import start_service, token

COMMUNE = "27154"
NOW = dt.datetime(2026, 11, 2, 1, 0, tzinfo=dt.UTC)

VICTIM = {"full_name": "Lê Thị Hoà Bình", "sex": "female", "date_of_birth": "1991-03-08", "phone": "0912345678",
          "address": "Số 7 ngõ Đình, thôn Đông", "vulnerabilities": ["pregnant"]}
NARRATIVE = "Chồng say rượu đánh vợ ở bếp nhà riêng"
PLACE = "Nhà riêng ở xóm Bến"
REPORTER = "Ông Trịnh Văn Quý, trưởng thôn Đông"


def answers(**yes) -> dict:
    """A risk questionnaire: every question answered, `no` unless given."""
    questions = ["threats_to_kill", "weapon_used_or_threatened", "strangulation_or_choking", "injury_needing_care",
                 "violence_increasing", "sexual_violence", "victim_is_child", "victim_pregnant",
                 "victim_has_disability", "victim_fears_for_life", "perpetrator_lives_with_victim",
                 "perpetrator_substance_abuse"]
    return {**{q: False for q in questions}, "previous_incidents": 0, **yes}


def report_body(**changes):
    body = {"case_type": "domestic_violence_physical", "intake_channel": "village_head", "village": "Thôn Đông",
            "intake": {"reporter_description": REPORTER, "reporter_contact": "0987654321"},
            "victim": VICTIM, "consent": {"services": True, "sharing": True, "statistics": True},
            "risk_assessment": answers(threats_to_kill=True, injury_needing_care=True, victim_pregnant=True),
            "incident": {"occurred_on": "2026-11-01", "incident_type": "domestic_violence_physical",
                         "perpetrator_relationship": "spouse", "place": PLACE, "narrative": NARRATIVE}}
    body.update(changes)
    return body


class Tokens:
    worker = token("case_worker", COMMUNE, subject="cb-vu-viec")
    leader = token("commune_leader", COMMUNE, subject="chu-tich")
    officer = token("commune_officer", COMMUNE)
    reporter = token("unit_reporter", COMMUNE, "VHXH")
    province = token("province_officer")
    auditor = token("auditor", subject="thanh-tra")
    operator = token("operator")
    other_worker = token("case_worker", "27999")
    other_leader = token("commune_leader", "27999")


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

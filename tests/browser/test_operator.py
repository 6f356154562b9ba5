"""The operator's journey in Chromium: a dead letter put in reporting's queue is seen and replayed, and reporting
consumes it."""
import pytest

from services.processes import http_json
from tests.browser.conftest import OTHER_COMMUNE, drive
from tests.support.broker import put_dead_letter
from tests.support.operations import OPERATOR
from tests.support.plan_events import plan_issued
from tests.support.service_http import token
from tests.support.waiting import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

CONSUMER = "reporting.on_plan_issued"


def test_operator_replays_a_dead_letter_and_makes_a_province_staff_account(site, tmp_path):
    # another commune's plan of a far year: the other journeys' pages do not see it
    plan = plan_issued(OTHER_COMMUNE, ["VHXH"], year=2031)
    put_dead_letter(site.amqp_uri, CONSUMER, plan)
    pages = drive("operator", site, tmp_path)
    assert set(pages) == {"van-hanh", "van-hanh-chua-xac-nhan", "van-hanh-da-phat-lai", "tai-khoan-tinh"}
    reporting = site.services["reporting"]
    assert http_json("GET", f"{reporting}/v1/operations/dead-letters?queue={CONSUMER}", None, OPERATOR)[1][
        "queues"][0]["items"] == []
    officer = token("commune_officer", OTHER_COMMUNE)
    wait_until(lambda: http_json("GET", f"{reporting}/v1/communes/{OTHER_COMMUNE}/years/2031/status", None,
                                 officer)[1].get("plan_id") == str(plan.plan_id), timeout=30)

"""The commune officer's report journey in Chromium, on a plan of 2024 this test issues (the shared plan of 2026
stays as other journeys expect it, whatever its report's state)."""
import pytest

from services.processes import http_json
from tests.browser.conftest import COMMUNE, drive
from tests.browser.journeys.officer_report import ACHIEVEMENTS, YEAR
from tests.support.plan_documents import document
from tests.support.service_http import token
from tests.support.waiting import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.e2e]


def test_the_officer_writes_the_assessment_previews_the_report_and_reads_the_notifications(site, tmp_path):
    officer = token("commune_officer", COMMUNE)
    plans, reporting = site.services["plans"], site.services["reporting"]
    report = f"{reporting}/v1/communes/{COMMUNE}/years/{YEAR}/report"
    if http_json("GET", report, token=officer)[0] == 404:  # once per site
        plan = document()
        plan["title"] = plan["title"].replace("2026", YEAR)
        status, created = http_json("POST", f"{plans}/v1/plans", {"commune_code": COMMUNE, "year": int(YEAR),
                                                                  "document": plan}, officer)
        assert status == 201, created
        assert http_json("POST", f"{plans}/v1/plans/{created['id']}/issue", None, officer)[0] == 200
        wait_until(lambda: http_json("GET", report, token=officer)[0] == 200, timeout=30)
    pages = drive("officer_report", site, tmp_path)
    assert set(pages) == {"bao-cao-xa", "bao-cao-xa-xem-truoc", "thong-bao-da-gui"}
    assert http_json("GET", report, token=officer)[1]["assessment"]["achievements"] == [ACHIEVEMENTS]

"""Sở Nội vụ's officer's journey in Chromium, after a commune of the province sent its report of 2026."""
import pytest

from tests.browser.conftest import drive
from tests.browser.journeys.province_officer import SUBMITTING_COMMUNE
from tests.support.submitted_reports import issue_sample_plan, submit_commune_report

pytestmark = [pytest.mark.browser, pytest.mark.e2e]


def test_province_officer_reads_the_board_and_accepts_a_communes_report(site, tmp_path):
    plan_id = issue_sample_plan(site.services["plans"], SUBMITTING_COMMUNE)
    submit_commune_report(site.services["plans"], site.services["reporting"], SUBMITTING_COMMUNE, plan_id)
    pages = drive("province_officer", site, tmp_path)
    assert set(pages) == {"tinh", "tinh-xa", "tinh-xa-loi", "tinh-xa-da-tiep-nhan"}

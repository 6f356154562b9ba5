"""Sở Nội vụ's view of a province on SQLite: every commune of the official list, each with its plan, its
units' completeness and its report's state; the totals; nothing of another province."""
import random

import pytest

from services.common import admin_units
from services.common.errors import NotFound
from services.common.province_deadlines import ProvinceDeadlines
from services.reporting import province_view, summaries
from tests.support.season_events import season
from tests.unit.reporting.conftest import (
    DAI_SON,
    HA_NOI,
    OTHER_PROVINCE,
    PROVINCE,
    SON_HAI,
    TAN_SON,
    feed_season,
)

DEADLINES = ProvinceDeadlines.from_config({})


@pytest.fixture
def province(db, province_seasons):
    with db.transaction() as session:
        return province_view.view(session, PROVINCE, "24", 2026, DEADLINES), province_seasons


def test_every_commune_of_the_province_is_listed_with_its_reports_state(province):
    view, _ = province
    assert [c.commune_code for c in view.communes] == [c.code for c in admin_units.communes_of("24")]
    rows = {c.commune_code: c for c in view.communes}
    assert (rows[SON_HAI].report_state, rows[TAN_SON].report_state, rows[DAI_SON].report_state) == (
        "submitted", "late", "draft")
    assert rows["07615"].report_state == "none" and rows["07615"].plan_issued is False
    assert rows[SON_HAI].report_url == f"/v1/communes/{SON_HAI}/years/2026/report" and rows[DAI_SON].report_url is None
    assert (rows[DAI_SON].expected, rows[DAI_SON].submitted, rows[DAI_SON].on_time) == (5, 4, 2)
    assert rows[DAI_SON].reporting_rate == 0.8 and rows[DAI_SON].on_time_rate == 0.4
    assert HA_NOI not in rows and view.province_name == "Tỉnh Bắc Ninh" and view.deadline.isoformat() == "2026-12-15"


def test_the_totals_add_up_the_province_and_protect_the_gbv_figures(province):
    view, seasons = province
    totals = view.totals
    assert (totals.communes, totals.plans_issued, totals.reports_submitted, totals.reports_late) == (99, 3, 2, 1)
    assert totals.units_expected == 15 and totals.units_submitted == 14
    counted = sum(seasons[code].counted_cases for code in (SON_HAI, TAN_SON, DAI_SON))
    assert totals.gbv.total_cases.value == counted
    ct01 = next(i for i in totals.indicators if i.indicator_code == "CT-01")
    assert ct01.communes_reporting == 3 and ct01.value == ct01.female + ct01.male
    for row in totals.gbv.by_case_type + totals.gbv.victims_by_sex:
        assert row.suppressed is (row.value is None)


def test_another_provinces_officer_finds_no_province(db):
    with pytest.raises(NotFound) as missing, db.transaction() as session:
        province_view.view(session, OTHER_PROVINCE, "24", 2026, DEADLINES)
    assert missing.value.code == "province_not_found"


def summary_fields(summary) -> dict:
    return {column: getattr(summary, column) for column in summary.__table__.columns.keys()}


def test_each_event_refreshes_only_its_part_of_the_summary_and_the_summary_equals_a_full_recount(db):
    """A case event recounts the GBV figures only, a plan or unit report event the plan and units only:
    after a season delivered in a shuffled order, each summary is what a recount of everything gives."""
    events = season(DAI_SON, units=5, tasks=6, indicators=3, cases=12, seed=7).events
    random.Random(3).shuffle(events)
    feed_season(db, events)
    with db.transaction() as session:
        kept = summary_fields(summaries.of_communes(session, [DAI_SON], 2026)[DAI_SON])
        summaries.refresh(session, DAI_SON, 2026)  # everything
        recounted = summary_fields(summaries.of_communes(session, [DAI_SON], 2026)[DAI_SON])
    assert kept == recounted
    assert kept["expected"] == 5 and kept["gbv_counts"]["total"] > 0

"""The commune report assembled from events on SQLite: each section from what the plan, the units and
the cases say, the units' completeness, and the GBV figures protected as they leave the commune."""
import datetime as dt
import random
import shutil

import pytest

from services.common.events.contracts import UnitReportRevised
from services.reporting import workflow
from services.reporting.report_content import ReportState, TaskStatus, UnitReportState
from services.reporting.schemas import OfficerTextIn
from services.reporting.service import ReportingService
from tests.support.season_events import season
from tests.support.use_cases import UseCaseDb
from tests.unit.reporting.conftest import COMMUNE, NOW, OFFICER, feed_season, wire

SEASON = season(COMMUNE, units=15, tasks=20, indicators=10, cases=30)


@pytest.fixture(scope="module")
def fed(migrated_templates, tmp_path_factory):
    """A database that consumed the whole season, fed once: each test works on a copy."""
    path = tmp_path_factory.mktemp("season") / "reporting.db"
    database = migrated_templates.fresh("services.reporting:migrations", path)
    feed_season(database, SEASON.events)
    database.close()
    return path


@pytest.fixture
def sơn_hải():
    return SEASON


@pytest.fixture
def season_db(fed, tmp_path):
    copy = tmp_path / "reporting.db"
    shutil.copyfile(fed, copy)
    database = UseCaseDb(copy)
    yield database
    database.close()


def report(db, principal=OFFICER, year=2026):
    with db.transaction() as session:
        return workflow.current_report(session, principal, COMMUNE, year, NOW)


def test_the_header_names_the_commune_as_the_official_list_does(season_db, sơn_hải):
    header = report(season_db).header
    assert header.issuing_body == "UBND xã Sơn Hải" and header.issuing_body_lines == ["ỦY BAN NHÂN DÂN", "XÃ SƠN HẢI"]
    assert header.number_line == "Số:      /BC-UBND" and header.place_date_line.startswith("Sơn Hải, ngày ")
    assert report(season_db).commune.province_name == "Bắc Ninh"


def test_leadership_cites_the_plan_and_what_it_implements(season_db, sơn_hải):
    leadership = report(season_db).leadership
    assert leadership.plan.citation == "Kế hoạch số 45/KH-UBND ngày 28/5/2026 của UBND xã"
    assert [d.citation for d in leadership.implements] == ["Kế hoạch số 169/KH-UBND ngày 14/5/2026 của UBND tỉnh"]
    assert (leadership.units_assigned, leadership.tasks_assigned) == (15, 20)
    assert leadership.key_dates[0].end == dt.date(2026, 12, 15)


def test_results_are_grouped_by_content_area_with_what_each_unit_reported(season_db, sơn_hải):
    results = report(season_db).results
    assert [area.number for area in results.content_areas] == [1, 2, 3, 4, 5, 6]
    assert [t.task_code for t in results.content_areas[0].tasks] == ["TC-1.1", "TC-8.1", "TC-15.1"]
    assert [t.task_code for t in results.other_tasks] == ["TC-7.1", "TC-14.1"]  # linked to no area
    missing = sơn_hải.missing[0]
    for task in [t for area in results.content_areas for t in area.tasks] + results.other_tasks:
        for outcome in task.outcomes:
            if outcome.unit_code == missing:
                assert outcome.status is TaskStatus.NOT_REPORTED and outcome.summary == ""
            else:
                assert outcome.summary == f"Đơn vị {outcome.unit_code} đã thực hiện {task.task_code}."
    assert results.task_counts.total == 20


def test_completeness_shows_late_missing_and_returned_units_with_reasons_and_attachments(season_db, sơn_hải):
    completeness = report(season_db).completeness
    states = {u.unit_code: u.state for u in completeness.units}
    assert [c for c, s in states.items() if s is UnitReportState.MISSING] == sơn_hải.missing
    assert [c for c, s in states.items() if s is UnitReportState.LATE] == sơn_hải.late
    (expected, submitted, on_time, late, missing) = (15, 14, 12, 2, 1)
    assert (completeness.expected, completeness.submitted, completeness.on_time, completeness.late,
            completeness.missing) == (expected, submitted, on_time, late, missing)
    assert completeness.reporting_rate == round(14 / 15, 4) and completeness.on_time_rate == round(12 / 15, 4)
    revised = next(u for u in completeness.units if u.unit_code == sơn_hải.returned_and_revised[0])
    assert (revised.revision, revised.state) == (2, UnitReportState.ON_TIME)  # lateness of its first submission
    assert [r.reason for r in revised.returns] == ["Thiếu số liệu phân tách theo giới tính."]
    first = completeness.units[0]
    assert [(a.name, a.size) for a in first.attachments] == [("bien-ban-tuyen-truyen.pdf", 182_344)]


def test_a_unit_returned_and_not_yet_revised_is_shown_returned_and_its_tasks_not_reported(db, sơn_hải):
    events = [e for e in sơn_hải.events if not isinstance(e, UnitReportRevised)]
    feed_season(db, events)
    built = report(db)
    unit = sơn_hải.returned_and_revised[0]
    assert {u.unit_code: u.state for u in built.completeness.units}[unit] is UnitReportState.RETURNED
    outcomes = [o for area in built.results.content_areas for t in area.tasks for o in t.outcomes
                if o.unit_code == unit] + [o for t in built.results.other_tasks for o in t.outcomes
                                           if o.unit_code == unit]
    assert outcomes and all(o.status is TaskStatus.NOT_REPORTED for o in outcomes)


def test_indicators_give_result_by_sex_against_target_in_its_direction(season_db, sơn_hải):
    rows = {r.indicator_code: r for r in report(season_db).indicators.rows}
    by_sex = rows["CT-01"]
    assert by_sex.result.value == by_sex.result.female + by_sex.result.male
    assert by_sex.met is (by_sex.result.value >= by_sex.target)
    ceiling = rows["CT-06"]
    assert ceiling.direction.value == "at_most" and ceiling.met is (ceiling.result.value <= ceiling.target)
    assert rows["CT-04"].target is None and rows["CT-04"].met is None and rows["CT-04"].met_label == "Chưa đánh giá"
    missing = sơn_hải.missing[0]
    assert all(r.result.value is None for r in rows.values() if r.units == [] and missing)


def test_gbv_figures_count_consenting_cases_only_with_small_counts_hidden(season_db, sơn_hải):
    figures = report(season_db).gbv
    assert figures.total_cases.value == sơn_hải.counted_cases  # the withdrawn consent is not counted
    for breakdown in (figures.by_case_type, figures.victims_by_sex, figures.victims_by_age_band):
        shown = [row for row in breakdown if not row.suppressed]
        hidden = [row for row in breakdown if row.suppressed]
        assert all(row.value is None for row in hidden)
        assert all(row.value == 0 or row.value >= 5 for row in shown)
        assert len(hidden) != 1  # one hidden cell would be the total minus the rest


def test_the_officers_text_fills_sections_five_to_seven_and_versions_are_kept(season_db, sơn_hải):
    with season_db.transaction() as session:
        workflow.write_text(session, OFFICER, COMMUNE, 2026, OfficerTextIn(achievements=["Đạt nhiều kết quả."]), NOW)
        written = workflow.write_text(session, OFFICER, COMMUNE, 2026, OfficerTextIn(
            achievements=["Đạt nhiều kết quả."], shortcomings=["Một đơn vị chưa báo cáo."],
            proposals=["Đề nghị tập huấn."], recipients=["Sở Nội vụ tỉnh Bắc Ninh;", "Lưu: VT."]), NOW)
    assert written.assessment.shortcomings == ["Một đơn vị chưa báo cáo."]
    assert written.proposals.paragraphs == ["Đề nghị tập huấn."] and written.next_year.heading.endswith("2027")
    assert written.officer_text.version == 2 and written.officer_text.edited_by == "can-bo-xa"
    assert written.recipients == ["Sở Nội vụ tỉnh Bắc Ninh;", "Lưu: VT."]
    assert report(season_db).state is ReportState.DRAFT


def test_without_text_the_recipients_and_signature_come_from_the_province_and_the_plan(season_db, sơn_hải):
    built = report(season_db)
    assert built.recipients[0] == "Sở Nội vụ tỉnh Bắc Ninh;"
    assert (built.signature.deputy_for, built.signature.title) == ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")


def test_any_order_of_the_events_assembles_the_same_report(season_db, tmp_path, migrated_templates, sơn_hải):
    shuffled = migrated_templates.fresh("services.reporting:migrations", tmp_path / "shuffled.db")
    events = list(sơn_hải.events)
    random.Random(7).shuffle(events)
    for data in events:
        shuffled.deliver(ReportingService, wire(data)[1])
    with shuffled.transaction() as session:
        other = workflow.current_report(session, OFFICER, COMMUNE, 2026, NOW)
    assert other.model_dump(exclude={"generated_at"}) == report(season_db).model_dump(exclude={"generated_at"})
    shuffled.close()

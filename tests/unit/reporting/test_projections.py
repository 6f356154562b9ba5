"""Reporting's projections on SQLite, fed through the service's own handlers: whatever order the
separate queues deliver a plan's, its reports' and its cases' events in, and however many times,
the status is the same."""
import datetime as dt
import random
import uuid
from itertools import permutations

import pytest

from services.common.events import registry
from services.common.events.contracts import (
    CaseEscalated,
    CaseReported,
    CaseStatisticsConsentChanged,
    PlanClosed,
    StatisticsFacts,
    UnitDissolved,
)
from services.common.events.received import decode_event
from services.reporting import projections
from services.reporting.rebuild import projection_state
from services.reporting.service import ReportingService
from tests.support.plan_events import plan_issued, wire
from tests.support.season_events import season
from tests.unit.reporting.conftest import (
    COMMUNE,
    ISSUED,
    LATE,
    NOW_CLOSED,
    ON_TIME,
    PLAN,
    amended,
    feed,
    issued,
    returned,
    submitted,
    year_status,
)


def unit_rows(status: dict) -> dict:
    return {u["unit_code"]: (u["reported"], u["returned"], u["late"], u["revision"]) for u in status["units"]}


def test_a_burst_of_versions_in_any_order_leaves_the_newest(db):
    versions = [issued()] + [amended(v, [f"U{n}" for n in range(v % 3 + 2)]) for v in range(2, 31)]
    random.Random(20261120).shuffle(versions)  # seeded: the same order in every run
    assert all(feed(db, *versions))
    status = year_status(db)
    assert status["plan_version"] == 30 and [u["unit_code"] for u in status["units"]] == ["U0", "U1"]


def test_an_older_version_consumed_after_a_newer_one_changes_nothing(db):
    feed(db, amended(2, ["VHXH", "KT"]), issued())
    status = year_status(db)
    assert (status["plan_version"], [u["unit_code"] for u in status["units"]]) == (2, ["KT", "VHXH"])
    assert status["report_deadline"] == "2026-11-20"


def test_the_same_event_delivered_twice_is_applied_once(db):
    _, body = wire(issued())
    assert db.deliver(ReportingService, body) is True
    assert db.deliver(ReportingService, body) is False


def test_a_revision_consumed_before_the_first_submission_keeps_the_first_ones_lateness(db):
    """Found by this tier: submitted.v1 and revised.v1 travel on separate queues; a late correction consumed
    first made the unit late, and the on-time first submission consumed after it was dropped."""
    feed(db, issued(), submitted("VHXH", revision=2, at=LATE), submitted("VHXH", revision=1, at=ON_TIME))
    assert unit_rows(year_status(db))["VHXH"] == (True, False, False, 2)


REPORTS = [submitted("VHXH", 1), submitted("VHXH", 2, at=LATE), returned("TYT", 1), submitted("TYT", 1),
           submitted("THON-DONG", 1, at=LATE)]


@pytest.mark.parametrize("order", list(permutations(range(len(REPORTS))))[::7])  # 18 of the 120 orders
def test_reports_in_any_order_give_the_same_status(db, order):
    feed(db, issued(), *(REPORTS[i] for i in order))
    assert unit_rows(year_status(db)) == {"VHXH": (True, False, False, 2), "TYT": (False, True, False, 1),
                                          "THON-DONG": (True, False, True, 1)}


def test_a_return_of_an_earlier_revision_does_not_send_back_the_current_one(db):
    feed(db, issued(), submitted("VHXH", 1), returned("VHXH", 1), submitted("VHXH", 2))
    assert unit_rows(year_status(db))["VHXH"] == (True, False, False, 2)
    feed(db, returned("VHXH", 2))
    assert unit_rows(year_status(db))["VHXH"] == (False, True, False, 2)
    assert year_status(db)["counts"] == {"expected": 3, "reported": 0, "missing": 3, "late": 0, "returned": 1}


def test_reports_count_only_for_the_plan_they_were_submitted_under(db):
    replacement = uuid.UUID("7a0c8f4e-0000-4000-8000-000000000002")
    feed(db, issued(), submitted("VHXH"),
         plan_issued(COMMUNE, ["VHXH", "TYT"], plan_id=replacement, issued_at=ISSUED + dt.timedelta(days=30)))
    status = year_status(db)  # the plan issued last defines the year, though the first is not closed yet
    assert status["plan_id"] == str(replacement) and unit_rows(status)["VHXH"][0] is False
    feed(db, PlanClosed(plan_id=replacement, commune_code=COMMUNE, year=2026, closed_at=NOW_CLOSED),
         PlanClosed(plan_id=PLAN, commune_code=COMMUNE, year=2026, closed_at=NOW_CLOSED))
    status = year_status(db)  # all closed: the one issued last, marked closed, stays readable
    assert (status["plan_id"], status["plan_status"]) == (str(replacement), "closed")


def test_a_unit_dissolved_before_the_deadline_is_not_expected_unless_it_reported(db):
    dissolved = [UnitDissolved(commune_code=COMMUNE, unit_code=code, active_to=dt.date(2026, 9, 30))
                 for code in ("TYT", "THON-DONG")]
    feed(db, *dissolved, at=ISSUED)  # before the plan's own events: kept as a fact of the directory
    feed(db, issued(), submitted("THON-DONG"))
    assert sorted(unit_rows(year_status(db))) == ["THON-DONG", "VHXH"]
    later = UnitDissolved(commune_code=COMMUNE, unit_code="TYT", active_to=dt.date(2026, 12, 31))
    feed(db, later, at=NOW_CLOSED)  # a later decision: TYT exists until after the deadline
    assert sorted(unit_rows(year_status(db))) == ["THON-DONG", "TYT", "VHXH"]


def test_an_escalation_consumed_before_its_report_counts_once_with_the_reports_consent(db):
    facts = dict(case_code="VV26-ABCDEFGH", commune_code=COMMUNE, case_type="domestic_violence_physical",
                 risk_level="critical", status="escalated")
    escalation = CaseEscalated(**facts, escalated_to="commune_police", escalated_at=ON_TIME,
                               referral_id=uuid.uuid4(), referral_status="pending", status_changed_at=ON_TIME)
    report = CaseReported(**{**facts, "status": "reported"}, intake_channel="village_head",
                          reported_at=ON_TIME - dt.timedelta(hours=3), statistics_consent=True)
    feed(db, escalation, report)
    assert year_status(db)["cases"] == {"recorded": 1, "escalated": 1}
    assert year_status(db, province=True)["cases"] == {"recorded": {"value": None, "suppressed": True},
                                                       "escalated": {"value": None, "suppressed": True}}
    feed(db, CaseReported(**{**facts, "case_code": "VV26-NOCONSNT", "status": "reported"},
                          intake_channel="hotline", reported_at=ON_TIME, statistics_consent=False))
    assert year_status(db)["cases"] == {"recorded": 1, "escalated": 1}  # not counted without consent


@pytest.mark.parametrize("order", ["report_first", "change_first"])
def test_a_later_change_of_consent_is_followed_whatever_order_the_events_come_in(db, order):
    """Issue 9: reporting recounts when a victim withdraws (or gives) consent to statistics."""
    facts = dict(case_code="VV26-CONSENT1", commune_code=COMMUNE, case_type="domestic_violence_physical",
                 risk_level="high", status="reported")
    report = CaseReported(**facts, intake_channel="village_head", reported_at=ON_TIME, statistics_consent=True,
                          statistics=StatisticsFacts(gbvims_type="physical_assault", victim_sex="female",
                                                     victim_age_band="25-59"))
    withdrawn = CaseStatisticsConsentChanged(**facts, statistics_consent=False,
                                             changed_at=ON_TIME + dt.timedelta(days=1))
    feed(db, *((report, withdrawn) if order == "report_first" else (withdrawn, report)))
    assert year_status(db)["cases"]["recorded"] == 0
    given = CaseStatisticsConsentChanged(**facts, statistics_consent=True, changed_at=ON_TIME + dt.timedelta(days=2),
                                         statistics=StatisticsFacts(gbvims_type="physical_assault",
                                                                    victim_sex="female", victim_age_band="25-59"))
    stale = CaseStatisticsConsentChanged(**facts, statistics_consent=False, changed_at=ON_TIME + dt.timedelta(hours=1))
    feed(db, given, stale)  # an older change consumed late does not undo the newer one
    assert year_status(db)["cases"]["recorded"] == 1


def test_a_batch_of_events_leaves_what_the_same_events_one_by_one_leave(db, migrated_templates, tmp_path):
    """projections.apply_many (the rebuild's and the benchmark's path) recounts each summary once at the end of
    the batch: the projections and summaries equal those of a consumer applying the events one at a time."""
    events = season(COMMUNE, units=6, tasks=8, indicators=4, cases=14, seed=3).events
    feed(db, *events)
    batched = migrated_templates.fresh("services.reporting:migrations", tmp_path / "batched.db")
    with batched.transaction() as session:
        projections.apply_many(session, [decode_event(wire(data)[1], registry.for_model(type(data)).name)
                                         for data in events])
    assert projection_state(batched.runner) == projection_state(db.runner)
    batched.close()


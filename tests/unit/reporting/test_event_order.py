"""Replicas and separate queues deliver one aggregate's events in any order: reporting compares the
revisions and the times the producer gives, never the order of arrival. Every order of a unit report's
revisions, and of a case's transitions, gives the same projection."""
import datetime as dt
import uuid
from itertools import permutations

import pytest

from services.common.events.contracts import (
    CaseEscalated,
    CaseMeasureRecorded,
    CaseReferred,
    CaseReported,
    CaseStatisticsConsentChanged,
    ReportedTask,
    StatisticsFacts,
)
from services.reporting.models import CaseFact, CaseMeasure, CaseReferral, UnitSubmission
from tests.unit.reporting.conftest import COMMUNE, LATE, ON_TIME, PLAN, feed, issued, submitted, year_status


def revision(number: int):
    """Revision `number` of VHXH's report, on time only the first: each says something else about TC-1.1."""
    event = submitted("VHXH", number, at=ON_TIME if number == 1 else LATE + dt.timedelta(days=number))
    return event.model_copy(update={"tasks": [ReportedTask(task_code="TC-1.1", status="done",
                                                           summary=f"Lần nộp {number}")]})


REVISIONS = [revision(n) for n in range(1, 5)]


@pytest.mark.parametrize("order", list(permutations(range(len(REVISIONS)))))
def test_a_unit_reports_revisions_in_any_order_leave_the_last_revision_and_the_first_ones_time(db, order):
    feed(db, issued(), *(REVISIONS[i] for i in order))
    with db.transaction() as session:
        row = session.get(UnitSubmission, (str(PLAN), "VHXH"))
        assert row is not None
        assert (row.revision, row.tasks[0]["summary"]) == (4, "Lần nộp 4")
        assert (row.first_submitted_at, row.late) == (ON_TIME, False)
    unit = next(u for u in year_status(db)["units"] if u["unit_code"] == "VHXH")
    assert (unit["revision"], unit["late"]) == (4, False)


CASE = dict(case_code="VV26-ORDERABC", commune_code=COMMUNE, case_type="domestic_violence_physical",
            risk_level="critical")
REFERRAL, ESCALATION, ORDER = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
T0 = ON_TIME


def at(hours: int) -> dt.datetime:
    return T0 + dt.timedelta(hours=hours)


STATISTICS = StatisticsFacts(gbvims_type="physical_assault", victim_sex="female", victim_age_band="25-59")
TRANSITIONS = [
    CaseReported(**CASE, status="reported", intake_channel="hotline", reported_at=T0, urgent=True,
                 statistics_consent=True, statistics=STATISTICS),
    CaseEscalated(**CASE, status="escalated", escalated_to="commune_police", escalated_at=at(1),
                  referral_id=ESCALATION, referral_status="pending", status_changed_at=at(1)),
    CaseEscalated(**CASE, status="escalated", escalated_to="commune_police", escalated_at=at(1),
                  referral_id=ESCALATION, referral_status="accepted", status_changed_at=at(3)),
    CaseReferred(**CASE, status="supporting", referred_to="social_work_centre", referred_at=at(2),
                 referral_id=REFERRAL, referral_status="pending", status_changed_at=at(2), consent_override=False),
    CaseReferred(**CASE, status="supporting", referred_to="social_work_centre", referred_at=at(2),
                 referral_id=REFERRAL, referral_status="done", status_changed_at=at(5), consent_override=False),
    CaseMeasureRecorded(**CASE, status="supporting", measure_id=ORDER, kind="no_contact_order", decision=None,
                        recorded_at=at(1), status_changed_at=at(1)),
    CaseMeasureRecorded(**CASE, status="supporting", measure_id=ORDER, kind="no_contact_order", decision="granted",
                        recorded_at=at(1), status_changed_at=at(4)),
    CaseStatisticsConsentChanged(**CASE, status="supporting", statistics_consent=False, changed_at=at(6)),
]


@pytest.mark.parametrize("order", list(permutations(range(len(TRANSITIONS))))[::1009])  # 40 of the 40,320 orders
def test_a_cases_transitions_in_any_order_give_its_latest_state(db, order):
    feed(db, issued(), *(TRANSITIONS[i] for i in order))
    with db.transaction() as session:
        fact = session.get(CaseFact, CASE["case_code"])
        assert fact is not None
        assert (fact.reported_at, fact.escalated_at, fact.counted, fact.victim_sex) == (T0, at(1), False, None)
        referrals = {r.referral_id: r.status for r in session.query(CaseReferral)}
        assert referrals == {str(ESCALATION): "accepted", str(REFERRAL): "done"}
        measure = session.get(CaseMeasure, str(ORDER))
        assert measure is not None and measure.decision == "granted"
    assert year_status(db)["cases"] == {"recorded": 0, "escalated": 0}  # consent withdrawn: not counted

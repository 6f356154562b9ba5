from datetime import UTC, datetime, timedelta

import pytest

from services.cases.timers import (
    TimerPolicy,
    check_no_contact_period,
    no_contact_decision_due,
    no_contact_latest_end,
    verification_due,
)
from services.common.clock import VIETNAM
from services.common.events.contracts import RiskLevel

REPORTED = datetime(2026, 3, 10, 22, 0, tzinfo=VIETNAM)  # 15:00 UTC
POLICY = TimerPolicy.from_config({})


@pytest.mark.parametrize("risk,hours", [
    (RiskLevel.CRITICAL, 2), (RiskLevel.HIGH, 12), (RiskLevel.MEDIUM, 48), (RiskLevel.LOW, 72)])
def test_verification_is_due_after_the_default_hours_of_its_risk_level(risk, hours):
    due = verification_due(REPORTED, risk, POLICY)
    assert due == REPORTED + timedelta(hours=hours)
    assert due.utcoffset() == timedelta(0)  # returned in UTC


def test_risk_levels_given_as_strings_are_accepted():
    assert verification_due(REPORTED, "critical", POLICY) == datetime(2026, 3, 10, 17, 0, tzinfo=UTC)


def test_no_contact_decision_within_12_hours_and_measure_of_at_most_3_days():
    assert no_contact_decision_due(REPORTED, POLICY) == datetime(2026, 3, 11, 3, 0, tzinfo=UTC)
    assert no_contact_latest_end(REPORTED, POLICY) == REPORTED + timedelta(days=3)


def test_a_no_contact_period_of_exactly_the_maximum_is_allowed():
    check_no_contact_period(REPORTED, REPORTED + timedelta(days=3), POLICY)
    check_no_contact_period(REPORTED, REPORTED + timedelta(hours=1), POLICY)


def test_a_no_contact_period_longer_than_the_maximum_is_refused_in_vietnamese():
    with pytest.raises(ValueError, match="Mỗi lần cấm tiếp xúc không được quá 3 ngày."):
        check_no_contact_period(REPORTED, REPORTED + timedelta(days=3, seconds=1), POLICY)


@pytest.mark.parametrize("length", [timedelta(0), timedelta(hours=-1)])
def test_a_no_contact_period_must_end_after_it_starts(length):
    with pytest.raises(ValueError, match="phải sau thời điểm bắt đầu"):
        check_no_contact_period(REPORTED, REPORTED + length, POLICY)


def test_comparisons_hold_across_time_zones():
    ends_in_utc = (REPORTED + timedelta(days=3)).astimezone(UTC)
    check_no_contact_period(REPORTED, ends_in_utc, POLICY)
    with pytest.raises(ValueError):
        check_no_contact_period(REPORTED, ends_in_utc + timedelta(minutes=1), POLICY)


NAIVE = datetime(2026, 3, 10, 22, 0)


@pytest.mark.parametrize("call", [
    lambda: verification_due(NAIVE, RiskLevel.LOW, POLICY),
    lambda: no_contact_decision_due(NAIVE, POLICY),
    lambda: no_contact_latest_end(NAIVE, POLICY),
    lambda: check_no_contact_period(NAIVE, REPORTED, POLICY),
    lambda: check_no_contact_period(REPORTED, NAIVE, POLICY),
])
def test_naive_datetimes_are_refused(call):
    with pytest.raises(ValueError, match="timezone-aware"):
        call()


def test_an_empty_configuration_gives_the_defaults():
    assert TimerPolicy.from_config({"CASES_VERIFICATION_HOURS": "", "OTHER": "x"}) == POLICY
    assert POLICY.verification_hours == {
        RiskLevel.CRITICAL: 2, RiskLevel.HIGH: 12, RiskLevel.MEDIUM: 48, RiskLevel.LOW: 72}
    assert (POLICY.no_contact_decision_hours, POLICY.no_contact_max_days) == (12, 3)


def test_configuration_is_read_from_strings():
    policy = TimerPolicy.from_config({
        "CASES_VERIFICATION_HOURS": " critical=1, high=6 ,medium=24,low=48 ",
        "CASES_NO_CONTACT_DECISION_HOURS": "8",
        "CASES_NO_CONTACT_MAX_DAYS": "2",
    })
    assert policy.verification_hours == {
        RiskLevel.CRITICAL: 1, RiskLevel.HIGH: 6, RiskLevel.MEDIUM: 24, RiskLevel.LOW: 48}
    assert verification_due(REPORTED, RiskLevel.HIGH, policy) == REPORTED + timedelta(hours=6)
    assert no_contact_decision_due(REPORTED, policy) == REPORTED + timedelta(hours=8)
    with pytest.raises(ValueError, match="không được quá 2 ngày"):
        check_no_contact_period(REPORTED, REPORTED + timedelta(days=3), policy)


def test_levels_left_out_of_the_configuration_keep_their_defaults():
    policy = TimerPolicy.from_config({"CASES_VERIFICATION_HOURS": "critical=1"})
    assert policy.verification_hours[RiskLevel.CRITICAL] == 1
    assert policy.verification_hours[RiskLevel.LOW] == 72


@pytest.mark.parametrize("config,message", [
    ({"CASES_VERIFICATION_HOURS": "critical=two"}, "CASES_VERIFICATION_HOURS"),
    ({"CASES_VERIFICATION_HOURS": "urgent=1"}, "unknown risk level 'urgent'"),
    ({"CASES_VERIFICATION_HOURS": "critical"}, "must look like"),
    ({"CASES_VERIFICATION_HOURS": "critical=1,,low=72"}, "must look like"),
    ({"CASES_VERIFICATION_HOURS": "critical=0"}, "at least 1"),
    ({"CASES_VERIFICATION_HOURS": "critical=1,critical=2"}, "given twice"),
    ({"CASES_VERIFICATION_HOURS": "critical=24"}, "critical .* exceed"),  # more time than high (12)
    ({"CASES_NO_CONTACT_DECISION_HOURS": "12h"}, "CASES_NO_CONTACT_DECISION_HOURS"),
    ({"CASES_NO_CONTACT_MAX_DAYS": "three"}, "CASES_NO_CONTACT_MAX_DAYS"),
    ({"CASES_NO_CONTACT_MAX_DAYS": "0"}, "CASES_NO_CONTACT_MAX_DAYS must be at least 1"),
])
def test_malformed_configuration_is_refused_with_a_clear_message(config, message):
    with pytest.raises(ValueError, match=message):
        TimerPolicy.from_config(config)


def test_a_policy_must_give_every_level_a_time():
    with pytest.raises(ValueError, match="missing"):
        TimerPolicy(verification_hours={RiskLevel.CRITICAL: 2}, no_contact_decision_hours=12,
                    no_contact_max_days=3)



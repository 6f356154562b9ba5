from datetime import UTC, date, datetime

import pytest

from services.cases import rules as case_rules
from services.common.errors import Conflict, Unprocessable
from services.common.suppression import protected_count
from services.plans import rules as plan_rules


def test_a_report_is_late_from_the_deadline_day_in_vietnam_time():
    deadline = date(2026, 11, 20)
    assert not plan_rules.is_late(deadline, datetime(2026, 11, 19, 16, 59, tzinfo=UTC))  # 23:59 ICT 19/11
    assert plan_rules.is_late(deadline, datetime(2026, 11, 19, 17, 0, tzinfo=UTC))  # 00:00 ICT 20/11


def test_reports_only_on_assigned_tasks_once():
    plan_rules.check_report_tasks(["II.1"], ["II.1", "II.2"])
    with pytest.raises(Unprocessable):
        plan_rules.check_report_tasks(["II.3"], ["II.1"])
    with pytest.raises(Unprocessable):
        plan_rules.check_report_tasks(["II.1", "II.1"], ["II.1"])


def test_plan_lifecycle_guards():
    plan_rules.check_can_issue("draft")
    with pytest.raises(Conflict):
        plan_rules.check_can_issue("issued")
    with pytest.raises(Conflict):
        plan_rules.check_accepts_reports("draft")


def test_case_codes_are_pseudonymous_and_unpredictable():
    codes = {case_rules.new_case_code(2026) for _ in range(200)}
    assert len(codes) == 200
    assert all(code.startswith("VV26-") and len(code) == 13 for code in codes)


def test_closed_cases_cannot_be_escalated():
    case_rules.check_transition("reported", case_rules.CaseStatus.ESCALATED)
    with pytest.raises(Conflict):
        case_rules.check_transition("closed", case_rules.CaseStatus.ESCALATED)


@pytest.mark.parametrize("count,shown", [(0, 0), (1, None), (4, None), (5, 5), (17, 17)])
def test_small_counts_are_suppressed(count, shown):
    assert protected_count(count)["value"] == shown
    assert protected_count(count)["suppressed"] == (shown is None)

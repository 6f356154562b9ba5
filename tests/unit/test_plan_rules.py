"""Pure rules of plans: document checks, unit resolution, indicator values, version differences."""
import datetime as dt

import pytest

from services.common.errors import Unprocessable
from services.plans import diff, rules
from services.plans.document import PlanDocument, UnitType
from services.plans.schemas import IndicatorValueIn
from services.plans.units import DirectoryUnit
from tests.support.plan_documents import document


def test_report_deadline_comes_from_the_obligation_unless_given():
    doc = PlanDocument.model_validate(document())
    assert rules.report_deadline(doc, 2026, None) == dt.date(2026, 11, 20)
    assert rules.report_deadline(doc, 2026, dt.date(2026, 12, 1)) == dt.date(2026, 12, 1)
    no_obligation = doc.model_copy(update={"reporting": None})
    with pytest.raises(Unprocessable):
        rules.report_deadline(no_obligation, 2026, None)
    impossible = PlanDocument.model_validate(document(due_day=31, due_month=11))
    with pytest.raises(Unprocessable):
        rules.report_deadline(impossible, 2026, None)


def test_task_codes_are_unique_across_the_plan():
    raw = document()
    raw["organisation"][1]["tasks"][0]["code"] = "TC-1.2"
    with pytest.raises(Unprocessable) as error:
        rules.check_document(PlanDocument.model_validate(raw))
    assert error.value.fields[0]["field"] == "document.organisation.1.tasks.0.code"


def test_units_must_exist_and_be_active_in_the_plan_year():
    doc = PlanDocument.model_validate(document())
    directory = {
        "VHXH": DirectoryUnit("VHXH", "Phòng Văn hoá - Xã hội", UnitType.DEPARTMENT),
        "TYT": DirectoryUnit("TYT", "Trạm y tế", UnitType.HEALTH_STATION),
        "THON-DONG": DirectoryUnit("THON-DONG", "Thôn Đông", UnitType.VILLAGE, active_to=dt.date(2025, 12, 31)),
        "THON-DOAI": DirectoryUnit("THON-DOAI", "Thôn Đoài", UnitType.VILLAGE, active_from=dt.date(2026, 7, 1)),
    }
    with pytest.raises(Unprocessable) as error:
        rules.check_units_resolved(doc, directory, 2026)
    assert [f["field"] for f in error.value.fields] == ["document.organisation.2.unit_codes.0"]
    directory["THON-DONG"] = DirectoryUnit("THON-DONG", "Thôn Đông", UnitType.VILLAGE)
    rules.check_units_resolved(doc, directory, 2026)  # a unit founded mid-year still reports


def test_assigned_tasks_cover_every_unit_of_a_group():
    doc = PlanDocument.model_validate(document())
    assert doc.assigned_tasks()["THON-DOAI"] == ["TC-3.1"]


ALLOWED = {"BY-SEX": {"sex_disaggregated": True, "value_type": "count"},
           "RATE": {"sex_disaggregated": False, "value_type": "percent"},
           "DONE": {"sex_disaggregated": False, "value_type": "boolean"}}


@pytest.mark.parametrize("value,field", [
    ({"indicator_code": "BY-SEX", "value": 3}, "indicator_values.0.value"),
    ({"indicator_code": "BY-SEX", "female": 3}, "indicator_values.0.male"),
    ({"indicator_code": "RATE", "female": 3, "male": 2}, "indicator_values.0.female"),
    ({"indicator_code": "RATE", "value": 130}, "indicator_values.0.value"),
    ({"indicator_code": "RATE", "value": -1}, "indicator_values.0.value"),
    ({"indicator_code": "BY-SEX", "female": 1.5, "male": 2}, "indicator_values.0.female"),
    ({"indicator_code": "DONE", "value": 2}, "indicator_values.0.value"),
    ({"indicator_code": "OTHER", "value": 1}, "indicator_values.0.indicator_code"),
])
def test_indicator_values_must_fit_the_indicator(value, field):
    with pytest.raises(Unprocessable) as error:
        rules.check_indicator_values([IndicatorValueIn(**value)], ALLOWED)
    assert field in {f["field"] for f in error.value.fields}


def test_good_indicator_values_pass():
    rules.check_indicator_values([IndicatorValueIn(indicator_code="BY-SEX", female=3, male=2),
                                  IndicatorValueIn(indicator_code="RATE", value=62.5),
                                  IndicatorValueIn(indicator_code="DONE", value=1)], ALLOWED)


def test_diff_names_added_removed_and_changed_paths():
    before = {"document": {"title": "A", "tasks": [{"code": "1"}]}, "report_deadline": "2026-11-20"}
    after = {"document": {"title": "B", "tasks": [{"code": "1"}, {"code": "2"}]}, "report_deadline": "2026-11-20",
             "extra": 1}
    changes = diff.diff(before, after)
    assert changes == [
        {"path": "document.title", "kind": "changed", "before": "A", "after": "B"},
        {"path": "document.tasks.1", "kind": "added", "before": None, "after": {"code": "2"}},
        {"path": "extra", "kind": "added", "before": None, "after": 1},
    ]
    assert diff.changed_parts(changes) == ["document.title", "document.tasks", "extra"]
    assert diff.diff(before, before) == []


def test_lock_message_says_why_and_when():
    message = rules.lock_message(2026, dt.datetime(2026, 12, 1, 2, 30, tzinfo=dt.UTC))
    assert "01/12/2026" in message and "09:30" in message and "khoá" in message

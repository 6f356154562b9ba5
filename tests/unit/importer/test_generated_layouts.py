"""Plans rendered in layouts nobody wrote by hand (tests/support/plan_generator.py) import back into
the plan they were rendered from.

CI runs the `ci` Hypothesis profile (derandomized, so every run tries the same examples);
`HYPOTHESIS_PROFILE=thorough ./dev test tests/unit/importer/test_generated_layouts.py` tries many more.
Every failure found becomes a named example in test_layouts.py.
"""
import os

from hypothesis import HealthCheck, given, settings

from services.plans.importer import import_file
from services.plans.importer.importer import ImportOptions, ReferenceIndicator
from tests.support import plan_generator
from tests.support.plan_generator import Layout, expected_tasks, layouts, plans, render

PROFILES = {
    "ci": settings(max_examples=150, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]),
    "thorough": settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow]),
}
DIRECTORY = plan_generator.directory()
INDICATORS = [ReferenceIndicator(code=code, name=name, unit_of_measure=unit)
              for code, name, unit in plan_generator.REFERENCE_INDICATORS]


def import_rendering(document, layout: Layout):
    filename, data = render(document, layout)
    options = ImportOptions(directory=DIRECTORY, indicators=INDICATORS)
    return import_file(filename, data, **options.as_arguments())


def assert_imports_back(document, expected, layout: Layout) -> None:
    result = import_rendering(document, layout)
    imported = result.document
    assert [w.code for w in result.warnings] == list(expected.warning_codes), result.warnings
    assert (imported.locality_type, imported.locality_name, imported.issuing_body) == (
        document.locality_type, document.locality_name, document.issuing_body)
    assert (imported.reference.number, imported.reference.date) == (document.reference.number,
                                                                    document.reference.date)
    assert [(u.unit_codes, u.role, u.is_group) for u in imported.organisation] == [
        (u.unit_codes, u.role, u.is_group) for u in document.organisation]
    assert [[t.text for t in u.tasks] for u in imported.organisation] == expected_tasks(document, layout)
    assert [[t.sub_items for t in u.tasks if t.sub_items] for u in imported.organisation] == [
        [t.sub_items for t in u.tasks if t.sub_items] for u in document.organisation]
    assert [[t.text for t in a.tasks] for a in imported.content_areas] == [
        [t.text for t in a.tasks] for a in document.content_areas]
    reporting = imported.reporting
    assert reporting is not None
    assert (reporting.due_day, reporting.due_month, reporting.due_year, reporting.periodic,
            reporting.recurring_yearly) == (document.reporting.due_day, document.reporting.due_month,
                                            document.reporting.due_year, document.reporting.periodic,
                                            document.reporting.recurring_yearly)
    assert result.report_deadline == expected.report_deadline
    assert [(t.value, t.unit_of_measure, t.baseline, t.baseline_year, t.indicator_code)
            for t in imported.targets] == [(t.value, t.unit_of_measure, t.baseline, t.baseline_year,
                                            t.indicator_code) for t in document.targets]
    assert imported.funding.amounts == document.funding.amounts
    assert imported.key_dates == document.key_dates
    assert imported.signature == document.signature
    assert imported.recipients == document.recipients


@settings(PROFILES[os.environ.get("HYPOTHESIS_PROFILE", "ci")])
@given(plans(), layouts())
def test_a_generated_plan_imports_back_into_itself(plan, layout):
    document, expected = plan
    assert_imports_back(document, expected, layout)

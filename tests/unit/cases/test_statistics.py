from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from services.cases.gbvims import GbvimsType
from services.cases.rules import CaseStatus
from services.cases.statistics import AGE_BANDS, CaseRecord, age_band, compute
from services.common.clock import VIETNAM
from services.common.events.contracts import CaseType, IntakeChannel

MARCH: dict[str, Any] = {"start": date(2026, 3, 1), "end": date(2026, 3, 31)}
IN_MARCH = datetime(2026, 3, 10, 3, 0, tzinfo=UTC)
EXACT: dict[str, Any] = {"suppress_below": 1}  # no suppression: to test the counting on its own


def record(**changes) -> CaseRecord:
    values = dict(case_type="domestic_violence_physical", status="reported", intake_channel="village_head", age=30,
                  support_services=(), statistics_consent=True, reported_at=IN_MARCH, commune_code="00001")
    return CaseRecord(**{**values, **changes})


def many(count: int, **changes) -> list[CaseRecord]:
    return [record(**changes) for _ in range(count)]


def shown(value: int) -> dict:
    return {"value": value, "suppressed": False}


HIDDEN = {"value": None, "suppressed": True}


def values(cells: dict) -> dict:
    return {key: cell["value"] for key, cell in cells.items()}


def test_empty_input_gives_zeros_everywhere_and_hides_nothing():
    result = compute([], **MARCH)
    assert result["period"] == {"start": "2026-03-01", "end": "2026-03-31", "timezone": "Asia/Ho_Chi_Minh"}
    assert result["total"] == shown(0)
    assert result["by_case_type"] == {t.value: shown(0) for t in CaseType}
    assert result["by_gbvims_type"] == {t.value: shown(0) for t in GbvimsType}
    assert result["by_status"] == {s.value: shown(0) for s in CaseStatus}
    assert result["by_intake_channel"] == {c.value: shown(0) for c in IntakeChannel}
    assert result["by_age_band"] == {band: shown(0) for band in AGE_BANDS}
    assert result["by_support_service"] == {}


def test_only_cases_with_consent_to_statistics_are_counted():
    records = many(5) + many(3, statistics_consent=False, case_type="trafficking")
    result = compute(records, **MARCH)
    assert result["total"] == shown(5)
    assert result["by_case_type"]["trafficking"] == shown(0)


def test_the_period_runs_from_local_midnight_to_local_midnight():
    records = [
        # 23:59:59 on 28 February in Vietnam
        record(reported_at=datetime(2026, 2, 28, 16, 59, 59, tzinfo=UTC), case_type="trafficking"),
        record(reported_at=datetime(2026, 2, 28, 17, 0, tzinfo=UTC)),  # 00:00 1/3 in Vietnam
        record(reported_at=datetime(2026, 3, 31, 23, 59, 59, tzinfo=VIETNAM)),
        record(reported_at=datetime(2026, 3, 31, 17, 0, tzinfo=UTC), case_type="trafficking"),  # 00:00 1/4
    ]
    result = compute(records, **MARCH, **EXACT)
    assert result["total"] == shown(2)
    assert result["by_case_type"]["trafficking"] == shown(0)  # the breakdowns count the same records
    assert compute(records, start=date(2026, 3, 1), end=date(2026, 3, 1), **EXACT)["total"] == shown(1)


def test_by_case_type_and_by_gbvims_type():
    records = (many(2, case_type="trafficking") + many(3, case_type="illegal_marriage_brokering")
               + many(4, case_type="sexual_harassment") + many(1, case_type="domestic_violence_economic"))
    result = compute(records, **MARCH, **EXACT)
    assert values(result["by_case_type"]) == {t.value: 0 for t in CaseType} | {
        "trafficking": 2, "illegal_marriage_brokering": 3, "sexual_harassment": 4, "domestic_violence_economic": 1}
    assert values(result["by_gbvims_type"]) == {t.value: 0 for t in GbvimsType} | {
        "forced_marriage": 5, "psychological_abuse": 4, "denial_of_resources": 1}


def test_by_status_and_by_intake_channel():
    records = many(2, status="verifying", intake_channel="hotline") + many(1, status="closed", intake_channel="school")
    result = compute(records, **MARCH, **EXACT)
    assert values(result["by_status"]) == {s.value: 0 for s in CaseStatus} | {"verifying": 2, "closed": 1}
    assert values(result["by_intake_channel"]) == {c.value: 0 for c in IntakeChannel} | {"hotline": 2, "school": 1}


@pytest.mark.parametrize("age,band", [
    (0, "0-11"), (11, "0-11"), (12, "12-17"), (17, "12-17"), (18, "18-24"), (24, "18-24"),
    (25, "25-59"), (59, "25-59"), (60, "60+"), (104, "60+"), (None, "unknown")])
def test_age_bands_and_their_bounds(age, band):
    assert age_band(age) == band
    result = compute([record(age=age)], **MARCH, **EXACT)
    assert values(result["by_age_band"]) == {b: 0 for b in AGE_BANDS} | {band: 1}


def test_a_negative_age_is_an_error():
    with pytest.raises(ValueError):
        age_band(-1)


def test_support_services_count_cases_once_per_service():
    records = [record(support_services=("health", "legal")), record(support_services=("legal", "legal")),
               record(support_services=())]
    result = compute(records, **MARCH, **EXACT)
    assert values(result["by_support_service"]) == {"health": 1, "legal": 2}


@pytest.mark.parametrize("count,cell", [(0, shown(0)), (1, HIDDEN), (4, HIDDEN), (5, shown(5)), (17, shown(17))])
def test_small_totals_are_suppressed(count, cell):
    assert compute(many(count), **MARCH)["total"] == cell


def test_a_suppressed_total_hides_every_small_cell_and_adds_no_secondary_suppression():
    result = compute(many(3) + many(1, case_type="sexual_abuse"), **MARCH)
    assert result["total"] == HIDDEN
    assert result["by_case_type"]["domestic_violence_physical"] == HIDDEN
    assert result["by_case_type"]["sexual_abuse"] == HIDDEN
    assert result["by_case_type"]["trafficking"] == shown(0)


def test_the_threshold_is_a_parameter():
    assert compute(many(7), **MARCH, suppress_below=10)["total"] == HIDDEN
    assert compute(many(7), **MARCH, suppress_below=7)["total"] == shown(7)


def test_one_hidden_cell_hides_the_next_smallest_non_zero_cell_too():
    # physical 20, psychological 6, economic 3: economic alone hidden would be 29 - 20 - 6 = 3.
    records = (many(20) + many(6, case_type="domestic_violence_psychological")
               + many(3, case_type="domestic_violence_economic"))
    by_type = compute(records, **MARCH)["by_case_type"]
    assert by_type["domestic_violence_economic"] == HIDDEN  # primary
    assert by_type["domestic_violence_psychological"] == HIDDEN  # secondary: the smallest cell still shown
    assert by_type["domestic_violence_physical"] == shown(20)
    assert by_type["trafficking"] == shown(0)  # zeros are smaller but protect nothing: left shown


def test_secondary_suppression_happens_in_each_breakdown_on_its_own():
    records = many(20, age=30, intake_channel="hotline") + many(6, age=40, intake_channel="school") + \
        many(2, age=8, intake_channel="school")
    result = compute(records, **MARCH)
    assert result["total"] == shown(28)
    assert values(result["by_age_band"]) == {"0-11": None, "12-17": 0, "18-24": 0, "25-59": None, "60+": 0,
                                             "unknown": 0}
    assert result["by_intake_channel"]["hotline"] == shown(20)  # no small cell there: nothing hidden
    assert result["by_intake_channel"]["school"] == shown(8)
    # the GBVIMS breakdown is computed from the same records: one cell, the total, nothing hidden
    assert result["by_gbvims_type"]["physical_assault"] == shown(28)


def test_two_hidden_cells_of_an_ambiguous_sum_need_no_secondary_suppression():
    # 2 + 3 = 5 hidden: 1 + 4, 2 + 3, 3 + 2 or 4 + 1; cannot be told apart.
    records = (many(20) + many(2, case_type="domestic_violence_psychological")
               + many(3, case_type="domestic_violence_economic"))
    by_type = compute(records, **MARCH)["by_case_type"]
    assert by_type["domestic_violence_psychological"] == HIDDEN
    assert by_type["domestic_violence_economic"] == HIDDEN
    assert by_type["domestic_violence_physical"] == shown(20)


@pytest.mark.parametrize("each", [1, 4])  # two hidden cells summing to 2 are both 1; summing to 8, both 4
def test_hidden_cells_that_can_be_solved_from_their_sum_hide_one_more(each):
    records = (many(20) + many(9, case_type="sexual_abuse") + many(each, case_type="domestic_violence_psychological")
               + many(each, case_type="domestic_violence_economic"))
    by_type = compute(records, **MARCH)["by_case_type"]
    assert by_type["domestic_violence_psychological"] == HIDDEN
    assert by_type["domestic_violence_economic"] == HIDDEN
    assert by_type["sexual_abuse"] == HIDDEN  # secondary
    assert by_type["domestic_violence_physical"] == shown(20)


def test_support_services_get_primary_suppression_only():
    # Cases receive several services or none: the cells do not add up to the total, nothing to subtract.
    records = many(18, support_services=("legal",)) + many(2, support_services=("health", "legal"))
    result = compute(records, **MARCH)
    assert result["by_support_service"] == {"health": HIDDEN, "legal": shown(20)}


def test_no_hidden_cell_can_be_recovered_by_subtraction():
    """Whatever the counts, a breakdown never has exactly one hidden cell next to a shown total."""
    sizes = [(20, 3), (30, 7, 1), (6, 6, 2), (50, 5, 4, 1), (5, 1), (12, 1, 1, 1)]
    kinds = list(CaseType)
    for counts in sizes:
        records = [r for kind, count in zip(kinds, counts, strict=False) for r in many(count, case_type=kind.value)]
        result = compute(records, **MARCH)
        for name in ("by_case_type", "by_gbvims_type", "by_status", "by_intake_channel", "by_age_band"):
            hidden = [cell for cell in result[name].values() if cell["suppressed"]]
            assert len(hidden) != 1 or result["total"]["suppressed"], (counts, name)


def test_invalid_input_is_refused():
    with pytest.raises(ValueError):
        compute([], start=date(2026, 3, 31), end=date(2026, 3, 1))
    with pytest.raises(ValueError):
        compute([], **MARCH, suppress_below=0)
    with pytest.raises(ValueError):
        compute([record(case_type="robbery")], **MARCH)
    with pytest.raises(ValueError):
        compute([record(status="lost")], **MARCH)
    with pytest.raises(ValueError, match="timezone-aware"):
        record(reported_at=datetime(2026, 3, 10, 3, 0))


def test_records_are_immutable():
    with pytest.raises(AttributeError):
        record().age = 40  # type: ignore[misc]
    assert record(reported_at=IN_MARCH + timedelta(days=1)) != record()


def test_gbvims_cells_cannot_give_back_a_hidden_case_type_count():
    """Found in review: sexual_assault 9 shown, domestic_violence_sexual 6 shown -> 3 hidden abuse cases."""
    from datetime import date, datetime

    from services.cases.statistics import CaseRecord, compute

    def record(case_type):
        return CaseRecord(case_type=case_type, status="reported", intake_channel="hotline", age=30,
                          support_services=(), statistics_consent=True, commune_code="07543",
                          reported_at=datetime(2026, 11, 2, 3, tzinfo=UTC))

    records = [record("domestic_violence_sexual")] * 6 + [record("sexual_abuse")] * 3 + \
        [record("domestic_violence_physical")] * 7
    result = compute(records, start=date(2026, 11, 1), end=date(2026, 11, 30))
    assert result["by_case_type"]["sexual_abuse"]["suppressed"] is True
    assert all(cell["suppressed"] or cell["value"] == 0 for cell in result["by_gbvims_type"].values())

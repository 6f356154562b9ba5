"""The brute-force differencing attack on statistics: ask for every table a caller may ask for, subtract
every table from every table nested in it, cell by cell, and look for a count of 1 to 4."""
import datetime as dt
import random
import time
from itertools import product

import pytest

from services.cases.rules import CaseStatus
from services.cases.statistics import TOTAL, CaseRecord, compute
from services.cases.statistics_periods import Period, partitions_of, periods_of, whole_period
from services.cases.statistics_release import PROVINCE, release
from services.common.events.contracts import CaseType, IntakeChannel
from services.common.suppression import is_small

YEAR = 2026
COMMUNES = ("07543", "07531", "07552")


def season(seed: int, cases: int = 60, communes=COMMUNES) -> list[CaseRecord]:
    """Cases spread over the year and the communes, so that many cells are small."""
    rng = random.Random(seed)
    start = dt.datetime(YEAR, 1, 1, tzinfo=dt.UTC)
    return [CaseRecord(case_type=rng.choice([t.value for t in CaseType][:4]),
                       status=rng.choice([CaseStatus.REPORTED.value, CaseStatus.CLOSED.value]),
                       intake_channel=rng.choice([c.value for c in IntakeChannel][:2]),
                       age=rng.choice([None, 8, 15, 30, 70]),
                       support_services=tuple(rng.sample(["counselling", "health", "legal_aid"], rng.randint(0, 2))),
                       statistics_consent=rng.random() < 0.9,
                       reported_at=start + dt.timedelta(hours=rng.randrange(365 * 24)),
                       commune_code=rng.choice(communes))
            for _ in range(cases)]


def shown_values(table: dict) -> dict:
    cells = {TOTAL: table["total"]["value"]} if not table["total"]["suppressed"] else {}
    for name, breakdown in table.items():
        if name.startswith("by_"):
            cells.update({(name, key): c["value"] for key, c in breakdown.items() if not c["suppressed"]})
    return cells


def differencing_leaks(tables: dict) -> list:
    """(outer table, inner table, cell, difference) for every nested pair whose shown counts differ by 1-4."""
    shown = {table: shown_values(result) for table, result in tables.items()}
    leaks = []
    for outer, inner in product(tables, repeat=2):
        if outer == inner or outer[0] not in (PROVINCE, inner[0]) or not outer[1].contains(inner[1]):
            continue
        for cell in shown[outer].keys() & shown[inner].keys():
            if is_small(shown[outer][cell] - shown[inner][cell]):
                leaks.append((outer, inner, cell, shown[outer][cell] - shown[inner][cell]))
    return leaks


def every_table_on_its_own(records: list[CaseRecord]) -> dict:
    """What the service answered before: each table suppressed on its own."""
    scopes = {PROVINCE: records} | {c: [r for r in records if r.commune_code == c] for c in COMMUNES}
    return {(scope, period): compute(scope_records, start=period.start, end=period.end)
            for scope, scope_records in scopes.items() for period in periods_of(YEAR)}


@pytest.mark.parametrize("seed", range(8))
def test_no_nested_tables_can_be_differenced_to_a_small_count(seed):
    records = season(seed)
    assert differencing_leaks(every_table_on_its_own(records)), "the attack works on tables suppressed one by one"
    assert differencing_leaks(release(records, YEAR)) == []


@pytest.mark.parametrize("seed", range(8))
def test_no_hidden_count_can_be_rebuilt_from_the_tables_that_divide_it(seed):
    tables = release(season(seed), YEAR)
    shown = {table: shown_values(result) for table, result in tables.items()}
    divisions = [((scope, whole), [(scope, part) for part in parts]) for scope in {s for s, _ in tables}
                 for whole, parts in partitions_of(YEAR)]
    divisions += [((PROVINCE, period), [(c, period) for c in COMMUNES]) for period in periods_of(YEAR)]
    for (whole, parts), cell in product(divisions, shown[(PROVINCE, Period(dt.date(YEAR, 1, 1),
                                                                         dt.date(YEAR, 12, 31)))] | {TOTAL: 0}):
        hidden_parts = [part for part in parts if cell not in shown[part]]
        if cell not in shown[whole]:
            assert hidden_parts or sum(shown[p][cell] for p in parts) == 0, (whole, cell)


def test_a_commune_s_answer_is_the_same_table_whoever_asks_and_zeros_stay_visible():
    tables = release(season(3), YEAR)
    january = Period(dt.date(YEAR, 1, 1), dt.date(YEAR, 1, 31))
    assert tables[("07543", january)] == release(season(3), YEAR)[("07543", january)]
    assert tables[(PROVINCE, january)]["by_case_type"]["trafficking"] == {"value": 0, "suppressed": False}


def test_only_whole_months_quarters_halves_and_years_are_periods():
    assert len(periods_of(YEAR)) == 19
    assert whole_period(dt.date(YEAR, 4, 1), dt.date(YEAR, 6, 30)) == Period(dt.date(YEAR, 4, 1), dt.date(YEAR, 6, 30))
    assert whole_period(dt.date(YEAR, 2, 1), dt.date(YEAR, 2, 28)) is not None
    # the attack: two periods one day apart
    assert whole_period(dt.date(YEAR, 11, 1), dt.date(YEAR, 11, 29)) is None
    assert whole_period(dt.date(YEAR, 2, 1), dt.date(YEAR, 4, 30)) is None  # three months, not a quarter
    assert whole_period(dt.date(YEAR, 12, 1), dt.date(YEAR + 1, 1, 31)) is None


def test_a_province_of_99_communes_is_released_in_reasonable_time():
    communes = tuple(f"07{n:03d}" for n in range(99))
    started = time.perf_counter()
    tables = release(season(1, cases=1500, communes=communes), YEAR)
    assert len(tables) == 19 * 100 and time.perf_counter() - started < 30

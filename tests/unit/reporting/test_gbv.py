"""GBV figures as they leave a commune and as the province adds them up: small counts hidden, and no hidden
count can be worked out, checked by brute force: every table an observer could think of that gives the
same published figures is tried, and each hidden figure must take more than one value among them."""
import itertools
import random

import pytest

from services.common.events.contracts import CaseType
from services.common.labels import CASE_TYPE_LABELS
from services.reporting import gbv
from services.reporting.figures import no_cases

TYPES = [t.value for t in CaseType]


def commune(by_type: dict[str, int]) -> dict:
    counts = no_cases()
    counts["by_case_type"].update(by_type)
    counts["total"] = sum(by_type.values())
    return counts


def published(table: list[dict[str, int]]) -> tuple:
    """What an observer reads: each commune's report and the province's totals (the case-type family)."""
    communes = [commune(row) for row in table]
    reports = [gbv.protect(c) for c in communes]
    province = gbv.province_totals(communes)
    view = [(r["total"]["value"], tuple(r["by_case_type"][t]["value"] for t in TYPES)) for r in reports]
    return tuple(view), province["total"]["value"], tuple(province["by_case_type"][t]["value"] for t in TYPES)


def hidden_cells(table: list[dict[str, int]]) -> list[tuple[int, str]]:
    reports = [gbv.protect(commune(row)) for row in table]
    return [(i, t) for i, r in enumerate(reports) for t in TYPES if r["by_case_type"][t]["suppressed"]]


def candidates(table: list[dict[str, int]], most: int = 14) -> list[list[dict[str, int]]]:
    """Every table giving the same published figures: the commune cells hidden in their reports take any
    value from 1 (a 0 is never hidden) to `most`; the rest is as published."""
    target, cells = published(table), hidden_cells(table)
    shown_totals = {i: total for i, (total, _) in enumerate(target[0]) if total is not None}
    found = []
    for values in itertools.product(range(1, most + 1), repeat=len(cells)):
        trial = [dict(row) for row in table]
        for (i, t), value in zip(cells, values, strict=True):
            trial[i][t] = value
        # a commune's shown total rules most tables out at once; the rest must publish the same
        if all(sum(trial[i].values()) == total for i, total in shown_totals.items()) and published(trial) == target:
            found.append(trial)
    return found


def assert_nothing_given_back(table: list[dict[str, int]]) -> None:
    cells = hidden_cells(table)
    if not cells:
        return
    tables = candidates(table)
    assert table in tables
    for i, t in cells:
        assert len({trial[i][t] for trial in tables}) > 1, f"commune {i} {t} given back in {table}"
    province = gbv.province_totals([commune(row) for row in table])
    for t in TYPES:
        if province["by_case_type"][t]["suppressed"]:
            assert len({sum(trial[i][t] for i in range(len(table))) for trial in tables}) > 1, (t, table)
    if province["total"]["suppressed"]:
        assert len({sum(sum(row.values()) for row in trial) for trial in tables}) > 1


def test_a_communes_small_counts_are_hidden_with_a_second_cell_so_the_total_gives_nothing_back():
    protected = gbv.protect(commune({TYPES[0]: 7, TYPES[1]: 2, TYPES[2]: 9}))
    cells = protected["by_case_type"]
    assert protected["total"] == {"value": 18, "suppressed": False}
    assert cells[TYPES[1]] == {"value": None, "suppressed": True}
    assert cells[TYPES[0]]["suppressed"]  # the next smallest, or 18 - 7 - 9 would give the 2 back
    assert cells[TYPES[3]] == {"value": 0, "suppressed": False}
    assert all(c["suppressed"] or c["value"] == 0 for c in protected["by_gbvims_type"].values())


def test_the_section_labels_every_row_in_vietnamese():
    section = gbv.section(commune({TYPES[0]: 6}))
    assert [row.label for row in section.by_case_type] == [CASE_TYPE_LABELS[CaseType(t)] for t in TYPES]
    assert section.total_cases.value == 6 and "đồng ý" in section.note


def test_a_province_total_that_would_give_back_the_one_commune_cell_hidden_under_it_is_hidden():
    table = [{TYPES[0]: 2, TYPES[1]: 6, TYPES[2]: 8}, {TYPES[0]: 9, TYPES[1]: 7, TYPES[2]: 5}]
    province = gbv.province_totals([commune(row) for row in table])
    # commune 0 hides 2 (and 6 with it); under "physical" the province's 11 minus commune 1's 9 would be 2
    assert province["by_case_type"][TYPES[0]]["suppressed"] and province["by_case_type"][TYPES[1]]["suppressed"]
    assert_nothing_given_back(table)


@pytest.mark.parametrize("seed", range(150))
def test_no_hidden_figure_can_be_worked_out_by_trying_every_table(seed):
    rng = random.Random(seed)
    size = rng.choice([(1, 3), (2, 2), (2, 3), (3, 2)])
    table = [{t: rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 8, 11]) for t in TYPES[:size[1]]} for _ in range(size[0])]
    if len(hidden_cells(table)) > 4:  # beyond 14**4 tables the search takes too long for the unit tier
        pytest.skip("too many hidden cells to try every table")
    assert_nothing_given_back(table)

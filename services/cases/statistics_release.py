"""The statistics of a year as one release: every table a caller can ask for, protected together.

A caller can ask for any whole period of the year (`statistics_periods.whole_period`) for the province or any
commune. Two tables of nested scopes (the year and its March, the province and one commune, or both
at once) can be subtracted cell by cell: the difference counts the cases of the part left out. Each
table suppressed on its own would leave such differences of 1 to 4 in view, naming a victim as surely
as a shown count of 1. So every table of the year is computed from the same counts, and cells are
hidden until, for every cell:

* no shown count of a table minus the shown count of a table nested in it is from 1 to
  `suppress_below - 1` (the inner table's cell is hidden);
* no hidden count can be worked out from the tables that divide it or that it divides: a year from
  its halves, a half from its quarters, a quarter from its months, the province from its communes
  (the same rules as within one table, `services.common.suppression`).

Hiding only ever adds cells, so the loop ends; the same counts always give the same release. Changes
to the data between two requests are not guarded: one new case moves each table it falls in by one.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from services.cases.statistics import TOTAL, CaseRecord, Cell, publish, tally
from services.cases.statistics_periods import Period, partitions_of, periods_of
from services.common.suppression import SUPPRESS_BELOW, is_small, recoverable

PROVINCE = "province"
# A table: whose cases (PROVINCE or a commune code) over which period.
Table = tuple[str, Period]


def release(records: Iterable[CaseRecord], year: int, suppress_below: int = SUPPRESS_BELOW) -> dict[Table, dict]:
    """Every table of the year, for the province and each commune that has a case in it."""
    by_scope: dict[str, list[CaseRecord]] = {PROVINCE: []}
    for record in records:
        by_scope[PROVINCE].append(record)
        by_scope.setdefault(record.commune_code, []).append(record)
    communes = sorted(scope for scope in by_scope if scope != PROVINCE)
    periods = periods_of(year)
    tables: list[Table] = [(scope, period) for scope in by_scope for period in periods]
    index = {table: number for number, table in enumerate(tables)}
    counts = [tally(by_scope[scope], start=period.start, end=period.end) for scope, period in tables]
    # tables by number from here on: the loop below compares them many times
    nested = [(index[(outer_scope, outer_period)], index[table]) for table in tables
              for outer_scope in dict.fromkeys((table[0], PROVINCE)) for outer_period in periods
              if outer_period.contains(table[1]) and (outer_scope, outer_period) != table]
    divisions = ([(index[(scope, whole)], [index[(scope, part)] for part in parts])
                  for scope in by_scope for whole, parts in partitions_of(year)]
                 + [(index[(PROVINCE, period)], [index[(commune, period)] for commune in communes])
                    for period in periods])
    # A zero is never hidden and takes no part in a leak: only the other counts are compared.
    nonzero = [{cell: count for cell, count in table_counts.items() if count > 0} for table_counts in counts]
    divisions_and_cells = [(division, set().union(*(nonzero[number] for number in (division[0], *division[1]))))
                           for division in divisions]

    # After the first pass, only the pairs and divisions of a table that hid more cells can change.
    pairs_of: list[list[tuple[int, int]]] = [[] for _ in tables]
    for pair in nested:
        for number in pair:
            pairs_of[number].append(pair)
    divisions_of: list[list[tuple[tuple[int, list[int]], set[Cell]]]] = [[] for _ in tables]
    for division_and_cells in divisions_and_cells:
        (whole, parts), _ = division_and_cells
        for number in (whole, *parts):
            divisions_of[number].append(division_and_cells)

    hidden: list[set[Cell]] = [set() for _ in tables]
    published: list[dict] = [{} for _ in tables]
    shown: list[set[Cell]] = [set() for _ in tables]
    changed = set(range(len(tables)))
    pairs, divisions_to_check = nested, divisions_and_cells
    while changed:
        for number in changed:
            period = tables[number][1]
            published[number] = publish(counts[number], start=period.start, end=period.end,
                                        suppress_below=suppress_below, hidden=hidden[number])
            shown[number] = _shown_cells(published[number])
        more = {(number, cell) for number, cell in _leaks(nonzero, shown, pairs, divisions_to_check, suppress_below)
                if cell not in hidden[number]}
        for number, cell in more:
            hidden[number].add(cell)
        changed = {number for number, _ in more}
        pairs = list({pair for number in changed for pair in pairs_of[number]})
        divisions_to_check = list({id(item): item for number in changed for item in divisions_of[number]}.values())
    return dict(zip(tables, published, strict=True))


def _shown_cells(result: dict) -> set[Cell]:
    """The cells a caller reads a count in."""
    cells = {TOTAL} if not result["total"]["suppressed"] else set()
    for name, breakdown in result.items():
        if isinstance(breakdown, dict) and name.startswith("by_"):
            cells.update((name, key) for key, value in breakdown.items() if not value["suppressed"])
    return cells


def _leaks(nonzero: list[dict[Cell, int]], shown: list[set[Cell]], nested: list[tuple[int, int]],
           divisions: list[tuple[tuple[int, list[int]], set[Cell]]],
           suppress_below: int) -> Iterator[tuple[int, Cell]]:
    """Cells to hide: the inner cell of a small difference, one more cell of a recoverable division.
    `nonzero`: each table's counts above 0 (a zero cell is shown, a support service absent reads as 0)."""
    def is_shown(table: int, cell: Cell) -> bool:
        return cell in shown[table] or cell not in nonzero[table]

    for outer, inner in nested:
        inner_counts = nonzero[inner]
        for cell, count in nonzero[outer].items():
            if (cell in shown[outer] and is_small(count - inner_counts.get(cell, 0), suppress_below)
                    and is_shown(inner, cell)):
                yield inner, cell
    for (whole, parts), cells in divisions:
        for cell in cells:
            hidden_parts, candidates = [], []
            for part in parts:
                count = nonzero[part].get(cell, 0)
                if is_shown(part, cell):
                    if count > 0:
                        candidates.append((count, part))
                else:
                    hidden_parts.append(count)
            if is_shown(whole, cell):
                solvable = recoverable(hidden_parts, suppress_below)
            else:  # a hidden whole is the sum of its parts while they are all shown
                solvable = not hidden_parts
            if solvable and candidates:
                yield min(candidates)[1], cell  # the smallest count; of equal ones, the first part

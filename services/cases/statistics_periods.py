"""The periods statistics are released for: whole calendar months, quarters, half-years and years.

Whole periods of one year nest (a month lies in one quarter, a quarter in one half, a half in the
year) and otherwise never overlap, so any two a caller can ask for are nested or apart. Differencing
can then only take a part out of a whole, which `services.cases.statistics_release.release` guards; a period
ending one day later than another, the difference that once singled out one victim, cannot be asked.
"""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

MONTHS_IN = {"month": 1, "quarter": 3, "half": 6, "year": 12}


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date

    def contains(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end


def _period(year: int, first_month: int, months: int) -> Period:
    last_month = first_month + months - 1
    return Period(dt.date(year, first_month, 1), dt.date(year, last_month, calendar.monthrange(year, last_month)[1]))


def periods_of(year: int) -> list[Period]:
    """The 19 periods of a year: the year, its halves, quarters and months."""
    return [_period(year, first, months) for months in (12, 6, 3, 1) for first in range(1, 13, months)]


def partitions_of(year: int) -> list[tuple[Period, list[Period]]]:
    """Each period longer than a month with the periods one level down that divide it."""
    return [(_period(year, first, months), [_period(year, part, months // parts) for part in
                                            range(first, first + months, months // parts)])
            for months, parts in ((12, 2), (6, 2), (3, 3)) for first in range(1, 13, months)]


def is_whole_period_start(day: dt.date) -> bool:
    return day.day == 1


def whole_period(start: dt.date, end: dt.date) -> Period | None:
    """The whole period from `start` to `end`, or None when they are not the bounds of one."""
    candidate = Period(start, end)
    return candidate if start.year == end.year and candidate in periods_of(start.year) else None

"""How the documents write figures and dates: Vietnamese conventions (1.240; 110,4; 85,7%; 20/11/2026), local
dates in Vietnam, and one marker for a hidden count. The XLSX keeps numbers as numbers and uses these only for
texts; the DOCX prints them.
"""
from __future__ import annotations

import datetime as dt

from services.common.clock import VIETNAM
from services.reporting.report_content import Cell

# A hidden count. Not "<5": secondary suppression also hides counts of 5 and more, so the marker says only
# "hidden"; each document prints the section's note, which explains it.
SUPPRESSED = "*"
EMPTY = "-"  # a figure that does not exist (no target set, not disaggregated by sex)


def number(value: float) -> str:
    """1240 -> '1.240', 110.4 -> '110,4', 0.25 -> '0,25' (at most two decimals)."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def indicator_value(value: float | None, value_type: str) -> str:
    """An indicator's figure as its type reads: a percentage with '%', a yes/no as 'Có'/'Không'."""
    if value is None:
        return EMPTY
    if value_type == "boolean":
        return "Có" if value else "Không"
    if value_type == "percent":
        return f"{number(value)}%"
    return number(value)


def rate(fraction: float | None) -> str:
    """A rate kept as a fraction of 1, as a percentage with one decimal: 0.8571 -> '85,7%'."""
    if fraction is None:
        return EMPTY
    return f"{number(round(fraction * 100, 1))}%"


def count_value(cell: Cell) -> int | str:
    """A count as a sheet holds it: the number, or the marker where it is hidden."""
    return SUPPRESSED if cell.suppressed or cell.value is None else cell.value


def count(cell: Cell) -> str:
    value = count_value(cell)
    return value if isinstance(value, str) else number(value)


def local_date(moment: dt.datetime) -> dt.date:
    """The day in Vietnam of a moment the model keeps in UTC."""
    return moment.astimezone(VIETNAM).date()


def date(day: dt.date | None) -> str:
    """'20/11/2026', as Vietnamese documents write a date in a table."""
    return EMPTY if day is None else f"{day.day:02d}/{day.month:02d}/{day.year}"


def moment_date(moment: dt.datetime | None) -> str:
    return EMPTY if moment is None else date(local_date(moment))

"""When Sở Nội vụ expects the communes' yearly reports: a day of the report's year by default, and
whatever a province sets for a year. A report submitted after its day is taken, and flagged late
(reporting); the commune's officer and leader are reminded before it (notifications).

Settings: REPORTING_PROVINCE_DEADLINE ("12-15": the 15th of December of the report's year, the end of
the Action Month for gender equality, a month after the units report to the commune) and
REPORTING_PROVINCE_DEADLINES ("24/2026=2026-12-10,01/2026=2026-12-20": province / year = day).
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from services.common import admin_units

DEFAULT = "12-15"
_MONTH_DAY = re.compile(r"^(\d{1,2})-(\d{1,2})$")
_ENTRY = re.compile(r"^(\d{2})/(\d{4})=(\d{4}-\d{2}-\d{2})$")


@dataclass(frozen=True)
class ProvinceDeadlines:
    month: int = 12
    day: int = 15
    by_province_year: dict[tuple[str, int], dt.date] = field(default_factory=dict)

    def of(self, province_code: str, year: int) -> dt.date:
        """The last day a commune of the province submits its report of the year on time."""
        return self.by_province_year.get((province_code, year)) or dt.date(year, self.month, self.day)

    @classmethod
    def from_config(cls, config: Mapping[str, object]) -> ProvinceDeadlines:
        """A malformed setting raises ValueError naming it, so that a bad deployment fails at start-up."""
        default = str(config.get("REPORTING_PROVINCE_DEADLINE") or DEFAULT).strip()
        matched = _MONTH_DAY.match(default)
        try:
            month, day = (int(matched[1]), int(matched[2])) if matched else (0, 0)
            dt.date(2023, month, day)  # a common year: a day every year has
        except ValueError:
            raise ValueError(f"REPORTING_PROVINCE_DEADLINE must be MM-DD, not {default!r}") from None
        specific = {}
        for entry in filter(None, (part.strip() for part in str(config.get("REPORTING_PROVINCE_DEADLINES") or "")
                                   .split(","))):
            found = _ENTRY.match(entry)
            try:
                if not found or admin_units.province(found[1]) is None:
                    raise ValueError
                specific[(found[1], int(found[2]))] = dt.date.fromisoformat(found[3])
            except ValueError:
                raise ValueError(f"REPORTING_PROVINCE_DEADLINES: {entry!r} is not <province code>/<year>=YYYY-MM-DD "
                                 "of a province in the official list") from None
        return cls(month=month, day=day, by_province_year=specific)

"""The commune's unit directory as plain data, for the domain and the importer."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from services.plans.document import UnitType


@dataclass(frozen=True)
class DirectoryUnit:
    code: str
    name: str
    unit_type: UnitType
    active_from: dt.date | None = None
    active_to: dt.date | None = None  # dissolved after this day

    def active_on(self, day: dt.date) -> bool:
        return (self.active_from is None or self.active_from <= day) and \
               (self.active_to is None or day <= self.active_to)

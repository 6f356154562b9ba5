"""Response bodies of the reporting HTTP API."""
from __future__ import annotations

import datetime as dt

from pydantic import Field

from services.common.answers import Answer, Count


class UnitStatus(Answer):
    unit_code: str
    name: str
    reported: bool = Field(description="Has a report that was not sent back.")
    returned: bool = Field(description="Its latest report was sent back for correction.")
    late: bool = Field(description="Its first submission came on or after the deadline.")
    revision: int | None = Field(description="Its latest report revision; null before it reports.")
    last_submitted_at: dt.datetime | None


class UnitCounts(Answer):
    expected: int
    reported: int
    missing: int
    late: int
    returned: int


class CaseCounts(Answer):
    """Cases of the commune's year whose victim consented to statistics: numbers for the commune's own
    staff; for the province, counts with 1 to 4 hidden."""
    recorded: int | Count
    escalated: int | Count


class CommuneStatus(Answer):
    """A commune's reporting year: the plan that defines it (the open one issued last, else the closed
    one issued last), that plan's units and their reports, and the year's cases."""
    commune_code: str
    year: int
    approved_at: dt.datetime | None = Field(description="When the commune leader approved the plan's reports.")
    plan_id: str | None = Field(description="Null before any plan of the year is issued.")
    plan_version: int | None
    plan_status: str | None = Field(description="issued or closed")
    closed_at: dt.datetime | None
    report_deadline: dt.date | None = Field(description="Units report before this date.")
    units: list[UnitStatus]
    counts: UnitCounts
    cases: CaseCounts

"""The commune officer's completeness board: reporting's year status for each unit, beside the unit's latest report
in plans (which the officer may return with a reason)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# plans' report ids are UUIDs; a form's id goes into plans' path, so nothing else is sent
REPORT_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@dataclass(frozen=True)
class UnitRow:
    unit_code: str
    name: str
    state: str  # in Vietnamese
    late: bool
    revision: int | None
    report_id: str | None  # the latest report that can still be returned


def state_of(unit: dict[str, Any]) -> str:
    if unit["returned"]:
        return "Bị trả lại, chờ gửi lại"
    if unit["reported"]:
        return "Đã báo cáo"
    return "Chưa báo cáo"


def rows(status: dict[str, Any], reports: list[dict[str, Any]]) -> list[UnitRow]:
    """Each unit the plan expects, with the id of its current report (returnable) where it has one."""
    current = {report["unit_code"]: report["id"] for report in reports if report["status"] == "current"}
    return [UnitRow(unit["unit_code"], unit["name"], state_of(unit), unit["late"], unit["revision"],
                    current.get(unit["unit_code"])) for unit in status["units"]]

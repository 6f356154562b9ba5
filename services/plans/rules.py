"""Pure rules of plans and unit reports (no database, no nameko)."""
from __future__ import annotations

import datetime as dt
import enum

from services.common.clock import VIETNAM
from services.common.errors import Conflict, Unprocessable


class PlanStatus(str, enum.Enum):
    DRAFT = "draft"
    ISSUED = "issued"
    CLOSED = "closed"


def check_assignments(task_codes: list[str], units: list[tuple[str, list[str]]]) -> None:
    """Task codes unique; unit codes unique; every assigned task exists."""
    problems = []
    seen = set()
    for index, code in enumerate(task_codes):
        if code in seen:
            problems.append({"field": f"tasks.{index}.code", "problem": f"mã nhiệm vụ '{code}' bị trùng"})
        seen.add(code)
    unit_seen = set()
    for index, (unit_code, assigned) in enumerate(units):
        if unit_code in unit_seen:
            problems.append({"field": f"units.{index}.unit_code", "problem": f"mã đơn vị '{unit_code}' bị trùng"})
        unit_seen.add(unit_code)
        for position, task in enumerate(assigned):
            if task not in seen:
                problems.append({"field": f"units.{index}.task_codes.{position}",
                                 "problem": f"nhiệm vụ '{task}' không có trong kế hoạch"})
    if problems:
        raise Unprocessable("Phân công nhiệm vụ không hợp lệ.", fields=problems)


def check_can_issue(status: str) -> None:
    if status != PlanStatus.DRAFT.value:
        raise Conflict(f"Chỉ ban hành được kế hoạch ở trạng thái dự thảo (hiện tại: {status}).",
                       code="plan_not_draft")


def check_accepts_reports(status: str) -> None:
    if status != PlanStatus.ISSUED.value:
        raise Conflict(f"Kế hoạch đang ở trạng thái '{status}': chỉ nhận báo cáo khi kế hoạch đã ban hành.",
                       code="plan_not_issued")


def check_report_tasks(reported: list[str], assigned: list[str]) -> None:
    """A unit reports only on tasks assigned to it, each once."""
    problems = []
    seen = set()
    for index, code in enumerate(reported):
        if code not in assigned:
            problems.append({"field": f"tasks.{index}.task_code",
                             "problem": f"nhiệm vụ '{code}' không được giao cho đơn vị này"})
        if code in seen:
            problems.append({"field": f"tasks.{index}.task_code", "problem": f"nhiệm vụ '{code}' báo cáo hai lần"})
        seen.add(code)
    if problems:
        raise Unprocessable("Báo cáo có nhiệm vụ không hợp lệ.", fields=problems)


def is_late(report_deadline: dt.date, submitted_at: dt.datetime) -> bool:
    """Reports are due *before* the deadline date (trước ngày 20/11), in Vietnam's local time."""
    return submitted_at.astimezone(VIETNAM).date() >= report_deadline

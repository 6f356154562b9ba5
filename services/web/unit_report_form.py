"""The unit reporter's report form: what the plan asks of the unit, the form's fields, and the body plans takes.

Everything here is built from plans' public answers (the plan, the indicator catalogue, the unit's reports); the
form's field names are `status-<task>`, `summary-<task>`, and `value-`, `female-`, `male-<indicator>`.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from services.web.dates import date_text

TASK_STATUSES = {"not_started": "Chưa thực hiện", "in_progress": "Đang thực hiện", "done": "Đã hoàn thành"}
REPORT_STATUSES = {"current": "Đang có hiệu lực", "superseded": "Đã thay bằng lần gửi sau",
                   "returned": "Bị trả lại"}


@dataclass(frozen=True)
class TaskLine:
    code: str
    text: str


@dataclass(frozen=True)
class IndicatorLine:
    code: str
    name: str
    unit_of_measure: str
    by_sex: bool


@dataclass
class ReportForm:
    plan: dict[str, Any]
    tasks: list[TaskLine]
    indicators: list[IndicatorLine]
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def latest_issued(plans: list[dict[str, Any]]) -> dict[str, Any] | None:
    issued = [plan for plan in plans if plan["status"] == "issued"]
    return max(issued, key=lambda plan: (plan["year"], plan["version"]), default=None)


def tasks_of(plan: dict[str, Any], unit: str) -> list[TaskLine]:
    codes = plan["assigned_tasks"].get(unit, [])
    texts = {task["code"]: task["text"] for entry in plan["document"]["organisation"] for task in entry["tasks"]}
    return [TaskLine(code, texts.get(code, code)) for code in codes]


def indicators_of(plan: dict[str, Any], unit: str, catalogue: list[dict[str, Any]]) -> list[IndicatorLine]:
    """The indicators the plan asks this unit for: named for the unit, or for one of its tasks."""
    tasks = set(plan["assigned_tasks"].get(unit, []))
    known = {indicator["code"]: indicator for indicator in catalogue}
    lines = []
    for target in plan["indicator_targets"]:
        if unit in target["reported_by_units"] or tasks & set(target["reported_by_tasks"]):
            indicator = known.get(target["indicator_code"], {})
            lines.append(IndicatorLine(target["indicator_code"], indicator.get("name", target["indicator_code"]),
                                       indicator.get("unit_of_measure", ""), bool(indicator.get("sex_disaggregated"))))
    return lines


def values_of(report: dict[str, Any] | None) -> dict[str, str]:
    """A submitted report as the form's values (to revise a returned one)."""
    if report is None:
        return {}
    values = {}
    for task in report["tasks"]:
        values[f"status-{task['task_code']}"] = task["status"]
        values[f"summary-{task['task_code']}"] = task["summary"]
    for entry in report["indicator_values"]:
        for part in ("value", "female", "male"):
            if entry.get(part) is not None:
                values[f"{part}-{entry['indicator_code']}"] = _number_text(entry[part])
    return values


def _number_text(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def body_of(form: ReportForm, submitted: dict[str, str]) -> dict[str, Any] | None:
    """The body of plans' POST .../unit-reports from the submitted form, or None with `form.errors` set."""
    form.values = {name: value.strip() for name, value in submitted.items()}
    tasks = []
    for task in form.tasks:
        status = form.values.get(f"status-{task.code}", "")
        if status not in TASK_STATUSES:
            form.errors[f"status-{task.code}"] = "Vui lòng chọn tình trạng thực hiện."
        summary = form.values.get(f"summary-{task.code}", "")
        if len(summary) > 4000:
            form.errors[f"summary-{task.code}"] = "Kết quả dài quá 4.000 ký tự."
        tasks.append({"task_code": task.code, "status": status, "summary": summary})
    values = []
    for indicator in form.indicators:
        parts = ("female", "male") if indicator.by_sex else ("value",)
        entry: dict[str, Any] = {"indicator_code": indicator.code}
        for part in parts:
            name = f"{part}-{indicator.code}"
            text = form.values.get(name, "").replace(",", ".")
            if not text:
                continue
            try:
                number = float(text)
            except ValueError:
                number = -1
            if number < 0 or number != number or number > 1e12:
                form.errors[name] = "Vui lòng nhập một số không âm."
            else:
                entry[part] = number
        if len(entry) > 1:
            values.append(entry)
    if not tasks:
        form.errors["tasks"] = "Kế hoạch không giao nhiệm vụ nào cho đơn vị của bạn."
    return None if form.errors else {"tasks": tasks, "indicator_values": values}


def deadline_note(deadline: str, today: dt.date) -> str:
    """A task's deadline as the reporter reads it. Plans gives a task no date of its own: its result is due with
    the unit's report, before the plan's report deadline (`report_deadline`, ISO date)."""
    days = (dt.date.fromisoformat(deadline) - today).days
    when = date_text(deadline)
    if days > 0:
        return f"Hạn: trước ngày {when} (còn {days} ngày)"
    return f"Hạn: trước ngày {when} (đã quá hạn, báo cáo gửi bây giờ là gửi muộn)"


def size_text(size: int) -> str:
    """A file's size in Vietnamese units (decimal comma)."""
    if size < 1024:
        return f"{size} byte"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB".replace(".", ",")
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")

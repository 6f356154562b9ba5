"""Pure rules of plans and unit reports (no database, no nameko)."""
from __future__ import annotations

import datetime as dt
import enum

from services.common.clock import VIETNAM, local_date
from services.common.errors import Conflict, Unprocessable
from services.common.events.contracts import MAX_CONTENT_AREAS, MAX_KEY_DATES, MAX_UNIT_TASKS
from services.plans.document import PlanDocument
from services.plans.units import DirectoryUnit


class PlanStatus(str, enum.Enum):
    DRAFT = "draft"
    ISSUED = "issued"
    CLOSED = "closed"


class ReportStatus(str, enum.Enum):
    CURRENT = "current"        # the latest revision, accepted
    SUPERSEDED = "superseded"  # a later revision replaced it
    RETURNED = "returned"      # sent back for correction; the unit must resubmit


def _conflict(message: str, code: str) -> Conflict:
    return Conflict(message, code=code)


def check_editable(status: str) -> None:
    if status != PlanStatus.DRAFT.value:
        raise _conflict("Kế hoạch đã ban hành chỉ được sửa bằng văn bản sửa đổi (tạo phiên bản mới).",
                        "plan_not_draft")


def check_can_issue(status: str) -> None:
    if status != PlanStatus.DRAFT.value:
        raise _conflict(f"Chỉ ban hành được kế hoạch ở trạng thái dự thảo (hiện tại: {status}).", "plan_not_draft")


def check_can_amend(status: str) -> None:
    if status != PlanStatus.ISSUED.value:
        raise _conflict(f"Chỉ sửa đổi được kế hoạch đã ban hành (hiện tại: {status}).", "plan_not_issued")


def check_can_close(status: str) -> None:
    if status != PlanStatus.ISSUED.value:
        raise _conflict(f"Chỉ kết thúc được kế hoạch đã ban hành (hiện tại: {status}).", "plan_not_issued")


def check_accepts_reports(status: str) -> None:
    if status != PlanStatus.ISSUED.value:
        raise _conflict(f"Kế hoạch đang ở trạng thái '{status}': chỉ nhận báo cáo khi kế hoạch đã ban hành.",
                        "plan_not_issued")


def report_deadline(document: PlanDocument, year: int, given: dt.date | None) -> dt.date:
    """The date units report before: given explicitly, or from the plan's reporting obligation."""
    if given is not None:
        return given
    reporting = document.reporting
    if reporting is None or reporting.due_day is None or reporting.due_month is None:
        raise Unprocessable("Cần hạn báo cáo: kế hoạch không nêu ngày báo cáo.", fields=[
            {"field": "report_deadline", "problem": "thiếu hạn báo cáo (văn bản không nêu ngày nộp báo cáo)"}])
    try:
        return dt.date(reporting.due_year or year, reporting.due_month, reporting.due_day)
    except ValueError:
        raise Unprocessable("Hạn báo cáo không phải ngày hợp lệ.", fields=[
            {"field": "document.reporting.due_day", "problem": "ngày không tồn tại trong tháng"}]) from None


def check_document(document: PlanDocument) -> None:
    """Task codes unique across the plan; a unit task links only to a content area the plan has."""
    seen, problems = set(), []
    areas = {area.number for area in document.content_areas}
    for a, area in enumerate(document.content_areas):
        for t, task in enumerate(area.tasks):
            if task.code in seen:
                problems.append({"field": f"document.content_areas.{a}.tasks.{t}.code",
                                 "problem": f"mã nhiệm vụ '{task.code}' bị trùng"})
            seen.add(task.code)
    for u, entry in enumerate(document.organisation):
        for t, task in enumerate(entry.tasks):
            if task.code in seen:
                problems.append({"field": f"document.organisation.{u}.tasks.{t}.code",
                                 "problem": f"mã nhiệm vụ '{task.code}' bị trùng"})
            seen.add(task.code)
            if task.content_area is not None and task.content_area not in areas:
                problems.append({"field": f"document.organisation.{u}.tasks.{t}.content_area",
                                 "problem": f"kế hoạch không có nội dung số {task.content_area}"})
    unit_tasks = sum(len(entry.tasks) for entry in document.organisation)
    for field, count, most in (("document.content_areas", len(document.content_areas), MAX_CONTENT_AREAS),
                               ("document.organisation", unit_tasks, MAX_UNIT_TASKS),
                               ("document.key_dates", len(document.key_dates), MAX_KEY_DATES)):
        if count > most:  # beyond what the plan's events carry (services/common/events/contracts.py)
            problems.append({"field": field, "problem": f"tối đa {most} mục (kế hoạch có {count})"})
    if problems:
        raise Unprocessable("Kế hoạch có mã nhiệm vụ trùng nhau, gắn với nội dung không có, hoặc quá dài.",
                            fields=problems)


def check_units_resolved(document: PlanDocument, directory: dict[str, DirectoryUnit], year: int) -> None:
    """Before issuing: every unit named in Tổ chức thực hiện is a directory unit active in the year."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    problems = []
    for u, entry in enumerate(document.organisation):
        if not entry.unit_codes:
            problems.append({"field": f"document.organisation.{u}.unit_codes",
                             "problem": f"chưa gắn '{entry.unit_name}' với đơn vị trong danh mục"})
        for c, code in enumerate(entry.unit_codes):
            unit = directory.get(code)
            if unit is None:
                problems.append({"field": f"document.organisation.{u}.unit_codes.{c}",
                                 "problem": f"không có đơn vị mã '{code}' trong danh mục của xã"})
            elif not (unit.active_on(start) or unit.active_on(end) or
                      (unit.active_from and start <= unit.active_from <= end)):
                problems.append({"field": f"document.organisation.{u}.unit_codes.{c}",
                                 "problem": f"đơn vị '{code}' không hoạt động trong năm {year}"})
    if problems:
        raise Unprocessable("Chưa thể ban hành: có đơn vị trong phần Tổ chức thực hiện chưa hợp lệ.",
                            fields=problems)


def check_report_tasks(reported: list[str], assigned: list[str]) -> None:
    """A unit reports only on tasks assigned to it, each once."""
    problems, seen = [], set()
    for index, code in enumerate(reported):
        if code not in assigned:
            problems.append({"field": f"tasks.{index}.task_code",
                             "problem": f"nhiệm vụ '{code}' không được giao cho đơn vị này"})
        if code in seen:
            problems.append({"field": f"tasks.{index}.task_code", "problem": f"nhiệm vụ '{code}' báo cáo hai lần"})
        seen.add(code)
    if problems:
        raise Unprocessable("Báo cáo có nhiệm vụ không hợp lệ.", fields=problems)


def check_indicator_values(values: list, allowed: dict[str, dict]) -> None:
    """`allowed`: indicator code -> {"sex_disaggregated": bool, "value_type": str} for this unit."""
    problems, seen = [], set()
    for index, item in enumerate(values):
        field = f"indicator_values.{index}"
        spec = allowed.get(item.indicator_code)
        if spec is None:
            problems.append({"field": f"{field}.indicator_code",
                             "problem": f"chỉ tiêu '{item.indicator_code}' không giao cho đơn vị này báo cáo"})
            continue
        if item.indicator_code in seen:
            problems.append({"field": f"{field}.indicator_code", "problem": "chỉ tiêu báo cáo hai lần"})
        seen.add(item.indicator_code)
        numbers = [("value", item.value), ("female", item.female), ("male", item.male)]
        if spec["sex_disaggregated"]:
            if item.value is not None:
                problems.append({"field": f"{field}.value",
                                 "problem": "chỉ tiêu tách theo giới: ghi 'female' và 'male', không ghi 'value'"})
            for name in ("female", "male"):
                if getattr(item, name) is None:
                    problems.append({"field": f"{field}.{name}", "problem": "thiếu số liệu theo giới"})
        else:
            if item.female is not None or item.male is not None:
                problems.append({"field": f"{field}.female",
                                 "problem": "chỉ tiêu không tách theo giới: chỉ ghi 'value'"})
            if item.value is None:
                problems.append({"field": f"{field}.value", "problem": "thiếu giá trị"})
        for name, number in numbers:
            if number is None:
                continue
            if number < 0:
                problems.append({"field": f"{field}.{name}", "problem": "không được âm"})
            if spec["value_type"] == "percent" and number > 100:
                problems.append({"field": f"{field}.{name}", "problem": "tỷ lệ phần trăm không vượt quá 100"})
            if spec["value_type"] in ("count", "boolean") and number != int(number):
                problems.append({"field": f"{field}.{name}", "problem": "phải là số nguyên"})
            if spec["value_type"] == "boolean" and number not in (0, 1):
                problems.append({"field": f"{field}.{name}", "problem": "chỉ nhận 0 hoặc 1"})
    if problems:
        raise Unprocessable("Số liệu chỉ tiêu không hợp lệ.", fields=problems)


def is_late(deadline: dt.date, submitted_at: dt.datetime) -> bool:
    """Reports are due *before* the deadline date (trước ngày 20/11), in Vietnam's local time."""
    return local_date(submitted_at) >= deadline


def lock_message(year: int, approved_at: dt.datetime) -> str:
    local = approved_at.astimezone(VIETNAM)
    return (f"Báo cáo của xã năm {year} đã được lãnh đạo UBND phê duyệt ngày {local:%d/%m/%Y} lúc {local:%H:%M}; "
            "các báo cáo của đơn vị đã khoá, không thể nộp lại hay trả lại. "
            "Cần điều chỉnh thì đề nghị lãnh đạo xã mở lại báo cáo.")

"""The commune officer's plan pages as data: the import form and its checks, the import's warnings beside the
document's lines, and the draft's correction form (the body of plans' PUT /v1/plans/<id>/draft).

The correction form changes the draft's wording and assignments, not its shape: the title, the report deadline,
each content area's title and tasks' text, each unit entry's directory units and tasks' text, and each indicator
target's baseline and target. Adding or removing tasks, areas or unit entries is done in the document and imported
again (the rest of the document is sent back as plans gave it).

Field names: title, report_deadline, area-<a>-title, area-<a>-task-<t>, unit-<u>-codes (several values),
unit-<u>-task-<t>, baseline-<i>, target-<i> (a, u, t, i: positions in the plan's lists).
"""
from __future__ import annotations

import copy
import datetime as dt
import json
import pathlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from services.web.numbers import whole_number
from services.web.service_fields import field_errors

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024  # plans' own limit (services/plans/importing.py)
EXTENSIONS = (".docx", ".txt")
UNIT_ROLES = {"lead": "Chủ trì", "coordinating": "Phối hợp"}
TOO_LARGE = "Tệp lớn hơn 5 MB, quá lớn đối với một kế hoạch. Vui lòng kiểm tra lại tệp."
NOT_A_DOCUMENT = "Vui lòng chọn tệp kế hoạch dạng Word (.docx) hoặc văn bản (.txt)."
MISSING_FILE = "Vui lòng chọn tệp kế hoạch (.docx)."


# the import ----------------------------------------------------------------------------------------------------
@dataclass
class ImportForm:
    """What the officer gives besides the file: a year, a deadline and units the document's names did not match."""
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    unmatched: list[str] = field(default_factory=list)  # unit names as the document writes them


def check_upload(filename: str, size: int) -> str | None:
    """Why the file cannot be a plan document, in Vietnamese; None when it may be one (plans reads it)."""
    if not filename and size == 0:
        return MISSING_FILE
    if pathlib.PurePath(filename).suffix.lower() not in EXTENSIONS:
        return NOT_A_DOCUMENT
    if size > MAX_DOCUMENT_BYTES:
        return TOO_LARGE
    if size == 0:
        return "Tệp trống: không có nội dung để nhập."
    return None


def upload_name(filename: str) -> str:
    """The name the file is sent to plans under: its kind only (the officer's own file name stays here)."""
    return "ke-hoach" + pathlib.PurePath(filename).suffix.lower()


def import_fields(form: ImportForm, commune: str, submitted: Mapping[str, str]) -> dict[str, str] | None:
    """The import's form fields for plans, or None with `form.errors` set."""
    form.values = {name: value.strip() for name, value in submitted.items() if isinstance(value, str)}
    fields = {"commune_code": commune}
    year = form.values.get("year", "")
    if year:
        if whole_number(year, 2000, 2100) is None:
            form.errors["year"] = "Vui lòng nhập năm gồm 4 chữ số, ví dụ 2027."
        fields["year"] = year
    deadline = form.values.get("report_deadline", "")
    if deadline:
        try:
            dt.date.fromisoformat(deadline)
        except ValueError:
            form.errors["report_deadline"] = "Vui lòng nhập ngày theo dạng năm-tháng-ngày, ví dụ 2027-11-20."
        fields["report_deadline"] = deadline
    unit_map = {}
    i = 0
    while f"map-{i}-name" in form.values:
        name, code = form.values[f"map-{i}-name"], form.values.get(f"map-{i}-code", "")
        form.unmatched.append(name)
        if code:
            unit_map[name] = code
        i += 1
    if unit_map:
        fields["unit_map"] = json.dumps(unit_map, ensure_ascii=False)
    return None if form.errors else fields


def refused_import(form: ImportForm, answer: Any) -> None:
    """Plans' refusal of an import, on the form: the file's problem next to the file, what the document lacks
    (year, deadline, units to match) next to new fields for it."""
    error = answer.get("error", {}) if isinstance(answer, dict) else {}
    for entry in error.get("fields") or []:
        name, problem = str(entry.get("field", "")), str(entry.get("problem", ""))
        if name.startswith("unit_map."):
            unit = name.removeprefix("unit_map.")
            if unit not in form.unmatched:
                form.unmatched.append(unit)
            form.errors[f"map-{form.unmatched.index(unit)}-code"] = (
                f"Chưa xác định được đơn vị “{unit}” trong danh mục; hãy chọn đơn vị rồi chọn lại tệp.")
        elif name in ("year", "report_deadline", "file"):
            form.errors[name] = problem if any(ord(c) > 127 for c in problem) else error.get("message", problem)
    if not form.errors and error.get("message") and error.get("code") in (
            "unreadable_document", "not_a_plan", "document_too_large", "payload_too_large", "import_timed_out"):
        form.errors["file"] = error["message"]


# the warnings --------------------------------------------------------------------------------------------------
# plans' advice names its API (PUT .../draft, unit_map, report_deadline, the year field); on the pages, what to do
# there instead
PAGE_ACTIONS = (("PUT /v1/plans", "Kiểm tra và sửa trong bản dự thảo (nút “Sửa bản dự thảo”) nếu cần."),
                ("unit_map", "Chọn đơn vị trong danh mục khi sửa bản dự thảo, hoặc thêm đơn vị vào danh mục (trang "
                             "“Đơn vị”) rồi nhập lại văn bản."),
                ("report_deadline", "Ghi hạn báo cáo khi sửa bản dự thảo (ô “Hạn báo cáo của đơn vị”)."),
                ("trường year", "Kiểm tra năm của kế hoạch; nếu cần, nhập lại văn bản và ghi năm ở ô “Năm của kế "
                                "hoạch”."))


def page_action(action: str | None) -> str | None:
    """Plans' advice on a warning, as the pages say it."""
    if action is None:
        return None
    return next((text for marker, text in PAGE_ACTIONS if marker in action), action)


@dataclass
class WarnedLine:
    line: int
    paragraph: int | None
    text: str | None
    warnings: list[dict[str, Any]]


def warned_lines(warnings: list[dict[str, Any]]) -> list[WarnedLine]:
    """The import's warnings grouped by the document's line they concern, in the document's order."""
    lines: dict[int, WarnedLine] = {}
    for warning in sorted(warnings, key=lambda w: w.get("line", 0)):
        line = lines.setdefault(warning.get("line", 0), WarnedLine(warning.get("line", 0), warning.get("paragraph"),
                                                                   warning.get("text"), []))
        line.text = line.text or warning.get("text")
        line.warnings.append({**warning, "action": page_action(warning.get("action"))})
    return list(lines.values())


# the draft's correction form -------------------------------------------------------------------------------------
def draft_values(plan: dict[str, Any]) -> dict[str, Any]:
    """The draft as the correction form's values (unit-<u>-codes: a list)."""
    document = plan["document"]
    values: dict[str, Any] = {"title": document["title"], "report_deadline": plan["report_deadline"]}
    for a, area in enumerate(document["content_areas"]):
        values[f"area-{a}-title"] = area["title"]
        for t, task in enumerate(area["tasks"]):
            values[f"area-{a}-task-{t}"] = task["text"]
    for u, entry in enumerate(document["organisation"]):
        values[f"unit-{u}-codes"] = list(entry["unit_codes"])
        for t, task in enumerate(entry["tasks"]):
            values[f"unit-{u}-task-{t}"] = task["text"]
    for i, target in enumerate(plan["indicator_targets"]):
        for part in ("baseline", "target"):
            values[f"{part}-{i}"] = _number_text(target.get(part))
    return values


def _number_text(number: float | None) -> str:
    if number is None:
        return ""
    return str(int(number)) if float(number).is_integer() else str(number)


def draft_body(plan: dict[str, Any], submitted: Mapping[str, list[str]], unit_codes: set[str],
               ) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    """(the body of PUT .../draft, the form's values, errors by field) from the submitted correction form."""
    def one(name: str) -> str:
        return (submitted.get(name) or [""])[0].strip()

    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    document = copy.deepcopy(plan["document"])

    def text(name: str, most: int, what: str) -> str:
        values[name] = one(name)
        if not values[name]:
            errors[name] = f"Vui lòng nhập {what}."
        elif len(values[name]) > most:
            errors[name] = f"{what[:1].upper() + what[1:]} dài quá {most:,} ký tự.".replace(",", ".")
        return values[name]

    document["title"] = text("title", 1000, "tên kế hoạch")
    values["report_deadline"] = one("report_deadline")
    try:
        dt.date.fromisoformat(values["report_deadline"])
    except ValueError:
        errors["report_deadline"] = "Vui lòng nhập hạn báo cáo theo dạng năm-tháng-ngày, ví dụ 2027-11-20."
    for a, area in enumerate(document["content_areas"]):
        area["title"] = text(f"area-{a}-title", 2000, "tên nội dung")
        for t, task in enumerate(area["tasks"]):
            task["text"] = text(f"area-{a}-task-{t}", 8000, "nội dung nhiệm vụ")
    for u, entry in enumerate(document["organisation"]):
        chosen = [code for code in submitted.get(f"unit-{u}-codes", []) if code]
        values[f"unit-{u}-codes"] = chosen
        if any(code not in unit_codes for code in chosen):
            errors[f"unit-{u}-codes"] = "Đơn vị được chọn không có trong danh mục của xã."
        entry["unit_codes"] = chosen
        for t, task in enumerate(entry["tasks"]):
            task["text"] = text(f"unit-{u}-task-{t}", 8000, "nội dung nhiệm vụ")
    targets = copy.deepcopy(plan["indicator_targets"])
    for i, target in enumerate(targets):
        for part in ("baseline", "target"):
            name = f"{part}-{i}"
            values[name] = one(name)
            number = _number(values[name])
            if values[name] and number is None:
                errors[name] = "Vui lòng nhập một số, ví dụ 80 hoặc 12,5."
            target[part] = number
    body = {"document": document, "report_deadline": values["report_deadline"] or None,
            "indicator_targets": targets}
    return body, values, errors


def _number(text: str) -> float | None:
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return None
    return number if number == number and abs(number) <= 1e12 else None


def draft_errors(answer: Any) -> dict[str, str]:
    """Plans' refusal of a draft (or of issuing it) next to the correction form's fields."""
    return field_errors(answer, _draft_field, lambda name: "Giá trị không hợp lệ.")


def _draft_field(path: list[str]) -> str | None:
    if path[0] == "report_deadline":
        return "report_deadline"
    if path[0] == "indicator_targets" and len(path) > 2 and path[1].isdigit() and path[2] in ("baseline", "target"):
        return f"{path[2]}-{path[1]}"
    if path[0] != "document" or len(path) < 2:
        return None
    if path[1] == "title":
        return "title"
    if len(path) > 3 and path[2].isdigit():
        if path[1] == "content_areas":
            if path[3] == "title":
                return f"area-{path[2]}-title"
            if path[3] == "tasks" and len(path) > 4 and path[4].isdigit():
                return f"area-{path[2]}-task-{path[4]}"
        if path[1] == "organisation":
            if path[3] == "unit_codes":
                return f"unit-{path[2]}-codes"
            if path[3] == "tasks" and len(path) > 4 and path[4].isdigit():
                return f"unit-{path[2]}-task-{path[4]}"
    return None

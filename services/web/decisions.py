"""The commune chairman's pages: what awaits a decision (urgent cases, no-contact orders, the commune report) and
the report's approval. Pure helpers: the services' answers turned into rows, and the forms checked.

Cases are shown by their pseudonymous code, level and times only: no victim data leaves a case page.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from services.common.clock import VIETNAM
from services.web.dates import time_text

RISK_LABELS = {"low": "Thấp", "medium": "Trung bình", "high": "Cao", "critical": "Rất cao"}
CASE_STATUS_LABELS = {
    "reported": "Mới tiếp nhận", "verifying": "Đang xác minh", "verified": "Đã xác minh",
    "unfounded": "Không có căn cứ", "supporting": "Đang hỗ trợ", "escalated": "Đã chuyển cơ quan có thẩm quyền",
    "referred": "Đã chuyển tuyến", "follow_up": "Đang theo dõi", "closed": "Đã kết thúc"}
REPORT_STATE_LABELS = {"draft": "Dự thảo", "approved": "Đã phê duyệt", "submitted": "Đã gửi Sở Nội vụ",
                       "accepted": "Sở Nội vụ đã tiếp nhận", "returned": "Sở Nội vụ đã trả lại"}
DECISIONS = [("", "— Chọn quyết định —"), ("granted", "Chấp thuận cấm tiếp xúc"),
             ("refused", "Không chấp thuận")]
CASE_CODE = re.compile(r"^[A-Za-z0-9-]{4,32}$")
MEASURE_ID = re.compile(r"^[0-9a-f-]{36}$")
DOCUMENT_NUMBER = re.compile(r"^[0-9]{1,6}[A-Za-z]?$")
REASON_MAX = 500


@dataclass(frozen=True)
class CaseRow:
    case_code: str
    risk: str
    status: str
    since: str  # reported at, Vietnam time
    escalated: str  # escalated at, or ""
    verify_by: str
    verification_overdue: bool


@dataclass(frozen=True)
class OrderRow:
    case_code: str
    measure_id: str
    risk: str
    requested: str
    due: str
    overdue: bool


def case_rows(answer: dict[str, Any]) -> list[CaseRow]:
    return [CaseRow(c["case_code"], RISK_LABELS.get(c["risk_level"], c["risk_level"]),
                    CASE_STATUS_LABELS.get(c["status"], c["status"]), time_text(c["reported_at"]),
                    time_text(c.get("escalated_at")), time_text(c.get("verification_due_at")),
                    bool(c["verification_overdue"])) for c in answer["urgent_cases"]]


def order_rows(answer: dict[str, Any]) -> list[OrderRow]:
    """Overdue ones first (the service sorts them by decision time already)."""
    rows = [OrderRow(o["case_code"], o["measure_id"], RISK_LABELS.get(o["risk_level"], o["risk_level"]),
                     time_text(o["requested_at"]), time_text(o.get("decision_due_at")), bool(o["overdue"]))
            for o in answer["no_contact_orders"]]
    return sorted(rows, key=lambda row: not row.overdue)


def _local_moment(text: str) -> dt.datetime | None:
    """A datetime-local field ('2026-11-30T14:00') in Vietnam time; None if it is not one."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.replace(tzinfo=VIETNAM) if moment.tzinfo is None else None


def decision_form(form: dict[str, str]) -> tuple[dict[str, Any], str, dict[str, str]]:
    """The PATCH body of a no-contact decision, the audit reason, and the errors per field (Vietnamese)."""
    errors: dict[str, str] = {}
    decision = form.get("decision", "")
    if decision not in ("granted", "refused"):
        errors["decision"] = "Vui lòng chọn quyết định."
    reason = " ".join(form.get("reason", "").split())
    if not reason:
        errors["reason"] = "Vui lòng ghi lý do truy cập vụ việc (được ghi vào nhật ký kiểm tra)."
    elif len(reason) > REASON_MAX:
        errors["reason"] = f"Lý do dài quá {REASON_MAX} ký tự."
    body: dict[str, Any] = {"decision": decision}
    starts_text, ends_text = form.get("starts_at", "").strip(), form.get("ends_at", "").strip()
    if (starts_text or ends_text) and decision == "refused":
        errors["starts_at"] = "Không chấp thuận thì không đặt thời hạn."
    elif starts_text or ends_text:
        for name, text in (("starts_at", starts_text), ("ends_at", ends_text)):
            moment = _local_moment(text) if text else None
            if moment is None:
                errors[name] = "Vui lòng nhập ngày giờ (cần cả bắt đầu và kết thúc)."
            else:
                body[name] = moment.isoformat()
        if "starts_at" in body and "ends_at" in body and body["ends_at"] <= body["starts_at"]:
            errors["ends_at"] = "Thời điểm kết thúc phải sau thời điểm bắt đầu."
    return body, reason, errors


@dataclass(frozen=True)
class ReportSummary:
    state: str  # the workflow state's code: draft, approved, ...
    state_label: str
    revision: int
    number_line: str
    expected: int
    submitted: int
    on_time: int
    late: int
    missing: int
    returned: int
    tasks_total: int
    tasks_done: int
    indicators_met: int
    indicators_not_met: int
    indicators_not_assessed: int
    text_version: int
    text_edited: str
    submitted_at: str
    submitted_late: bool
    units: list[tuple[str, str]]  # (unit name, its report's state in Vietnamese)

    @property
    def ready_to_approve(self) -> bool:
        return self.state in ("draft", "returned") and self.expected > 0 and self.missing == 0 and self.returned == 0

    @property
    def awaits_leader(self) -> bool:
        """Something for the chairman to do: approve it, or send the approved report."""
        return self.ready_to_approve or self.state == "approved"


def report_summary(report: dict[str, Any]) -> ReportSummary:
    completeness, submission = report["completeness"], report.get("submission") or {}
    return ReportSummary(
        state=report["state"], state_label=REPORT_STATE_LABELS.get(report["state"], report["state"]),
        revision=report["revision"], number_line=report["header"]["number_line"],
        expected=completeness["expected"], submitted=completeness["submitted"], on_time=completeness["on_time"],
        late=completeness["late"], missing=completeness["missing"], returned=completeness["returned"],
        tasks_total=report["results"]["task_counts"]["total"], tasks_done=report["results"]["task_counts"]["done"],
        indicators_met=report["indicators"]["met"], indicators_not_met=report["indicators"]["not_met"],
        indicators_not_assessed=report["indicators"]["not_assessed"],
        text_version=report["officer_text"]["version"], text_edited=time_text(report["officer_text"].get("edited_at")),
        submitted_at=time_text(submission.get("submitted_at")), submitted_late=bool(submission.get("late")),
        units=[(unit["unit_name"], unit["state_label"]) for unit in completeness["units"]])


def submission_form(form: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The body of the report's submission to Sở Nội vụ (its number, its date) and the errors per field."""
    errors: dict[str, str] = {}
    number = form.get("document_number", "").strip()
    if not number:
        errors["document_number"] = "Vui lòng nhập số văn bản."
    elif not DOCUMENT_NUMBER.fullmatch(number):
        errors["document_number"] = "Số văn bản gồm tối đa 6 chữ số, có thể thêm một chữ cái (ví dụ 125 hoặc 125a)."
    body: dict[str, Any] = {"document_number": number}
    day = form.get("document_date", "").strip()
    if day:
        try:
            parsed = dt.date.fromisoformat(day)
        except ValueError:
            errors["document_date"] = "Vui lòng nhập ngày theo dạng ngày/tháng/năm hợp lệ."
        else:
            if 2000 <= parsed.year <= 2100:
                body["document_date"] = parsed.isoformat()
            else:
                errors["document_date"] = "Năm phải từ 2000 đến 2100."
    return body, errors

"""The case worker's pages, as plain functions over the cases service's public answers: the Vietnamese names of
its values, the intake form and the body `POST /v1/cases` takes, the service's field errors put next to the form's
fields, the list sorted by urgency, and a case's timeline.

Nothing here keeps or logs personal data: it only shapes what the pages send and show.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from services.common.clock import VIETNAM
from services.common.labels import AUTHORITY_LABELS, CASE_TYPE_LABELS, MEASURE_LABELS, REFERRAL_STATUS_LABELS
from services.web.dates import date_text as local_date
from services.web.dates import time_text as local_time

STATUS_LABELS = {
    "reported": "Mới tiếp nhận", "verifying": "Đang xác minh", "verified": "Đã xác minh",
    "unfounded": "Không có cơ sở", "supporting": "Đang hỗ trợ", "escalated": "Đã chuyển cơ quan có thẩm quyền",
    "referred": "Đã chuyển gửi", "follow_up": "Đang theo dõi", "closed": "Đã kết thúc",
}
# The cases service's lifecycle (services/cases/rules.py), mirrored so that the form offers only the moves it allows
# (a unit test holds the two equal). Escalation and referral have their own form.
NEXT_STATUSES = {
    "reported": ("verifying",), "verifying": ("verified", "unfounded"), "verified": ("supporting", "follow_up"),
    "unfounded": ("closed", "verifying"), "supporting": ("follow_up",), "escalated": ("supporting", "follow_up"),
    "referred": ("supporting", "follow_up"), "follow_up": ("supporting", "closed"),
    "closed": ("verifying", "supporting", "follow_up"),
}
RISK_LABELS = {"low": "Thấp", "medium": "Trung bình", "high": "Cao", "critical": "Rất cao"}
RISK_ORDER = ("critical", "high", "medium", "low")
DEADLINE_LABELS = {"verification": "Xác minh vụ việc", "no_contact_decision": "Quyết định cấm tiếp xúc"}
CHANNEL_LABELS = {
    "village_head": "Trưởng thôn", "trusted_address": "Địa chỉ tin cậy", "hotline": "Đường dây nóng",
    "school": "Nhà trường", "health_station": "Trạm y tế", "police": "Công an", "victim": "Người bị hại tự báo",
    "other": "Nguồn khác",
}
SEX_LABELS = {"female": "Nữ", "male": "Nam", "other": "Khác"}
RELATIONSHIP_LABELS = {
    "spouse": "Vợ/chồng", "former_spouse": "Vợ/chồng cũ", "partner": "Bạn tình, người yêu", "parent": "Cha/mẹ",
    "child": "Con", "other_family": "Người thân khác trong gia đình", "acquaintance": "Người quen",
    "employer": "Người sử dụng lao động", "stranger": "Người lạ", "unknown": "Không rõ",
}
VULNERABILITY_LABELS = {"child": "Trẻ em", "pregnant": "Đang mang thai", "disability": "Người khuyết tật",
                        "elderly": "Người cao tuổi"}
AGE_BAND_LABELS = {"0-11": "Dưới 12 tuổi", "12-17": "12–17 tuổi", "18-24": "18–24 tuổi", "25-59": "25–59 tuổi",
                   "60+": "Từ 60 tuổi", "unknown": "Không rõ"}
DECISION_LABELS = {"granted": "Chấp thuận", "refused": "Không chấp thuận"}
REFERRAL_KINDS = {"referral": "Chuyển gửi (dịch vụ, hỗ trợ)", "escalation": "Chuyển cơ quan có thẩm quyền xử lý"}
# what the case worker may record; a shelter needs a trusted address of the register (not offered on this page)
MEASURE_KINDS = [(kind.value, label) for kind, label in MEASURE_LABELS.items() if kind.value != "shelter"]
REFERRAL_ACTIONS = {"accept": "Đã tiếp nhận", "reject": "Từ chối", "done": "Đã giải quyết xong"}
CASE_TYPES = [(kind.value, label) for kind, label in CASE_TYPE_LABELS.items()]
AUTHORITIES = [(authority.value, label) for authority, label in AUTHORITY_LABELS.items()]
REFERRAL_STATUS_NAMES = {status.value: label for status, label in REFERRAL_STATUS_LABELS.items()}
CASE_TYPE_NAMES = dict(CASE_TYPES)
MEASURE_NAMES = {kind.value: label for kind, label in MEASURE_LABELS.items()}
AUTHORITY_NAMES = dict(AUTHORITIES)

# The risk questionnaire of services/cases/risk.py, in the order the worker asks it.
RISK_QUESTIONS = (
    ("threats_to_kill", "Người có hành vi bạo lực đe dọa giết người bị hại"),
    ("weapon_used_or_threatened", "Có dùng hoặc đe dọa dùng hung khí"),
    ("strangulation_or_choking", "Có bóp cổ hoặc làm nghẹt thở"),
    ("injury_needing_care", "Người bị hại bị thương cần chăm sóc y tế"),
    ("violence_increasing", "Bạo lực ngày càng nghiêm trọng hoặc thường xuyên hơn"),
    ("sexual_violence", "Có bạo lực tình dục"),
    ("victim_is_child", "Người bị hại là trẻ em dưới 16 tuổi"),
    ("victim_pregnant", "Người bị hại đang mang thai"),
    ("victim_has_disability", "Người bị hại là người khuyết tật"),
    ("victim_fears_for_life", "Người bị hại lo sợ cho tính mạng của mình"),
    ("perpetrator_lives_with_victim", "Người có hành vi bạo lực sống cùng người bị hại"),
    ("perpetrator_substance_abuse", "Người có hành vi bạo lực lạm dụng rượu, bia hoặc chất kích thích"),
)
CONSENTS = (("services", "Đồng ý nhận dịch vụ hỗ trợ"),
            ("sharing", "Đồng ý chia sẻ thông tin, chuyển gửi cho cơ quan khác"),
            ("statistics", "Đồng ý được tính vào số liệu thống kê (không có thông tin cá nhân)"))

# Why a case is opened: the audit log keeps the reason with every read.
ACCESS_REASONS = (
    ("xac-minh", "Xác minh vụ việc"),
    ("ho-tro", "Hỗ trợ, bảo vệ người bị hại"),
    ("chuyen-gui", "Chuyển gửi, phối hợp với cơ quan khác"),
    ("theo-doi", "Theo dõi sau hỗ trợ"),
    ("cap-nhat", "Cập nhật hồ sơ vụ việc"),
    ("khac", "Lý do khác (ghi rõ)"),
)
INTAKE_REASON = "Tiếp nhận vụ việc mới"
REASON_MAX = 500


def access_reason(form: dict[str, str]) -> tuple[str | None, dict[str, str]]:
    """The reason the prompt's form gives (its label, or the free text of "khac"), or None with the errors."""
    choice = form.get("reason", "")
    labels = dict(ACCESS_REASONS)
    if choice not in labels:
        return None, {"reason": "Vui lòng chọn lý do truy cập hồ sơ."}
    if choice != "khac":
        return labels[choice], {}
    other = " ".join(form.get("reason_other", "").split())
    if not other:
        return None, {"reason_other": "Vui lòng ghi rõ lý do."}
    if len(other) > REASON_MAX:
        return None, {"reason_other": f"Lý do dài quá {REASON_MAX} ký tự."}
    return other, {}


# the intake form --------------------------------------------------------------------------------------------
# Each field is named by the path of its value in the body, "." written "-": a service's field error
# ("victim.full_name") finds its field ("victim-full_name") without a table to keep.
TEXT_FIELDS = ("case_type", "intake_channel", "village", "intake-reporter_description", "intake-reporter_contact",
               "victim-full_name", "victim-sex", "victim-age", "victim-date_of_birth", "victim-phone",
               "victim-address", "risk_assessment-previous_incidents", "incident-occurred_on",
               "incident-incident_type", "incident-perpetrator_relationship", "incident-place",
               "incident-narrative")
REQUIRED_CHOICES = {"case_type", "intake_channel", "victim-sex", "incident-incident_type",
                    "incident-perpetrator_relationship"}
FORM_FIELDS = frozenset(TEXT_FIELDS) | {"victim-vulnerabilities"} | {f"consent-{name}" for name, _ in CONSENTS} | {
    f"risk_assessment-{name}" for name, _ in RISK_QUESTIONS}


def intake_values(form: Any) -> dict[str, Any]:
    """The submitted intake form as the template's values (text stripped; checkboxes as booleans)."""
    values: dict[str, Any] = {name: (form.get(name) or "").strip() for name in TEXT_FIELDS}
    values["victim-vulnerabilities"] = [v for v in form.getlist("victim-vulnerabilities") if v in VULNERABILITY_LABELS]
    for name, _ in CONSENTS:
        values[f"consent-{name}"] = bool(form.get(f"consent-{name}"))
    for name, _ in RISK_QUESTIONS:
        values[f"risk_assessment-{name}"] = bool(form.get(f"risk_assessment-{name}"))
    return values


def intake_body(values: dict[str, Any]) -> dict[str, Any]:
    """The body of `POST /v1/cases`. The service validates it: what is missing or wrong comes back as its field
    errors (see `field_errors`), so the rules live in one place. Empty optional fields are left out."""
    def text(name: str) -> str | None:
        return values.get(name) or None

    def choice(name: str) -> str:
        return values.get(name) or ""  # an empty choice is refused by the service, next to its field

    body: dict[str, Any] = {
        "case_type": choice("case_type"), "intake_channel": choice("intake_channel"), "village": text("village"),
        "intake": {"reporter_description": text("intake-reporter_description"),
                   "reporter_contact": text("intake-reporter_contact")},
        "victim": {"full_name": values.get("victim-full_name", ""), "sex": choice("victim-sex"),
                   "age": text("victim-age"), "date_of_birth": text("victim-date_of_birth"),
                   "phone": text("victim-phone"), "address": text("victim-address"),
                   "vulnerabilities": values.get("victim-vulnerabilities", [])},
        "consent": {name: bool(values.get(f"consent-{name}")) for name, _ in CONSENTS},
        "risk_assessment": risk_body(values), "incident": incident_body(values),
    }
    return body


def risk_body(values: Any) -> dict[str, Any]:
    """The questionnaire's answers from the form's `risk_assessment-*` fields (a box not ticked is "no")."""
    return {**{name: bool(values.get(f"risk_assessment-{name}")) for name, _ in RISK_QUESTIONS},
            "previous_incidents": (values.get("risk_assessment-previous_incidents") or "").strip() or None}


INCIDENT_FIELDS = ("occurred_on", "incident_type", "perpetrator_relationship", "place", "narrative")


def incident_body(values: Any) -> dict[str, Any]:
    """An incident from the form's `incident-*` fields (empty ones left out; an empty choice refused by cases)."""
    body: dict[str, Any] = {name: (values.get(f"incident-{name}") or "").strip() or None for name in INCIDENT_FIELDS}
    for name in ("incident_type", "perpetrator_relationship"):
        body[name] = body[name] or ""
    return body


# The service's problems are pydantic's (English) or its own (Vietnamese, without a type): the page says them in
# Vietnamese.
PROBLEMS = {
    "missing": "Vui lòng nhập.", "string_too_short": "Vui lòng nhập.", "string_too_long": "Nội dung quá dài.",
    "enum": "Vui lòng chọn.", "literal_error": "Vui lòng chọn.",
    "int_parsing": "Vui lòng nhập một số nguyên.", "int_type": "Vui lòng nhập.",
    "int_from_float": "Vui lòng nhập một số nguyên.",
    "greater_than_equal": "Giá trị nhỏ hơn mức cho phép.", "less_than_equal": "Giá trị lớn hơn mức cho phép.",
    "date_parsing": "Ngày không hợp lệ.", "date_from_datetime_parsing": "Ngày không hợp lệ.",
    "date_type": "Ngày không hợp lệ.", "too_long": "Chọn quá nhiều.", "bool_parsing": "Giá trị không hợp lệ.",
}


def problem_text(problem: dict[str, Any], field: str, choices: set[str]) -> str:
    kind = problem.get("type")
    if kind is None:  # the service's own problem, in Vietnamese
        text = str(problem.get("problem") or "không hợp lệ")
        return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
    if kind in ("missing", "string_too_short") and field in choices:
        return "Vui lòng chọn."
    if kind == "value_error":
        return "Ngày không hợp lệ." if "date" in field or field.endswith(("_on", "_at")) else "Giá trị không hợp lệ."
    return PROBLEMS.get(str(kind), "Giá trị không hợp lệ.")


def field_errors(answer: Any, fields: frozenset[str] | set[str], choices: set[str] | frozenset[str] = frozenset(),
                 prefix: str = "") -> dict[str, str]:
    """The service's field errors by the form's field names (the first problem of each field); a problem of a
    field the form does not have is left to the page's general message."""
    errors: dict[str, str] = {}
    problems = answer.get("error", {}).get("fields", []) if isinstance(answer, dict) else []
    for problem in problems:
        parts = [part for part in str(problem.get("field", "")).split(".") if part and part != "(body)"]
        named = _named_in(problem)
        if named:  # a check of the whole model names its field first: "date_of_birth must fall between ..."
            parts.append(named)
        while parts:  # "victim.vulnerabilities.0" belongs to "victim-vulnerabilities"
            name = prefix + "-".join(parts)
            if name in fields:
                errors.setdefault(name, problem_text(problem, name, set(choices)))
                break
            parts.pop()
    return errors


def _named_in(problem: dict[str, Any]) -> str | None:
    if problem.get("type") != "value_error":
        return None
    first = str(problem.get("problem", "")).removeprefix("Value error, ").split(" ")[0]
    return first if first.isidentifier() else None


# the list and the case --------------------------------------------------------------------------------------
def moment(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


@dataclass(frozen=True)
class CaseRow:
    case_code: str
    case_type: str
    risk: str
    risk_level: str
    status: str
    reported: str
    next_action: str | None  # "Xác minh vụ việc trước 02/11/2026 10:00"
    overdue: bool


def _instant(value: str) -> float:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


def urgency(item: dict[str, Any]) -> tuple:
    """Overdue timers first, then the soonest due, then the riskiest, then the newest; closed cases last."""
    deadlines = item.get("open_deadlines") or []
    due = _instant(deadlines[0]["due_at"]) if deadlines else float("inf")
    risk = RISK_ORDER.index(item["risk_level"]) if item["risk_level"] in RISK_ORDER else len(RISK_ORDER)
    return (item["status"] == "closed", not any(d["overdue"] for d in deadlines), due, risk,
            -_instant(item["reported_at"]))


def next_action(deadlines: list[dict[str, Any]]) -> str | None:
    """The soonest running timer, e.g. "Xác minh vụ việc trước 02/11/2026 10:00"."""
    if not deadlines:
        return None
    first = deadlines[0]
    return f"{DEADLINE_LABELS.get(first['kind'], first['kind'])} trước {local_time(first['due_at'])}"


def case_rows(items: list[dict[str, Any]]) -> list[CaseRow]:
    rows = []
    for item in sorted(items, key=urgency):
        deadlines = item.get("open_deadlines") or []
        rows.append(CaseRow(
            item["case_code"], CASE_TYPE_NAMES.get(item["case_type"], item["case_type"]),
            RISK_LABELS.get(item["risk_level"], item["risk_level"]), item["risk_level"],
            STATUS_LABELS.get(item["status"], item["status"]), local_time(item["reported_at"]),
            next_action(deadlines), any(d["overdue"] for d in deadlines)))
    return rows


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    when: str
    what: str
    detail: str | None = None


def _entry(value: str | None, what: str, detail: str | None = None) -> TimelineEntry | None:
    at = moment(value)
    return TimelineEntry(at, local_time(value), what, detail) if at else None


def timeline(case: dict[str, Any]) -> list[TimelineEntry]:
    """What happened to the case, oldest first: statuses, incidents, risk assessments, measures, referrals."""
    entries: list[TimelineEntry | None] = []
    for transition in case.get("transitions", []):
        to = STATUS_LABELS.get(transition["to"], transition["to"])
        what = f"Tiếp nhận vụ việc ({to})" if transition["from"] is None else (
            f"Chuyển trạng thái: {STATUS_LABELS.get(transition['from'], transition['from'])} → {to}")
        entries.append(_entry(transition["at"], what, transition.get("reason")))
    for incident in case.get("incidents") or []:
        occurred = incident.get("occurred_on")
        at = (dt.datetime.fromisoformat(occurred).replace(tzinfo=VIETNAM) if occurred
              else dt.datetime.fromisoformat(case["reported_at"].replace("Z", "+00:00")))
        detail = " · ".join(part for part in (
            RELATIONSHIP_LABELS.get(incident["perpetrator_relationship"], incident["perpetrator_relationship"]),
            incident.get("place"), incident.get("narrative")) if part)
        what = f"Sự việc: {CASE_TYPE_NAMES.get(incident['incident_type'], incident['incident_type'])}"
        entries.append(TimelineEntry(at, local_date(occurred) if occurred else "Không rõ ngày", what, detail or None))
    for assessment in case.get("risk_assessments", []):
        entries.append(_entry(assessment["assessed_at"],
                              f"Đánh giá nguy cơ: {RISK_LABELS.get(assessment['level'], assessment['level'])}"))
    for measure in case.get("measures", []):
        name = MEASURE_NAMES.get(measure["kind"], measure["kind"])
        entries.append(_entry(measure["requested_at"], f"Biện pháp: {name}"))
        if measure.get("decided_at"):
            entries.append(_entry(measure["decided_at"], f"Quyết định {name}: "
                                  f"{DECISION_LABELS.get(measure['decision'], measure['decision'])}"))
    for referral in case.get("referrals", []):
        authority = AUTHORITY_NAMES.get(referral["authority"], referral["authority"])
        kind = "Chuyển cơ quan có thẩm quyền" if referral["kind"] == "escalation" else "Chuyển gửi"
        entries.append(_entry(referral["created_at"], f"{kind}: {authority}"))
        if referral.get("responded_at"):
            entries.append(_entry(referral["responded_at"], f"{authority} trả lời: "
                                  f"{REFERRAL_STATUS_NAMES.get(referral['status'], referral['status'])}"))
        if referral.get("done_at"):
            entries.append(_entry(referral["done_at"], f"{authority}: đã giải quyết xong"))
    return sorted((e for e in entries if e is not None), key=lambda e: e.at)


def referral_actions(status: str) -> list[tuple[str, str]]:
    """The answers a referral in this status can still get (the service's NEXT)."""
    if status == "pending":
        return [("accept", REFERRAL_ACTIONS["accept"]), ("reject", REFERRAL_ACTIONS["reject"])]
    if status == "accepted":
        return [("done", REFERRAL_ACTIONS["done"])]
    return []

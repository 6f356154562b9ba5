"""Sở Nội vụ's board of a province's year, from reporting's province view (`GET /v1/provinces/{p}/years/{y}/
communes`): a line per commune (plan, units' completeness, report state), sorted or grouped by state, the charts'
data (communes by reporting rate, indicators by sex), and the form that returns a commune's report."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from services.web.charts import Bar, Pair, number

# reporting's report states as Sở Nội vụ sees them, in the order the board groups them (what awaits Sở Nội vụ first)
STATES = {
    "submitted": "Đã gửi, chờ tiếp nhận",
    "late": "Đã gửi (trễ hạn), chờ tiếp nhận",
    "returned": "Bị trả lại, chờ gửi lại",
    "approved": "Đã phê duyệt, chưa gửi",
    "draft": "Đang dự thảo",
    "none": "Chưa ban hành kế hoạch",
    "accepted": "Đã tiếp nhận",
}
AWAITING = frozenset({"submitted", "late"})  # Sở Nội vụ may accept or return these
READABLE = frozenset({"submitted", "late", "accepted", "returned"})  # a revision was submitted: Sở Nội vụ reads it
SORTS = {"trang-thai": "Theo tình trạng", "ten": "Theo tên xã", "ti-le": "Theo tỉ lệ đơn vị đã báo cáo"}
RETURN_CATEGORIES = {
    "incomplete": "Báo cáo chưa đầy đủ",
    "inconsistent": "Số liệu chưa khớp",
    "units_missing": "Thiếu báo cáo của đơn vị",
    "form": "Sai thể thức",
    "other": "Lý do khác",
}
REASON_MAX = 2000
TRANSITION_STATES = {"draft": "Dự thảo", "approved": "Đã phê duyệt", "submitted": "Đã gửi",
                     "accepted": "Đã tiếp nhận", "returned": "Bị trả lại"}
RATE_BANDS = (("Dưới 50 %", 0.0, 0.5), ("50 – dưới 80 %", 0.5, 0.8), ("80 – dưới 100 %", 0.8, 1.0),
              ("100 %", 1.0, 1.01))


def percent(rate: float | None) -> str:
    return "–" if rate is None else f"{number(round(rate * 100, 1))} %"


@dataclass(frozen=True)
class CommuneLine:
    code: str
    name: str
    plan_issued: bool
    expected: int
    submitted: int
    rate: float | None
    completeness: str  # "3/4 (75 %)"
    state: str
    state_label: str
    late: bool
    revision: int | None


def line(row: dict[str, Any]) -> CommuneLine:
    state = row["report_state"]
    completeness = (f"{row['submitted']}/{row['expected']} ({percent(row['reporting_rate'])})"
                    if row["plan_issued"] else "–")
    return CommuneLine(code=row["commune_code"], name=row["commune_name"], plan_issued=row["plan_issued"],
                       expected=row["expected"], submitted=row["submitted"], rate=row["reporting_rate"],
                       completeness=completeness, state=state, state_label=STATES.get(state, state),
                       late=bool(row["late"]), revision=row["report_revision"])


def lines(view: dict[str, Any], sort: str) -> list[CommuneLine]:
    """Every commune of the view, by state (the board's groups, then by name), by name, or by reporting rate
    (lowest first: who needs a call), communes without a plan last."""
    found = [line(row) for row in view["communes"]]
    order = list(STATES)
    if sort == "ten":
        return sorted(found, key=lambda c: c.name)
    if sort == "ti-le":
        return sorted(found, key=lambda c: (c.rate is None, c.rate or 0.0, c.name))
    return sorted(found, key=lambda c: (order.index(c.state) if c.state in order else len(order), c.name))


def state_counts(view: dict[str, Any]) -> list[tuple[str, str, int]]:
    """(state, label, communes) for each state, in the board's order."""
    counted = Counter(row["report_state"] for row in view["communes"])
    return [(state, label, counted[state]) for state, label in STATES.items()]


def rate_bars(view: dict[str, Any]) -> list[Bar]:
    """Communes with a plan by their units' reporting rate, in bands; then those without a plan."""
    rates = [row["reporting_rate"] for row in view["communes"] if row["plan_issued"]]
    result = []
    for label, low, high in RATE_BANDS:
        count = sum(1 for rate in rates if rate is not None and low <= rate < high)
        result.append(Bar(label, count, f"{count} xã"))
    no_units = sum(1 for rate in rates if rate is None)
    if no_units:
        result.append(Bar("Không có đơn vị", no_units, f"{no_units} xã"))
    no_plan = sum(1 for row in view["communes"] if not row["plan_issued"])
    result.append(Bar("Chưa có kế hoạch", no_plan, f"{no_plan} xã"))
    return result


def sex_pairs(indicators: list[dict[str, Any]]) -> list[Pair]:
    """The indicators counted by sex that the communes reported."""
    return [Pair(f"{i['name']} ({i['unit_of_measure']})", i["female"], i["male"]) for i in indicators
            if i["sex_disaggregated"] and i["female"] is not None and i["male"] is not None]


def return_form(form: Any) -> tuple[dict[str, str], dict[str, str]]:
    """(the return's body for reporting, errors by field in Vietnamese)."""
    category = form.get("category", "")
    reason = form.get("reason", "").strip()
    errors = {}
    if category not in RETURN_CATEGORIES:
        errors["category"] = "Vui lòng chọn loại lý do."
    if not reason:
        errors["reason"] = "Vui lòng ghi lý do trả lại để xã biết cần sửa gì."
    elif len(reason) > REASON_MAX:
        errors["reason"] = f"Lý do dài quá {REASON_MAX} ký tự."
    return {"category": category, "reason": reason}, errors


def submitted_revisions(transitions: list[dict[str, Any]]) -> list[int]:
    """The revisions that were sent to Sở Nội vụ (their documents are stored), oldest first."""
    return sorted({t["revision"] for t in transitions if t["to_state"] == "submitted"})


def transition_lines(transitions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**t, "from_label": TRANSITION_STATES.get(t["from_state"], t["from_state"]),
             "to_label": TRANSITION_STATES.get(t["to_state"], t["to_state"]),
             "category_label": RETURN_CATEGORIES.get(t["reason_category"] or "", "")} for t in transitions]

"""What each event notifies, to which roles, with what template context. Never a victim's data."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from services.common import admin_units
from services.common.clock import local_date
from services.common.events.contracts import (
    CaseEscalated,
    CaseOverdue,
    CaseReported,
    CaseRiskAssessed,
    PlanAmended,
    PlanIssued,
    UnitReportReturned,
)
from services.common.roles import Role

# The events notifications are made from (each concerns one commune).
NotifyingEvent = (PlanIssued | PlanAmended | UnitReportReturned | CaseReported | CaseRiskAssessed | CaseOverdue
                  | CaseEscalated)

AUTHORITY_NAMES = {
    "commune_police": "Công an xã",
    "higher_level_police": "Công an cấp trên",
    "court": "Tòa án nhân dân",
    "social_work_centre": "Trung tâm công tác xã hội",
    "health_facility": "Cơ sở y tế",
    "commune_chairman": "Chủ tịch UBND xã",
    "other": "cơ quan có thẩm quyền",
}
CASE_TYPE_NAMES = {
    "domestic_violence_physical": "bạo lực gia đình (thể chất)",
    "domestic_violence_psychological": "bạo lực gia đình (tinh thần)",
    "domestic_violence_sexual": "bạo lực gia đình (tình dục)",
    "domestic_violence_economic": "bạo lực gia đình (kinh tế)",
    "sexual_harassment": "quấy rối tình dục",
    "sexual_abuse": "xâm hại tình dục",
    "illegal_marriage_brokering": "môi giới kết hôn có yếu tố nước ngoài trái phép",
    "trafficking": "mua bán người",
    "other_gbv": "bạo lực trên cơ sở giới khác",
}
RISK_NAMES = {"low": "thấp", "medium": "trung bình", "high": "cao", "critical": "rất nghiêm trọng"}


@dataclass(frozen=True)
class Addressed:
    """A notice for a role (and, for unit reporters, a unit): the template kind and its context."""
    kind: str
    recipient_role: Role
    recipient_unit: str | None
    context: Mapping[str, Any]


def commune_name(code: str) -> str:
    """'xã Sơn Hải', as it follows 'UBND' in a sentence."""
    commune = admin_units.commune(code)
    return commune.name[:1].lower() + commune.name[1:] if commune else f"xã {code}"


def _committee(event: PlanIssued | PlanAmended) -> str:
    """'UBND phường Đông Ngàn' for a ward: the plan's own issuing body (older events: 'UBND xã')."""
    if event.issuing_body:
        return event.issuing_body
    return {"phuong": "UBND phường", "thi_tran": "UBND thị trấn", "dac_khu": "UBND đặc khu"}.get(
        event.locality_type or "", "UBND xã")


def _common(commune_code: str, year: int, link: str) -> dict[str, Any]:
    return {"commune_name": commune_name(commune_code), "year": year, "link": link}


def for_plan_issued(event: PlanIssued) -> list[Addressed]:
    common = _common(event.commune_code, event.year, f"/plans/{event.plan_id}")
    messages = [
        Addressed("plan_issued_unit", Role.UNIT_REPORTER, unit.unit_code, {
            **common, "plan_title": event.title, "unit_name": unit.name, "task_count": len(unit.task_ids),
            "lead": unit.role.value == "lead", "committee": _committee(event), "deadline": event.report_deadline})
        for unit in event.units
    ]
    messages.append(Addressed("plan_issued_commune", Role.COMMUNE_OFFICER, None, {
        **common, "plan_title": event.title, "unit_count": len(event.units), "deadline": event.report_deadline}))
    return messages


def for_plan_amended(event: PlanAmended) -> list[Addressed]:
    common = _common(event.commune_code, event.year, f"/plans/{event.plan_id}")
    return [
        Addressed("plan_amended_unit", Role.UNIT_REPORTER, unit.unit_code, {
            **common, "plan_title": event.title, "version": event.version, "unit_name": unit.name,
            "task_count": len(unit.task_ids), "committee": _committee(event), "deadline": event.report_deadline})
        for unit in event.units
    ]


def for_unit_report_returned(event: UnitReportReturned) -> list[Addressed]:
    # the event names the unit by code only; the unit's reporters know their own name
    return [Addressed("unit_report_returned", Role.UNIT_REPORTER, event.unit_code, {
        **_common(event.commune_code, event.year, f"/plans/{event.plan_id}/reports/{event.report_id}"),
        "unit_name": "đơn vị", "revision": event.revision, "reason": event.reason})]


DEADLINE_NAMES = {"verification": "xác minh", "no_contact_decision": "quyết định cấm tiếp xúc"}


def _case(event: CaseReported | CaseRiskAssessed | CaseOverdue | CaseEscalated, at) -> dict[str, Any]:
    return {**_common(event.commune_code, local_date(at).year, f"/cases/{event.case_code}"),
            "case_code": event.case_code,
            "case_type_name": CASE_TYPE_NAMES.get(event.case_type.value, "bạo lực trên cơ sở giới"),
            "risk_name": RISK_NAMES.get(event.risk_level.value, event.risk_level.value)}


def for_risk_raised(event: CaseRiskAssessed) -> list[Addressed]:
    if not event.urgent:
        return []
    return [Addressed("case_urgent", Role.COMMUNE_LEADER, None, _case(event, event.assessed_at))]


def for_urgent_case(event: CaseReported) -> list[Addressed]:
    """Law 13/2022/QH15: a report reaches the commune chairman at once; high or critical risk is urgent."""
    if not event.urgent:
        return []
    return [Addressed("case_urgent", Role.COMMUNE_LEADER, None, _case(event, event.reported_at))]


def for_case_overdue(event: CaseOverdue) -> list[Addressed]:
    context = {**_case(event, event.detected_at), "due_at": event.due_at,
               "deadline_name": DEADLINE_NAMES.get(event.deadline, event.deadline)}
    return [Addressed("case_overdue", Role.CASE_WORKER, None, context),
            Addressed("case_overdue", Role.COMMUNE_LEADER, None, context)]


def for_case_escalated(event: CaseEscalated) -> list[Addressed]:
    if event.referral_status.value != "pending":
        return []  # the authority's answers are followed in the cases service
    context = {**_case(event, event.escalated_at), "escalated_at": event.escalated_at,
               "authority_name": AUTHORITY_NAMES.get(event.escalated_to.value, "cơ quan có thẩm quyền")}
    return [Addressed("case_escalated", Role.COMMUNE_LEADER, None, context),
            Addressed("case_escalated", Role.CASE_WORKER, None, context)]

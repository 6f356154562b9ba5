"""What each event notifies, to which roles, with what template context. Never a victim's data."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from services.common import admin_units
from services.common.clock import local_date
from services.common.events.contracts import (
    CaseEscalated,
    CaseOverdue,
    CaseReferred,
    CaseReported,
    CaseRiskAssessed,
    CommuneReportAccepted,
    CommuneReportApproved,
    CommuneReportReturned,
    CommuneReportSubmitted,
    PlanAmended,
    PlanClosed,
    PlanIssued,
    UnitDissolved,
    UnitReportReturned,
    UnitReportRevised,
    UnitReportSubmitted,
)
from services.common.roles import Role

# The events notifications receives (each concerns one commune); some notify nobody but webhooks.
NotifyingEvent = (PlanIssued | PlanAmended | PlanClosed | UnitDissolved | UnitReportSubmitted | UnitReportRevised
                  | UnitReportReturned | CaseReported | CaseRiskAssessed | CaseOverdue | CaseEscalated | CaseReferred
                  | CommuneReportApproved | CommuneReportSubmitted | CommuneReportReturned | CommuneReportAccepted)
# case alerts: at once whatever the quiet hours, never in a digest, and a channel that gives up falls back
URGENT_KINDS = frozenset({"case_urgent", "case_overdue"})

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


def _case(event: CaseReported | CaseRiskAssessed | CaseOverdue | CaseEscalated | CaseReferred, at) -> dict[str, Any]:
    return {**_common(event.commune_code, local_date(at).year, f"/cases/{event.case_code}"),
            "case_code": event.case_code,
            "case_type_name": CASE_TYPE_NAMES.get(event.case_type.value, "bạo lực trên cơ sở giới"),
            "risk_name": RISK_NAMES.get(event.risk_level.value, event.risk_level.value)}


def _to_chairman_and_case_workers(kind: str, context: Mapping[str, Any]) -> list[Addressed]:
    """An urgent case alert: the chairman (commune leader) and the commune's case workers."""
    return [Addressed(kind, Role.COMMUNE_LEADER, None, context), Addressed(kind, Role.CASE_WORKER, None, context)]


def for_risk_raised(event: CaseRiskAssessed) -> list[Addressed]:
    if not event.urgent:
        return []
    return _to_chairman_and_case_workers("case_urgent", _case(event, event.assessed_at))


def for_urgent_case(event: CaseReported) -> list[Addressed]:
    """Law 13/2022/QH15: a report reaches the commune chairman at once; high or critical risk is urgent."""
    if not event.urgent:
        return []
    return _to_chairman_and_case_workers("case_urgent", _case(event, event.reported_at))


def for_case_overdue(event: CaseOverdue) -> list[Addressed]:
    context = {**_case(event, event.detected_at), "due_at": event.due_at,
               "deadline_name": DEADLINE_NAMES.get(event.deadline, event.deadline)}
    return _to_chairman_and_case_workers("case_overdue", context)


def for_case_escalated(event: CaseEscalated) -> list[Addressed]:
    if event.referral_status.value != "pending":
        return []  # the authority's answers are followed in the cases service
    context = {**_case(event, event.escalated_at), "escalated_at": event.escalated_at,
               "authority_name": AUTHORITY_NAMES.get(event.escalated_to.value, "cơ quan có thẩm quyền")}
    return [Addressed("case_escalated", Role.COMMUNE_LEADER, None, context),
            Addressed("case_escalated", Role.CASE_WORKER, None, context)]


def for_case_referred(event: CaseReferred) -> list[Addressed]:
    """A referral awaiting the service's answer (accepted or rejected), which the case workers follow."""
    if event.referral_status.value != "pending":
        return []
    return [Addressed("case_referred", Role.CASE_WORKER, None, {
        **_case(event, event.referred_at), "referred_at": event.referred_at,
        "authority_name": AUTHORITY_NAMES.get(event.referred_to.value, "cơ quan có thẩm quyền")})]


def _to_commune_staff(kind: str, context: Mapping[str, Any]) -> list[Addressed]:
    return [Addressed(kind, Role.COMMUNE_OFFICER, None, context), Addressed(kind, Role.COMMUNE_LEADER, None, context)]


def _report(event: CommuneReportApproved | CommuneReportSubmitted | CommuneReportReturned
            | CommuneReportAccepted) -> dict[str, Any]:
    return _common(event.commune_code, event.year, f"/plans/{event.plan_id}/commune-report")


def for_commune_report_approved(event: CommuneReportApproved) -> list[Addressed]:
    return _to_commune_staff("commune_report_approved", _report(event))


def for_commune_report_submitted(event: CommuneReportSubmitted) -> list[Addressed]:
    """To the commune's staff, and to Sở Nội vụ (province officers), who receive it."""
    received = Addressed("commune_report_received", Role.PROVINCE_OFFICER, None, {
        **_report(event), "document_number": f"{event.document_number}/{event.document_symbol}",
        "document_date": event.document_date, "revision": event.revision})
    return [*_to_commune_staff("commune_report_submitted", _report(event)), received]


def for_commune_report_returned(event: CommuneReportReturned) -> list[Addressed]:
    return _to_commune_staff("commune_report_returned", {**_report(event), "reason": event.reason})


def for_commune_report_accepted(event: CommuneReportAccepted) -> list[Addressed]:
    return _to_commune_staff("commune_report_accepted", _report(event))


ACTION_MONTH_END = (12, 15)  # the Action Month runs from 15 November (schedule.ACTION_MONTH) to 15 December


def for_reminder(kind: str, commune_code: str, plan_id: str, context: Mapping[str, Any], role: Role,
                 unit_code: str | None) -> Addressed:
    """A reminder from the plan's dates (schedule.py names the kinds and fills `context`) as a template kind
    and its context."""
    year = int(context["year"])
    common = _common(commune_code, year, f"/plans/{plan_id}")
    if kind.startswith("unit_deadline_in_"):
        return Addressed("reminder_before_deadline", role, unit_code, {
            **common, "unit_name": context["unit_name"], "deadline": context["deadline"],
            "days_left": _days_in(kind)})
    if kind == "unit_deadline_passed":
        return Addressed("reminder_after_deadline", role, unit_code, {
            **common, "unit_name": context["unit_name"], "deadline": context["deadline"]})
    if kind == "action_month":
        return Addressed("action_month_start", role, unit_code, {
            **common, "start": context["day"], "end": dt.date(year, *ACTION_MONTH_END).isoformat()})
    if kind.startswith("observance_"):
        return Addressed("observance_day", role, unit_code, {
            **common, "observance_name": context["day_name"], "day": context["day"]})
    if kind.startswith("commune_deadline_in_"):
        return Addressed("commune_deadline", role, None, {
            **common, "deadline": context["deadline"], "days_left": _days_in(kind)})
    raise ValueError(f"no template for reminders of kind {kind!r}")


def _days_in(kind: str) -> int:
    """unit_deadline_in_14_days -> 14, commune_deadline_in_1_day -> 1."""
    return int(kind.rsplit("_in_", 1)[1].split("_", 1)[0])

"""Notification texts, in Vietnamese, for role-based recipients. Never a victim's data."""
from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from services.common.clock import VIETNAM
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
    PlanIssued,
    UnitReportReturned,
)
from services.common.roles import Role

# The events notifications are made from (each concerns one commune).
NotifyingEvent = (PlanIssued | PlanAmended | UnitReportReturned | CaseReported | CaseRiskAssessed | CaseOverdue
                  | CaseEscalated | CaseReferred | CommuneReportApproved | CommuneReportSubmitted
                  | CommuneReportReturned | CommuneReportAccepted)

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
class Message:
    template: str
    recipient_role: Role
    recipient_unit: str | None
    title: str
    body: str
    urgent: bool = False  # a case alert: at once, whatever the quiet hours (sms and email)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _committee(event: PlanIssued | PlanAmended) -> str:
    """'UBND phường Đông Ngàn' for a ward: the plan's own issuing body (older events: 'UBND xã')."""
    if event.issuing_body:
        return event.issuing_body
    return {"phuong": "UBND phường", "thi_tran": "UBND thị trấn", "dac_khu": "UBND đặc khu"}.get(
        event.locality_type or "", "UBND xã")


def _vietnam_time(moment: dt.datetime) -> str:
    return moment.astimezone(VIETNAM).strftime("%H:%M %d/%m/%Y")


def for_plan_issued(event: PlanIssued) -> list[Message]:
    deadline = event.report_deadline.strftime("%d/%m/%Y")
    messages = [
        Message("plan_issued_unit", Role.UNIT_REPORTER, unit.unit_code,
                _nfc(f"Kế hoạch năm {event.year} đã được ban hành"),
                _nfc(f"Kế hoạch \"{event.title}\" đã được ban hành. {unit.name} được giao "
                     f"{len(unit.task_ids)} nhiệm vụ ({'chủ trì' if unit.role.value == 'lead' else 'phối hợp'}). "
                     f"Đề nghị gửi báo cáo kết quả thực hiện về {_committee(event)} trước ngày {deadline}."))
        for unit in event.units
    ]
    messages.append(Message("plan_issued_commune", Role.COMMUNE_OFFICER, None,
                            _nfc(f"Kế hoạch năm {event.year} đã được ban hành"),
                            _nfc(f"Kế hoạch \"{event.title}\" đã ban hành cho {len(event.units)} đơn vị; "
                                 f"hạn báo cáo trước ngày {deadline}.")))
    return messages


def for_plan_amended(event: PlanAmended) -> list[Message]:
    deadline = event.report_deadline.strftime("%d/%m/%Y")
    return [
        Message("plan_amended_unit", Role.UNIT_REPORTER, unit.unit_code,
                _nfc(f"Kế hoạch năm {event.year} đã được sửa đổi"),
                _nfc(f"Kế hoạch \"{event.title}\" đã được sửa đổi (phiên bản {event.version}). {unit.name} hiện "
                     f"được giao {len(unit.task_ids)} nhiệm vụ; hạn báo cáo về {_committee(event)} trước ngày "
                     f"{deadline}."))
        for unit in event.units
    ]


def for_unit_report_returned(event: UnitReportReturned) -> list[Message]:
    return [Message("unit_report_returned", Role.UNIT_REPORTER, event.unit_code,
                    _nfc(f"Báo cáo năm {event.year} bị trả lại để chỉnh sửa"),
                    _nfc(f"UBND xã đã trả lại báo cáo kết quả (lần nộp thứ {event.revision}) của đơn vị để chỉnh "
                         "sửa. Xem lý do trong hệ thống và nộp lại báo cáo."))]


DEADLINE_NAMES = {"verification": "xác minh", "no_contact_decision": "quyết định cấm tiếp xúc"}


def for_risk_raised(event: CaseRiskAssessed) -> list[Message]:
    if not event.urgent:
        return []
    risk = RISK_NAMES.get(event.risk_level.value, event.risk_level.value)
    return _to_chairman_and_case_workers(
        "case_urgent", _nfc(f"KHẨN: vụ việc {event.case_code} nguy cơ {risk}"),
        _nfc(f"Đánh giá lại vụ việc {event.case_code}: mức độ nguy cơ tăng lên {risk}. Đề nghị Chủ tịch "
             "UBND xã chỉ đạo xử lý ngay theo Luật Phòng, chống bạo lực gia đình."))


def _to_chairman_and_case_workers(template: str, title: str, body: str) -> list[Message]:
    """An urgent case alert: the chairman (commune leader) and the commune's case workers."""
    return [Message(template, Role.COMMUNE_LEADER, None, title, body, urgent=True),
            Message(template, Role.CASE_WORKER, None, title, body, urgent=True)]


def for_urgent_case(event: CaseReported) -> list[Message]:
    """Law 13/2022/QH15: a report reaches the commune chairman at once; high or critical risk is urgent."""
    if not event.urgent:
        return []
    kind = CASE_TYPE_NAMES.get(event.case_type.value, "bạo lực trên cơ sở giới")
    risk = RISK_NAMES.get(event.risk_level.value, event.risk_level.value)
    return _to_chairman_and_case_workers(
        "case_urgent", _nfc(f"KHẨN: vụ việc {event.case_code} nguy cơ {risk}"),
        _nfc(f"Tiếp nhận vụ việc {event.case_code} ({kind}) với mức độ nguy cơ {risk}. Đề nghị Chủ tịch "
             "UBND xã chỉ đạo xử lý ngay theo Luật Phòng, chống bạo lực gia đình."))


def for_case_overdue(event: CaseOverdue) -> list[Message]:
    what = DEADLINE_NAMES.get(event.deadline, event.deadline)
    title = _nfc(f"Quá hạn {what}: vụ việc {event.case_code}")
    body = _nfc(f"Vụ việc {event.case_code} đã quá hạn {what} (hạn {_vietnam_time(event.due_at)}). "
                "Đề nghị xử lý ngay.")
    return _to_chairman_and_case_workers("case_overdue", title, body)


def for_case_escalated(event: CaseEscalated) -> list[Message]:
    if event.referral_status.value != "pending":
        return []  # the authority's answers are followed in the cases service
    authority = AUTHORITY_NAMES.get(event.escalated_to.value, "cơ quan có thẩm quyền")
    kind = CASE_TYPE_NAMES.get(event.case_type.value, "bạo lực trên cơ sở giới")
    risk = RISK_NAMES.get(event.risk_level.value, event.risk_level.value)
    title = _nfc(f"Vụ việc {event.case_code} đã được chuyển lên {authority}")
    body = _nfc(f"Vụ việc {event.case_code} ({kind}, mức độ nguy cơ {risk}) đã được chuyển lên {authority} "
                f"lúc {_vietnam_time(event.escalated_at)}. "
                "Xem chi tiết trong hệ thống quản lý vụ việc.")
    return [Message("case_escalated", Role.COMMUNE_LEADER, None, title, body),
            Message("case_escalated", Role.CASE_WORKER, None, title, body)]


def for_case_referred(event: CaseReferred) -> list[Message]:
    """A referral awaiting the service's answer (accepted or rejected), which the case workers follow."""
    if event.referral_status.value != "pending":
        return []
    to = AUTHORITY_NAMES.get(event.referred_to.value, "cơ quan có thẩm quyền")
    title = _nfc(f"Vụ việc {event.case_code} đã được chuyển gửi {to}, chờ trả lời")
    body = _nfc(f"Vụ việc {event.case_code} đã được chuyển gửi {to} lúc {_vietnam_time(event.referred_at)} và đang "
                "chờ trả lời tiếp nhận. Theo dõi và cập nhật kết quả trong hệ thống quản lý vụ việc.")
    return [Message("case_referred", Role.CASE_WORKER, None, title, body)]


def _day(iso: str) -> str:
    return dt.date.fromisoformat(iso).strftime("%d/%m/%Y")


def for_reminder(kind: str, context: dict, role: str, unit_code: str | None) -> Message:
    """The text of a reminder from the plan's dates (schedule.py names the kinds and fills `context`)."""
    year, recipient = context["year"], Role(role)
    if kind.startswith("unit_deadline_in_"):
        deadline = _day(context["deadline"])
        return Message("reminder_before_deadline", recipient, unit_code,
                       _nfc(f"Nhắc hạn báo cáo kết quả năm {year}: trước ngày {deadline}"),
                       _nfc(f"Đề nghị {context['unit_name']} gửi báo cáo kết quả thực hiện Kế hoạch "
                            f"\"{context['plan_title']}\" về UBND xã trước ngày {deadline}. Đơn vị đã gửi báo cáo "
                            "thì không cần thực hiện thêm."))
    if kind == "unit_deadline_passed":
        deadline = _day(context["deadline"])
        return Message("reminder_after_deadline", recipient, unit_code, _nfc(f"Quá hạn báo cáo kết quả năm {year}"),
                       _nfc("Đến nay UBND xã chưa nhận được báo cáo kết quả thực hiện Kế hoạch "
                            f"\"{context['plan_title']}\" của {context['unit_name']} (hạn trước ngày {deadline}). "
                            "Đề nghị đơn vị khẩn trương gửi báo cáo."))
    if kind == "action_month":
        return Message("action_month_start", recipient, unit_code,
                       _nfc(f"Tháng hành động vì bình đẳng giới năm {year}"),
                       _nfc(f"Tháng hành động vì bình đẳng giới bắt đầu từ ngày {_day(context['day'])}. Đề nghị "
                            f"{context['unit_name']} triển khai các hoạt động được giao trong Kế hoạch."))
    if kind.startswith("observance_"):
        return Message("observance_day", recipient, unit_code, _nfc(f"{context['day_name']}"),
                       _nfc(f"Ngày {_day(context['day'])} là {context['day_name']}. Đề nghị {context['unit_name']} "
                            "tổ chức các hoạt động hưởng ứng theo Kế hoạch."))
    if kind.startswith("commune_deadline_in_"):
        deadline = _day(context["deadline"])
        return Message("commune_deadline", recipient, None,
                       _nfc(f"Nhắc hạn gửi báo cáo năm {year} về Sở Nội vụ: {deadline}"),
                       _nfc(f"Báo cáo kết quả thực hiện công tác bình đẳng giới năm {year} của xã cần được phê duyệt "
                            f"và gửi Sở Nội vụ chậm nhất ngày {deadline}."))
    raise ValueError(f"no text for reminders of kind {kind!r}")


def _to_commune_staff(template: str, title: str, body: str) -> list[Message]:
    return [Message(template, Role.COMMUNE_OFFICER, None, title, body),
            Message(template, Role.COMMUNE_LEADER, None, title, body)]


def for_commune_report_approved(event: CommuneReportApproved) -> list[Message]:
    return _to_commune_staff(
        "commune_report_approved", _nfc(f"Báo cáo năm {event.year} của xã đã được phê duyệt"),
        _nfc(f"Lãnh đạo UBND xã đã phê duyệt báo cáo kết quả năm {event.year} ({event.units_reported}/"
             f"{event.units_expected} đơn vị đã báo cáo). Báo cáo của các đơn vị đã được khóa."))


def for_commune_report_submitted(event: CommuneReportSubmitted) -> list[Message]:
    number = f"{event.document_number}/{event.document_symbol}"
    day = event.document_date.strftime("%d/%m/%Y")
    staff = _to_commune_staff(
        "commune_report_submitted", _nfc(f"Báo cáo năm {event.year} đã được gửi Sở Nội vụ"),
        _nfc(f"Báo cáo số {number} ngày {day} (lần {event.revision}) đã được gửi Sở Nội vụ"
             + (", sau hạn " if event.late else ", trong hạn ") + f"{event.province_deadline.strftime('%d/%m/%Y')}."))
    province = Message("commune_report_received", Role.PROVINCE_OFFICER, None,
                       _nfc(f"Nhận báo cáo năm {event.year} của xã mã {event.commune_code}"),
                       _nfc(f"Sở Nội vụ nhận được báo cáo số {number} ngày {day} (lần {event.revision}) của xã mã "
                            f"{event.commune_code}. Đề nghị xem xét, tiếp nhận hoặc trả lại kèm lý do."))
    return [*staff, province]


def for_commune_report_returned(event: CommuneReportReturned) -> list[Message]:
    return _to_commune_staff(
        "commune_report_returned", _nfc(f"Sở Nội vụ trả lại báo cáo năm {event.year}"),
        _nfc(f"Sở Nội vụ đã trả lại báo cáo năm {event.year} (lần {event.revision}) để hoàn thiện. Xem lý do trong "
             "hệ thống, chỉnh sửa và gửi lại."))


def for_commune_report_accepted(event: CommuneReportAccepted) -> list[Message]:
    return _to_commune_staff(
        "commune_report_accepted", _nfc(f"Sở Nội vụ đã tiếp nhận báo cáo năm {event.year}"),
        _nfc(f"Sở Nội vụ đã tiếp nhận báo cáo năm {event.year} (lần {event.revision}) của xã."))

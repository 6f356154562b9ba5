"""What each event notifies: role-based recipients and contexts that render in Vietnamese (NFC)."""
import unicodedata
import uuid
from datetime import UTC, date, datetime

from services.common.events.contracts import (
    Authority,
    CaseOverdue,
    CaseReferred,
    CaseRiskAssessed,
    CaseType,
    IssuedUnit,
    PlanIssued,
    ReferralStatus,
    RiskLevel,
    UnitRole,
)
from services.common.roles import Role
from services.notifications import notices, templates


def text(addressed: notices.Addressed) -> templates.Rendered:
    return templates.render(addressed.kind, addressed.context, "http://localhost")


def assessed(urgent: bool) -> CaseRiskAssessed:
    return CaseRiskAssessed(case_code="VV26-ABCDEFGH", commune_code="07543",
                            case_type=CaseType.DOMESTIC_VIOLENCE_PHYSICAL, risk_level=RiskLevel.CRITICAL,
                            status="reported", previous_risk_level=RiskLevel.MEDIUM,
                            assessed_at=datetime(2026, 11, 2, tzinfo=UTC), urgent=urgent)


def test_a_risk_raised_to_urgent_alerts_the_chairman_and_case_workers_only_once_it_is_urgent():
    messages = notices.for_risk_raised(assessed(True))
    assert {m.recipient_role for m in messages} == {"commune_leader", "case_worker"}
    for message in messages:
        assert message.kind == "case_urgent" and message.kind in notices.URGENT_KINDS
        rendered = text(message)
        assert "VV26-ABCDEFGH" in rendered.title and rendered.body == unicodedata.normalize("NFC", rendered.body)
    assert notices.for_risk_raised(assessed(False)) == []


def plan_issued(**issuer) -> PlanIssued:
    return PlanIssued(plan_id=uuid.uuid4(), commune_code="07525", year=2026, version=1, title="Kế hoạch BĐG 2026",
                      report_deadline=date(2026, 12, 15), issued_at=datetime(2026, 6, 1, tzinfo=UTC),
                      units=[IssuedUnit(unit_code="VHXH", name="Phòng Văn hóa - Xã hội", role=UnitRole.LEAD,
                                        task_ids=["TC-1.1"])], **issuer)


def test_a_wards_plan_asks_for_reports_to_the_wards_committee_never_a_communes():
    ward = plan_issued(issuing_body="UBND phường Đông Ngàn", locality_type="phuong")
    for message in notices.for_plan_issued(ward):
        assert "UBND xã" not in text(message).body
    assert "về UBND phường Đông Ngàn trước ngày 15/12/2026" in text(notices.for_plan_issued(ward)[0]).body
    township = plan_issued(locality_type="thi_tran")  # an older event may carry the kind only
    assert "về UBND thị trấn trước ngày" in text(notices.for_plan_issued(township)[0]).body
    assert "về UBND xã trước ngày" in text(notices.for_plan_issued(plan_issued())[0]).body  # events from before


def test_times_are_printed_in_vietnam_time():
    overdue = CaseOverdue(case_code="VV26-ABCDEFGH", commune_code="07543", deadline="verification",
                          due_at=datetime(2026, 11, 2, 20, 30, tzinfo=UTC), risk_level=RiskLevel.HIGH,
                          status="reported", case_type=CaseType.DOMESTIC_VIOLENCE_PHYSICAL,
                          detected_at=datetime(2026, 11, 2, 21, 0, tzinfo=UTC))
    [message, _] = notices.for_case_overdue(overdue)
    assert "03:30 03/11/2026" in text(message).body and "UTC" not in text(message).body


def referred(status: str) -> CaseReferred:
    return CaseReferred(case_code="VV26-ABCDEFGH", commune_code="07543", case_type=CaseType.SEXUAL_ABUSE,
                        risk_level=RiskLevel.HIGH, status="handling", referred_to=Authority.SOCIAL_WORK_CENTRE,
                        referred_at=datetime(2026, 11, 2, 1, 0, tzinfo=UTC), referral_id=uuid.uuid4(),
                        referral_status=ReferralStatus(status), status_changed_at=datetime(2026, 11, 2, tzinfo=UTC),
                        consent_override=False)


def test_a_referral_awaiting_an_answer_tells_the_case_workers_and_nobody_else():
    [message] = notices.for_case_referred(referred("pending"))
    assert message.recipient_role == "case_worker" and message.kind == "case_referred"
    body = text(message).body
    assert "VV26-ABCDEFGH" in body and "Trung tâm công tác xã hội" in body
    assert "08:00 02/11/2026" in body
    assert notices.for_case_referred(referred("accepted")) == []


def test_reminders_from_the_plans_dates_take_their_template_kinds_with_everything_they_need():
    base = {"year": 2026, "plan_id": "p", "plan_title": "Kế hoạch", "unit_code": "VHXH",
            "unit_name": "Văn hóa - Xã hội", "deadline": "2026-11-20"}
    cases = [("unit_deadline_in_7_days", base, "reminder_before_deadline"),
             ("unit_deadline_passed", base, "reminder_after_deadline"),
             ("action_month", {**base, "day": "2026-11-15"}, "action_month_start"),
             ("observance_family_day", {**base, "day": "2026-06-28", "day_name": "Ngày Gia đình Việt Nam 28/6"},
              "observance_day"),
             ("commune_deadline_in_1_day", {"year": 2026, "plan_id": "p", "plan_title": "K",
                                            "deadline": "2026-12-15"}, "commune_deadline")]
    for kind, context, template in cases:
        addressed = notices.for_reminder(kind, "07543", "p", context, Role.UNIT_REPORTER, "VHXH")
        assert addressed.kind == template
        text(addressed)  # every key its template needs (StrictUndefined)
    before = notices.for_reminder("unit_deadline_in_7_days", "07543", "p", base, Role.UNIT_REPORTER, "VHXH")
    assert before.context["days_left"] == 7 and "còn 7 ngày" in text(before).title
    month = text(notices.for_reminder("action_month", "07543", "p", {**base, "day": "2026-11-15"},
                                      Role.UNIT_REPORTER, "VHXH"))
    assert "15/11/2026" in month.body and "15/12/2026" in month.body

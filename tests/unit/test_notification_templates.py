"""Notification texts: Vietnamese (NFC), role-based recipients, never a victim's details."""
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
from services.notifications import templates


def assessed(urgent: bool) -> CaseRiskAssessed:
    return CaseRiskAssessed(case_code="VV26-ABCDEFGH", commune_code="07543",
                            case_type=CaseType.DOMESTIC_VIOLENCE_PHYSICAL, risk_level=RiskLevel.CRITICAL,
                            status="reported", previous_risk_level=RiskLevel.MEDIUM,
                            assessed_at=datetime(2026, 11, 2, tzinfo=UTC), urgent=urgent)


def test_a_risk_raised_to_urgent_alerts_the_chairman_and_case_workers_only_once_it_is_urgent():
    messages = templates.for_risk_raised(assessed(True))
    assert {m.recipient_role for m in messages} == {"commune_leader", "case_worker"}
    for message in messages:
        assert message.template == "case_urgent" and message.urgent
        assert "VV26-ABCDEFGH" in message.title and message.body == unicodedata.normalize("NFC", message.body)
    assert templates.for_risk_raised(assessed(False)) == []


def plan_issued(**issuer) -> PlanIssued:
    return PlanIssued(plan_id=uuid.uuid4(), commune_code="07525", year=2026, version=1, title="Kế hoạch BĐG 2026",
                      report_deadline=date(2026, 12, 15), issued_at=datetime(2026, 6, 1, tzinfo=UTC),
                      units=[IssuedUnit(unit_code="VHXH", name="Phòng Văn hóa - Xã hội", role=UnitRole.LEAD,
                                        task_ids=["TC-1.1"])], **issuer)


def test_a_wards_plan_asks_for_reports_to_the_wards_committee_never_a_communes():
    ward = plan_issued(issuing_body="UBND phường Đông Ngàn", locality_type="phuong")
    for message in templates.for_plan_issued(ward):
        assert "UBND xã" not in message.body
    assert "về UBND phường Đông Ngàn trước ngày 15/12/2026" in templates.for_plan_issued(ward)[0].body
    township = plan_issued(locality_type="thi_tran")  # an older event may carry the kind only
    assert "về UBND thị trấn trước ngày" in templates.for_plan_issued(township)[0].body
    assert "về UBND xã trước ngày" in templates.for_plan_issued(plan_issued())[0].body  # events from before


def test_times_are_printed_in_vietnam_time():
    overdue = CaseOverdue(case_code="VV26-ABCDEFGH", commune_code="07543", deadline="verification",
                          due_at=datetime(2026, 11, 2, 20, 30, tzinfo=UTC), risk_level=RiskLevel.HIGH,
                          status="reported", case_type=CaseType.DOMESTIC_VIOLENCE_PHYSICAL,
                          detected_at=datetime(2026, 11, 2, 21, 0, tzinfo=UTC))
    [message, _] = templates.for_case_overdue(overdue)
    assert "03:30 03/11/2026" in message.body and "UTC" not in message.body


def referred(status: str) -> CaseReferred:
    return CaseReferred(case_code="VV26-ABCDEFGH", commune_code="07543", case_type=CaseType.SEXUAL_ABUSE,
                        risk_level=RiskLevel.HIGH, status="handling", referred_to=Authority.SOCIAL_WORK_CENTRE,
                        referred_at=datetime(2026, 11, 2, 1, 0, tzinfo=UTC), referral_id=uuid.uuid4(),
                        referral_status=ReferralStatus(status), status_changed_at=datetime(2026, 11, 2, tzinfo=UTC),
                        consent_override=False)


def test_a_referral_awaiting_an_answer_tells_the_case_workers_and_nobody_else():
    [message] = templates.for_case_referred(referred("pending"))
    assert message.recipient_role == "case_worker" and message.template == "case_referred"
    assert "VV26-ABCDEFGH" in message.body and "Trung tâm công tác xã hội" in message.body
    assert "08:00 02/11/2026" in message.body
    assert templates.for_case_referred(referred("accepted")) == []

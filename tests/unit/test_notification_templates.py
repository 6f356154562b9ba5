"""Notification texts: Vietnamese (NFC), role-based recipients, never a victim's details."""
import unicodedata
from datetime import UTC, datetime

from services.common.events.contracts import CaseRiskAssessed, CaseType, RiskLevel
from services.notifications import templates


def assessed(urgent: bool) -> CaseRiskAssessed:
    return CaseRiskAssessed(case_code="VV26-ABCDEFGH", commune_code="27154",
                            case_type=CaseType.DOMESTIC_VIOLENCE_PHYSICAL, risk_level=RiskLevel.CRITICAL,
                            status="reported", previous_risk_level=RiskLevel.MEDIUM,
                            assessed_at=datetime(2026, 11, 2, tzinfo=UTC), urgent=urgent)


def test_a_risk_raised_to_urgent_alerts_the_chairman_only_once_it_is_urgent():
    [message] = templates.for_risk_raised(assessed(True))
    assert message.recipient_role == "commune_leader" and message.template == "case_urgent"
    assert "VV26-ABCDEFGH" in message.title and message.body == unicodedata.normalize("NFC", message.body)
    assert templates.for_risk_raised(assessed(False)) == []

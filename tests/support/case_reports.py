"""A reported case as a case worker records it (victim, consents, risk questionnaire, incident), for tests."""
from typing import Any

COMMUNE = "07543"

VICTIM: dict[str, Any] = {
    "full_name": "Lê Thị Hoà Bình", "sex": "female", "date_of_birth": "1991-03-08", "phone": "0912345678",
    "address": "Số 7 ngõ Đình, thôn Đông", "vulnerabilities": ["pregnant"]}
NARRATIVE = "Chồng say rượu đánh vợ ở bếp nhà riêng"
PLACE = "Nhà riêng ở xóm Bến"
REPORTER = "Ông Trịnh Văn Quý, trưởng thôn Đông"


def answers(**yes) -> dict:
    """A risk questionnaire: every question answered, `no` unless given."""
    questions = ["threats_to_kill", "weapon_used_or_threatened", "strangulation_or_choking", "injury_needing_care",
                 "violence_increasing", "sexual_violence", "victim_is_child", "victim_pregnant",
                 "victim_has_disability", "victim_fears_for_life", "perpetrator_lives_with_victim",
                 "perpetrator_substance_abuse"]
    return {**{q: False for q in questions}, "previous_incidents": 0, **yes}


def report_body(**changes):
    body = {"case_type": "domestic_violence_physical", "intake_channel": "village_head", "village": "Thôn Đông",
            "intake": {"reporter_description": REPORTER, "reporter_contact": "0987654321"},
            "victim": VICTIM, "consent": {"services": True, "sharing": True, "statistics": True},
            "risk_assessment": answers(threats_to_kill=True, injury_needing_care=True, victim_pregnant=True),
            "incident": {"occurred_on": "2026-11-01", "incident_type": "domestic_violence_physical",
                         "perpetrator_relationship": "spouse", "place": PLACE, "narrative": NARRATIVE}}
    body.update(changes)
    return body

"""Pure rules of a case: its lifecycle and pseudonymous codes."""
from __future__ import annotations

import enum
import secrets

from services.common.errors import Conflict, Unprocessable

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read aloud on the phone


class CaseStatus(str, enum.Enum):
    REPORTED = "reported"
    VERIFYING = "verifying"
    VERIFIED = "verified"
    UNFOUNDED = "unfounded"
    SUPPORTING = "supporting"
    ESCALATED = "escalated"
    REFERRED = "referred"
    FOLLOW_UP = "follow_up"
    CLOSED = "closed"


S = CaseStatus
# reported → verifying → verified | unfounded → supporting → escalated | referred → follow-up → closed.
# Escalation and referral may come before verification: a victim in danger cannot wait for it.
# A closed case may be reopened (recorded as such) into verification, support or follow-up.
TRANSITIONS: dict[CaseStatus, set[CaseStatus]] = {
    S.REPORTED: {S.VERIFYING, S.ESCALATED, S.REFERRED},
    S.VERIFYING: {S.VERIFIED, S.UNFOUNDED, S.ESCALATED, S.REFERRED},
    S.VERIFIED: {S.SUPPORTING, S.ESCALATED, S.REFERRED, S.FOLLOW_UP},
    S.UNFOUNDED: {S.CLOSED, S.VERIFYING},
    S.SUPPORTING: {S.ESCALATED, S.REFERRED, S.FOLLOW_UP},
    S.ESCALATED: {S.SUPPORTING, S.REFERRED, S.FOLLOW_UP},
    S.REFERRED: {S.SUPPORTING, S.ESCALATED, S.FOLLOW_UP},
    S.FOLLOW_UP: {S.SUPPORTING, S.ESCALATED, S.REFERRED, S.CLOSED},
    S.CLOSED: {S.VERIFYING, S.SUPPORTING, S.FOLLOW_UP},
}
# Reached only through their own endpoints, which record the authority and the reason.
VIA_REFERRAL = {S.ESCALATED, S.REFERRED}


def new_case_code(year: int) -> str:
    """Pseudonymous: random, carries no name, no commune and no sequence."""
    return f"VV{year % 100:02d}-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def parse_status(value: str) -> CaseStatus:
    try:
        return CaseStatus(value)
    except ValueError:
        raise Unprocessable("Trạng thái này không tồn tại.", fields=[
            {"field": "to_status", "problem": "một trong: " + ", ".join(s.value for s in CaseStatus)}]) from None


def check_transition(current: str, target: CaseStatus) -> None:
    allowed = TRANSITIONS[CaseStatus(current)]
    if target not in allowed:
        raise Conflict(f"Không thể chuyển vụ việc từ '{current}' sang '{target.value}'. Được phép: "
                       + ", ".join(sorted(s.value for s in allowed)) + ".", code="illegal_transition")


def is_reopening(current: str) -> bool:
    return current == CaseStatus.CLOSED.value



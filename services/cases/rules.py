"""Pure rules of a case: its lifecycle and pseudonymous codes."""
from __future__ import annotations

import enum
import secrets

from services.common.errors import Conflict

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


# A case can be escalated at any point before it is closed: a report may reach the police
# before verification when the victim is in danger.
ESCALATABLE = {CaseStatus.REPORTED, CaseStatus.VERIFYING, CaseStatus.VERIFIED, CaseStatus.SUPPORTING,
               CaseStatus.FOLLOW_UP}


def new_case_code(year: int) -> str:
    """Pseudonymous: random, carries no name, no commune and no sequence."""
    return f"VV{year % 100:02d}-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def check_can_escalate(status: str) -> None:
    if CaseStatus(status) not in ESCALATABLE:
        raise Conflict(f"Không thể chuyển vụ việc ở trạng thái '{status}' lên cơ quan có thẩm quyền.",
                       code="illegal_transition")

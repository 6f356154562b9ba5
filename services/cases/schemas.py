"""Request and response bodies of the cases HTTP API."""
from __future__ import annotations

import datetime as dt
import enum
from typing import ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    ValidationInfo,
    field_validator,
    model_serializer,
    model_validator,
)

from services.cases.risk import RiskAssessment
from services.cases.rules import CaseStatus
from services.cases.statistics_periods import is_whole_period_start, whole_period
from services.common.admin_units import KnownCommuneCode
from services.common.answers import Answer, Count
from services.common.events.contracts import (
    FIRST_YEAR,
    LAST_YEAR,
    Authority,
    CaseType,
    IntakeChannel,
    MeasureDecision,
    MeasureKind,
    ReferralStatus,
    RiskLevel,
    Sex,
)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)

    @model_validator(mode="after")
    def _plausible_moments(self):
        """Moments must carry a timezone and fall in the years the platform handles (deadline arithmetic stays
        in range); dates, such as a date of birth, may be a century older."""
        for name, value in self:
            if isinstance(value, dt.datetime):
                if value.tzinfo is None:
                    raise ValueError(f"{name} must carry a timezone offset")
                if not FIRST_YEAR <= value.year <= LAST_YEAR:
                    raise ValueError(f"{name} must fall between {FIRST_YEAR} and {LAST_YEAR}")
            elif isinstance(value, dt.date) and not FIRST_YEAR - 100 <= value.year <= LAST_YEAR:
                raise ValueError(f"{name} must fall between {FIRST_YEAR - 100} and {LAST_YEAR}")
        return self


class Vulnerability(str, enum.Enum):
    CHILD = "child"
    PREGNANT = "pregnant"
    DISABILITY = "disability"
    ELDERLY = "elderly"


class Relationship(str, enum.Enum):
    SPOUSE = "spouse"
    FORMER_SPOUSE = "former_spouse"
    PARTNER = "partner"
    PARENT = "parent"
    CHILD = "child"
    OTHER_FAMILY = "other_family"
    ACQUAINTANCE = "acquaintance"
    EMPLOYER = "employer"
    STRANGER = "stranger"
    UNKNOWN = "unknown"


class VictimIn(Strict):
    full_name: str = Field(min_length=1, max_length=200)
    sex: Sex
    age: int | None = Field(None, ge=0, le=120)
    date_of_birth: dt.date | None = None
    phone: str | None = Field(None, max_length=32)
    address: str | None = Field(None, max_length=500)
    vulnerabilities: list[Vulnerability] = Field(default_factory=list, max_length=4)


class IntakeIn(Strict):
    """Who brought the case to the commune (kept encrypted: it can identify people)."""
    reporter_description: str | None = Field(None, max_length=500, description="e.g. 'trưởng thôn Đông'")
    reporter_contact: str | None = Field(None, max_length=200)


class ConsentIn(Strict):
    services: bool = Field(description="to receive support services")
    sharing: bool = Field(description="to share with or refer to other agencies")
    statistics: bool = Field(description="to be counted in statistics")


class IncidentIn(Strict):
    occurred_on: dt.date | None = None
    incident_type: CaseType
    perpetrator_relationship: Relationship
    place: str | None = Field(None, max_length=500)
    narrative: str | None = Field(None, max_length=8000)


class ReportCase(Strict):
    case_type: CaseType
    intake_channel: IntakeChannel
    intake: IntakeIn = Field(default_factory=IntakeIn)
    village: str | None = Field(None, max_length=200, description="Thôn where the case was detected.")
    reported_at: dt.datetime | None = None
    victim: VictimIn
    consent: ConsentIn
    risk_assessment: RiskAssessment | None = Field(None, description="Default: assessed as medium until done.")
    incident: IncidentIn | None = None


class TransitionIn(Strict):
    to_status: str = Field(pattern=r"^[a-z_]{1,32}$")
    reason: str = Field(min_length=1, max_length=2000)


class MeasureIn(Strict):
    kind: MeasureKind
    provider: str | None = Field(None, max_length=300)
    trusted_address_id: str | None = Field(None, max_length=36)
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    notes: str | None = Field(None, max_length=4000)


class MeasureUpdate(Strict):
    decision: MeasureDecision | None = None
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    outcome: str | None = Field(None, pattern=r"^(completed|ongoing|discontinued|declined)$")
    notes: str | None = Field(None, max_length=4000)


class ReferralIn(Strict):
    authority: Authority
    reason: str = Field(min_length=1, max_length=2000)
    consent_override_reason: str | None = Field(
        None, max_length=2000, description="Required to refer without the victim's consent to sharing.")


class ReferralResponse(Strict):
    reason: str | None = Field(None, max_length=2000, description="Required when rejecting.")


class TrustedAddressIn(Strict):
    name: str = Field(min_length=1, max_length=300)
    village: str | None = Field(None, max_length=200)
    address: str = Field(min_length=1, max_length=500)
    contact: str | None = Field(None, max_length=200)
    capacity: int = Field(ge=1, le=100)


class LegalHoldIn(Strict):
    hold: bool
    reason: str = Field(min_length=1, max_length=2000)


class StatisticsQuery(Strict):
    """A whole period: a calendar month, quarter, half-year or year (its first and last days). Other periods
    could be differenced against each other to single out a victim (a period one day longer than another)."""
    commune_code: KnownCommuneCode | None = Field(None, description="Default: the whole province.")
    start: dt.date = Field(ge=dt.date(FIRST_YEAR, 1, 1), le=dt.date(LAST_YEAR, 12, 31),
                           description="The first day of a month, quarter, half-year or year.")
    end: dt.date = Field(ge=dt.date(FIRST_YEAR, 1, 1), le=dt.date(LAST_YEAR, 12, 31),
                         description="The last day of the month, quarter, half-year or year that `start` begins.")

    @field_validator("start")
    @classmethod
    def _first_day(cls, start: dt.date) -> dt.date:
        if not is_whole_period_start(start):
            raise ValueError("phải là ngày đầu của một tháng, quý, nửa năm hoặc năm")
        return start

    @field_validator("end")
    @classmethod
    def _whole_period(cls, end: dt.date, info: ValidationInfo) -> dt.date:
        start = info.data.get("start")
        if start is not None and whole_period(start, end) is None:
            raise ValueError("phải là ngày cuối của tháng, quý, nửa năm hoặc năm bắt đầu từ start")
        return end


class CaseListQuery(Strict):
    status: CaseStatus | None = Field(None, description="Only the cases in this status.")


class AuditQuery(Strict):
    commune_code: KnownCommuneCode | None = None
    case_code: str | None = Field(None, max_length=32)
    limit: int = Field(200, ge=1, le=1000)


# answers ---------------------------------------------------------------------------------
class CaseWorkersOnly(Answer):
    """An answer some of whose fields only the commune's case workers see (`case_worker_only`).

    For any other role they are left unset and absent from the answer; null means shown but empty
    (e.g. erased after the retention period)."""
    case_worker_only: ClassVar[tuple[str, ...]] = ()

    @model_serializer(mode="wrap")
    def _without_unshown(self, handler: SerializerFunctionWrapHandler) -> dict:
        shown = handler(self)
        for name in self.case_worker_only:
            if name not in self.model_fields_set:
                shown.pop(name, None)
        return shown


class TransitionOut(CaseWorkersOnly):
    model_config = ConfigDict(populate_by_name=True)
    case_worker_only = ("reason",)
    from_status: CaseStatus | None = Field(alias="from", description="Null for the case's first status.")
    to_status: CaseStatus = Field(alias="to")
    actor_role: str
    at: dt.datetime
    reason: str | None = Field(None, description="Case workers only: a reason may name people.")


class MeasureOut(Answer):
    id: str
    kind: MeasureKind
    provider: str | None
    trusted_address_id: str | None
    requested_at: dt.datetime
    decision_due_at: dt.datetime | None = Field(description="A no-contact order must be decided by then.")
    decided_at: dt.datetime | None
    decision: MeasureDecision | None
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    outcome: str | None


class ReferralOut(Answer):
    id: str
    kind: str = Field(description="escalation or referral")
    authority: Authority
    status: ReferralStatus
    created_at: dt.datetime
    responded_at: dt.datetime | None
    done_at: dt.datetime | None
    consent_override: bool = Field(description="Made without the victim's consent to sharing (reason audited).")


class IncidentOut(Answer):
    id: str
    occurred_on: dt.date | None
    incident_type: CaseType
    perpetrator_relationship: Relationship
    place: str | None = None
    narrative: str | None = None


class DeadlineOut(Answer):
    """A legal timer of the case: what must be done by when (see `timers.py`)."""
    kind: Literal["verification", "no_contact_decision"] = Field(
        description="verification: verify the report; no_contact_decision: the chairman decides on a no-contact "
                    "request")
    due_at: dt.datetime
    met_at: dt.datetime | None = Field(description="When it was done (or the case closed); null while open.")
    overdue: bool = Field(description="Missed: still open after its due time.")


class RiskAssessmentOut(Answer):
    level: RiskLevel
    assessed_at: dt.datetime


class CaseOut(CaseWorkersOnly):
    """A case. `village`, `victim`, `intake` and `incidents` are shown only to the commune's case workers."""
    case_worker_only = ("village", "victim", "intake", "incidents")
    case_code: str
    commune_code: str
    case_type: CaseType
    risk_level: RiskLevel
    status: CaseStatus
    intake_channel: IntakeChannel
    reported_at: dt.datetime
    victim_sex: Sex | None
    victim_age_band: str | None = Field(description="0-11, 12-17, 18-24, 25-59, 60+ or unknown")
    vulnerabilities: list[Vulnerability]
    consent: ConsentIn
    verification_due_at: dt.datetime | None
    legal_hold: bool
    closed_at: dt.datetime | None
    anonymised: bool = Field(description="The personal data was erased after the retention period.")
    transitions: list[TransitionOut]
    measures: list[MeasureOut]
    referrals: list[ReferralOut]
    risk_assessments: list[RiskAssessmentOut] = Field(description="Oldest first; the questionnaire's answers are "
                                                                  "not shown.")
    deadlines: list[DeadlineOut] = Field(description="Every legal timer of the case, soonest due first.")
    village: str | None = None
    victim: VictimIn | None = Field(None, description="Null once erased.")
    intake: IntakeIn | None = Field(None, description="Null once erased.")
    incidents: list[IncidentOut] | None = None


class CaseSummary(Answer):
    case_code: str
    case_type: CaseType
    risk_level: RiskLevel
    status: CaseStatus
    intake_channel: IntakeChannel
    reported_at: dt.datetime
    open_deadlines: list[DeadlineOut] = Field(description="The timers still running, soonest due first.")


class CaseList(Answer):
    items: list[CaseSummary]


class UrgentCase(Answer):
    """An open case the chairman must know of: high or critical risk, or escalated. No personal data."""
    case_code: str
    risk_level: RiskLevel
    status: CaseStatus
    reported_at: dt.datetime
    escalated_at: dt.datetime | None = Field(description="Its latest escalation to a competent authority, if any.")
    verification_due_at: dt.datetime | None = Field(description="The case must be verified by then.")
    verification_overdue: bool = Field(description="Still not verified past its verification deadline.")


class PendingOrder(Answer):
    """A requested no-contact order (cấm tiếp xúc) the chairman has not decided yet. No personal data."""
    case_code: str
    measure_id: str
    risk_level: RiskLevel
    requested_at: dt.datetime
    decision_due_at: dt.datetime | None = Field(description="The chairman decides by then (12 hours by default).")
    overdue: bool = Field(description="Its decision time has passed.")


class AwaitingDecision(Answer):
    """What awaits the commune chairman: urgent open cases and undecided no-contact orders, most pressing first."""
    urgent_cases: list[UrgentCase]
    no_contact_orders: list[PendingOrder]


class TrustedAddressOut(Answer):
    id: str
    name: str
    village: str | None
    address: str
    contact: str | None
    capacity: int
    active: bool


class TrustedAddressList(Answer):
    items: list[TrustedAddressOut]


class AuditEntryOut(Answer):
    at: dt.datetime
    actor: str
    actor_role: str
    action: str = Field(description="e.g. case.read, case.status.verified, case.consent.override")
    outcome: Literal["allowed", "denied", "not_found"] = Field(
        description="denied: another commune's case; not_found: no case by that code (the caller got 404 both times)")
    case_code: str | None = Field(description="For a refused read, the code asked for.")
    commune_code: str
    reason: str | None


class AuditLog(Answer):
    items: list[AuditEntryOut] = Field(description="Newest first.")


class StatisticsPeriod(Answer):
    start: dt.date
    end: dt.date
    timezone: str = Field(description="Days are Vietnam's calendar days.")


class Statistics(Answer):
    """Cases whose victim consented to statistics, reported in the period, with small counts hidden."""
    scope: str = Field(description="The commune code, or 'province'.")
    period: StatisticsPeriod
    total: Count
    by_case_type: dict[str, Count]
    by_gbvims_type: dict[str, Count]
    by_status: dict[str, Count]
    by_intake_channel: dict[str, Count]
    by_age_band: dict[str, Count]
    by_support_service: dict[str, Count] = Field(description="A case may receive several services, or none.")

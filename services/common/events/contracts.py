"""One pydantic model per event type: the single source of truth for the public contract.

Rules (see docs/events/README.md): facts in the past tense; JSON primitives only;
no personal data — a case is named by its pseudonymous code, never by a person.
A change that is not both backward and forward compatible gets a new `.vN` type,
published alongside the old one for a deprecation period.
"""
from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, WithJsonSchema

# Limits. Every value an event carries is bounded here, and so in its published JSON Schema, by what
# its consumers can store (tests/integration/test_contract_limits.py stores the largest event of each
# type in every consumer): a schema-valid event is always storable.
COMMUNE_CODE = r"^[0-9]{5}$"  # Vietnamese administrative unit code of a commune/ward (5 digits)
CODE = r"^[A-Za-z0-9._-]{1,64}$"  # codes of units, tasks and indicators in a commune's directory and plans
CASE_CODE = r"^VV[0-9]{2}-[0-9A-Z]{8}$"  # pseudonymous: random, never derived from a person
WORD = r"^[a-z_]{1,32}$"  # a status, a role, a channel, a kind of deadline
TEMPLATE = r"^[a-z_]{1,64}$"
FIRST_YEAR, LAST_YEAR = 2000, 2100
IN_YEARS = rf"^(20[0-9]{{2}}|{LAST_YEAR})-"  # dates and times start with their year
MAX_INT = 2**31 - 1  # the largest integer a PostgreSQL `integer` column stores

CommuneCode = Annotated[str, Field(pattern=COMMUNE_CODE, min_length=5, max_length=5)]
Code = Annotated[str, Field(pattern=CODE, min_length=1, max_length=64)]
CaseCode = Annotated[str, Field(pattern=CASE_CODE, min_length=13, max_length=13,
                                description="Pseudonymous case code; never a name.")]
Word = Annotated[str, Field(pattern=WORD, min_length=1, max_length=32)]
Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]
Count = Annotated[int, Field(ge=0, le=MAX_INT)]
Version = Annotated[int, Field(ge=1, le=MAX_INT)]


def _in_years(value):
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"the year must be between {FIRST_YEAR} and {LAST_YEAR}")
    return value


Timestamp = Annotated[AwareDatetime, AfterValidator(_in_years), WithJsonSchema(
    {"type": "string", "format": "date-time", "pattern": IN_YEARS,
     "description": f"With a UTC offset; year {FIRST_YEAR} to {LAST_YEAR}."})]
Day = Annotated[dt.date, AfterValidator(_in_years), WithJsonSchema(
    {"type": "string", "format": "date", "pattern": IN_YEARS})]


class EventData(BaseModel):
    # Consumers ignore attributes they do not know, so adding an optional field is a
    # compatible change; the published JSON Schema says so (additionalProperties).
    model_config = ConfigDict(extra="ignore", json_schema_extra={"additionalProperties": True})


class UnitRole(str, enum.Enum):
    LEAD = "lead"            # chủ trì
    COORDINATING = "coordinating"  # phối hợp


LOCALITY_TYPE = r"^(xa|phuong|thi_tran|dac_khu)$"


class IssuedUnit(BaseModel):
    unit_code: Code
    name: str = Field(min_length=1, max_length=300, description="Official name of the unit (not a person).")
    role: UnitRole
    task_ids: list[Code] = Field(max_length=100, description="Codes of the plan tasks assigned to this unit.")


def _unique_units(units: list[IssuedUnit]) -> list[IssuedUnit]:
    if len({unit.unit_code for unit in units}) != len(units):
        raise ValueError("each unit_code appears once")
    return units


Units = Annotated[list[IssuedUnit], Field(max_length=200, description="Each unit appears once (by unit_code)."),
                  AfterValidator(_unique_units)]
PlanTitle = Annotated[str, Field(min_length=1, max_length=1000)]


class PlanIssued(EventData):
    """A commune's plan was issued (ban hành): from now units report against it."""
    plan_id: uuid.UUID
    commune_code: CommuneCode
    year: Year
    version: Version
    title: PlanTitle
    report_deadline: Day = Field(description="Units report their results to the commune before this date.")
    units: Units
    issued_at: Timestamp
    issuing_body: str | None = Field(None, max_length=300, description=(
        "The commune's People's Committee as the plan names it: 'UBND xã Sơn Hải', 'UBND phường Đông Ngàn', "
        "'UBND thị trấn Chờ', 'UBND đặc khu ...'. Optional: absent in events from before it was added."))
    locality_type: str | None = Field(None, pattern=LOCALITY_TYPE, description=(
        "The kind of commune-level unit: xa (xã), phuong (phường), thi_tran (thị trấn), dac_khu (đặc khu)."))


class PlanAmended(EventData):
    """An issued plan was amended: a new version replaces the previous one (both are kept)."""
    plan_id: uuid.UUID
    commune_code: CommuneCode
    year: Year
    version: int = Field(ge=2, le=MAX_INT)
    previous_version: Version
    title: PlanTitle
    report_deadline: Day
    units: Units
    changed_parts: list[Annotated[str, Field(min_length=1, max_length=64)]] = Field(
        max_length=50, description="Top-level parts of the document that changed, e.g. 'organisation'.")
    amended_at: Timestamp
    issuing_body: str | None = Field(None, max_length=300, description="As in plan.issued.v1.")
    locality_type: str | None = Field(None, pattern=LOCALITY_TYPE, description="As in plan.issued.v1.")


class PlanClosed(EventData):
    """A plan was closed: no more reports are taken against it."""
    plan_id: uuid.UUID
    commune_code: CommuneCode
    year: Year
    closed_at: Timestamp


class UnitDissolved(EventData):
    """A unit of a commune's directory was dissolved: it exists no longer after `active_to`."""
    commune_code: CommuneCode
    unit_code: Code
    active_to: Day


class UnitReportFacts(EventData):
    """What every unit report event says: which report revision of which unit, plan, commune and year."""
    report_id: uuid.UUID
    plan_id: uuid.UUID
    commune_code: CommuneCode
    year: Year
    unit_code: Code
    revision: Version


class UnitReportSubmitted(UnitReportFacts):
    """A unit submitted its yearly result report to the commune (its first revision)."""
    submitted_at: Timestamp
    late: bool = Field(description="Submitted after the plan's report deadline.")
    tasks_reported: Count
    tasks_done: Count


class UnitReportRevised(UnitReportSubmitted):
    """A unit resubmitted its report: a new revision replaces the previous one."""
    previous_report_id: uuid.UUID


class UnitReportReturned(UnitReportFacts):
    """The commune returned a unit's report for correction. The reason stays in the plans service."""
    returned_at: Timestamp


class CommuneReportApproved(EventData):
    """The commune leader approved the commune's yearly report; the plan's unit reports are now locked."""
    plan_id: uuid.UUID | None = Field(
        None, description="The plan whose unit reports were approved. Absent only from events published before "
                          "it was added, which approve the plan the commune had issued for the year.")
    commune_code: CommuneCode
    year: Year
    units_expected: Count
    units_reported: Count
    approved_at: Timestamp


class CaseType(str, enum.Enum):
    DOMESTIC_VIOLENCE_PHYSICAL = "domestic_violence_physical"
    DOMESTIC_VIOLENCE_PSYCHOLOGICAL = "domestic_violence_psychological"
    DOMESTIC_VIOLENCE_SEXUAL = "domestic_violence_sexual"
    DOMESTIC_VIOLENCE_ECONOMIC = "domestic_violence_economic"
    SEXUAL_HARASSMENT = "sexual_harassment"
    SEXUAL_ABUSE = "sexual_abuse"
    ILLEGAL_MARRIAGE_BROKERING = "illegal_marriage_brokering"
    TRAFFICKING = "trafficking"
    OTHER_GBV = "other_gbv"


class RiskLevel(str, enum.Enum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class IntakeChannel(str, enum.Enum):
    VILLAGE_HEAD = "village_head"
    TRUSTED_ADDRESS = "trusted_address"
    HOTLINE = "hotline"
    SCHOOL = "school"
    HEALTH_STATION = "health_station"
    POLICE = "police"
    VICTIM = "victim"
    OTHER = "other"


class Authority(str, enum.Enum):
    COMMUNE_POLICE = "commune_police"
    DISTRICT_POLICE = "higher_level_police"
    COURT = "court"
    SOCIAL_WORK_CENTRE = "social_work_centre"
    HEALTH_FACILITY = "health_facility"
    COMMUNE_CHAIRMAN = "commune_chairman"
    OTHER = "other"


class CaseFacts(EventData):
    """What every case event says. Pseudonymous: never a name, contact, address, date of birth or narrative."""
    case_code: CaseCode
    commune_code: CommuneCode
    case_type: CaseType
    risk_level: RiskLevel
    status: Word


class CaseReported(CaseFacts):
    """A case of gender-based violence was reported to the commune."""
    intake_channel: IntakeChannel
    reported_at: Timestamp
    urgent: bool = Field(False, description="High or critical risk: the commune chairman is alerted at once.")
    statistics_consent: bool = Field(False, description="The victim agreed to be counted in statistics.")


class CaseRiskAssessed(CaseFacts):
    """A case's risk was re-assessed; `urgent` when it rose to high or critical from below."""
    previous_risk_level: RiskLevel
    assessed_at: Timestamp
    urgent: bool = Field(description="The risk rose to high or critical: the commune chairman is alerted at once.")


class CaseVerified(CaseFacts):
    """The commune verified the case (xác minh): the violence is confirmed."""
    verified_at: Timestamp


class ReferralStatus(str, enum.Enum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    DONE = "done"


class CaseEscalated(CaseFacts):
    """A case was escalated to a competent authority, or the authority answered (referral_status)."""
    escalated_to: Authority
    escalated_at: Timestamp
    referral_id: uuid.UUID
    referral_status: ReferralStatus
    status_changed_at: Timestamp


class CaseReferred(CaseFacts):
    """A case was referred to a service provider or agency, or the receiver answered (referral_status)."""
    referred_to: Authority
    referred_at: Timestamp
    referral_id: uuid.UUID
    referral_status: ReferralStatus
    status_changed_at: Timestamp
    consent_override: bool = Field(description="Referred without the victim's consent to sharing (audited).")


class CaseClosed(CaseFacts):
    """A case was closed."""
    closed_at: Timestamp
    incidents: Count
    measures: Count


class CaseOverdue(CaseFacts):
    """A legal deadline of a case was missed."""
    deadline: Word = Field(description="verification or no_contact_decision")
    due_at: Timestamp
    detected_at: Timestamp


class NotificationDelivered(EventData):
    """A notification was delivered to a role-based recipient. Carries no message text."""
    notification_id: uuid.UUID
    commune_code: CommuneCode
    template: str = Field(pattern=TEMPLATE, min_length=1, max_length=64)
    channel: str = Field(pattern=WORD, min_length=1, max_length=16)
    recipient_role: Word
    recipient_unit: Code | None = None
    trigger_event_id: uuid.UUID
    delivered_at: Timestamp

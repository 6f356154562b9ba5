"""One pydantic model per event type: the single source of truth for the public contract.

Rules (docs/architecture.md, "The event contract"): facts in the past tense; JSON primitives only;
no personal data — a case is named by its pseudonymous code, never by a person.
A change that is not both backward and forward compatible gets a new `.vN` type,
published alongside the old one for a deprecation period.
"""
from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, WithJsonSchema

# Limits. Every value an event carries is bounded here, and so in its published JSON Schema, by what
# its consumers can store (tests/integration/test_contract_limits.py stores the largest event of each
# type in every consumer): a schema-valid event is always storable.
COMMUNE_CODE = r"^[0-9]{5}$"  # Vietnamese administrative unit code of a commune/ward (5 digits)
CODE = r"^[A-Za-z0-9._-]{1,64}$"  # codes of units, tasks and indicators in a commune's directory and plans
CASE_CODE = r"^VV[0-9]{2}-[0-9A-Z]{8}$"  # pseudonymous: random, never derived from a person
WORD = r"^[a-z_]{1,32}$"  # a status, a role, a channel, a kind of deadline
EVENT_TYPE = r"^[a-z_]{1,40}(\.[a-z_]{1,40}){1,2}\.v[0-9]{1,3}$"  # a versioned event type: case.overdue.v1
TEMPLATE = r"^[a-z_]{1,64}$"
FIRST_YEAR, LAST_YEAR = 2000, 2100
IN_YEARS = rf"^(20[0-9]{{2}}|{LAST_YEAR})-"  # dates and times start with their year
MAX_INT = 2**31 - 1  # the largest integer a PostgreSQL `integer` column stores
MAX_MEASURE = 10.0**12  # a reported indicator value: far beyond any commune's figure, finite in every store
SHA256 = r"^[0-9a-f]{64}$"

CommuneCode = Annotated[str, Field(pattern=COMMUNE_CODE, min_length=5, max_length=5)]
Code = Annotated[str, Field(pattern=CODE, min_length=1, max_length=64)]
CaseCode = Annotated[str, Field(pattern=CASE_CODE, min_length=13, max_length=13,
                                description="Pseudonymous case code; never a name.")]
Word = Annotated[str, Field(pattern=WORD, min_length=1, max_length=32)]
Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]
Count = Annotated[int, Field(ge=0, le=MAX_INT)]
Version = Annotated[int, Field(ge=1, le=MAX_INT)]
Measure = Annotated[float, Field(ge=-MAX_MEASURE, le=MAX_MEASURE, allow_inf_nan=False)]


def text(most: int, description: str | None = None):
    """A bounded text field (required)."""
    return Field(min_length=1, max_length=most, description=description)


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


class IndicatorValueType(str, enum.Enum):
    PERCENT = "percent"
    COUNT = "count"
    NUMBER = "number"
    BOOLEAN = "boolean"


class TargetDirection(str, enum.Enum):
    AT_LEAST = "at_least"  # met when the result reaches the target
    AT_MOST = "at_most"    # met when the result stays at or below it (e.g. the sex ratio at birth)


class DocumentRef(BaseModel):
    """An administrative document: the plan itself, or one of higher level that it implements."""
    kind: str = Field("Kế hoạch", min_length=1, max_length=100, description="Tên loại: 'Kế hoạch', 'Quyết định'.")
    number: str | None = Field(None, max_length=20)
    symbol: str | None = Field(None, max_length=50, description="e.g. 'KH-UBND'.")
    date: Day | None = None
    issuing_body: str | None = Field(None, max_length=300)
    title: str | None = Field(None, max_length=1000)


TASK_TEXT_CHARS = 2000  # a task longer than this travels cut, ending in "…" (the plan keeps it whole)
# what a plan's events carry at most; plans refuses a plan beyond it (services/plans/rules.py)
MAX_CONTENT_AREAS, MAX_UNIT_TASKS, MAX_KEY_DATES, MAX_PLAN_INDICATORS, MAX_REPORTED_BY = 30, 200, 20, 50, 50


class PlanContentArea(BaseModel):
    """A content area of the plan (Nội dung thực hiện)."""
    number: int = Field(ge=1, le=100)
    title: str = text(1000)


class PlanTask(BaseModel):
    """A task the plan assigns to units (Tổ chức thực hiện); its units are those whose `task_ids` name it."""
    code: Code
    text: str = text(TASK_TEXT_CHARS)
    content_area: int | None = Field(None, ge=1, le=100,
                                     description="The content area it carries out, where the plan links it.")


class PlanIndicator(BaseModel):
    """An indicator the plan tracks, with its target and baseline, and who reports it."""
    indicator_code: Code
    name: str = text(1000)
    unit_of_measure: str = text(50)
    value_type: IndicatorValueType
    sex_disaggregated: bool
    baseline: Measure | None = None
    baseline_year: Year | None = None
    target: Measure | None = None
    direction: TargetDirection = TargetDirection.AT_LEAST
    reported_by_units: list[Code] = Field(default_factory=list, max_length=MAX_REPORTED_BY)
    reported_by_tasks: list[Code] = Field(default_factory=list, max_length=MAX_REPORTED_BY)


class PlanKeyDate(BaseModel):
    name: str = text(300)
    start: Day
    end: Day | None = None


class SignatureLines(BaseModel):
    """The signature block as printed on an issued public document: the authority's lines, the signing
    official's title and name (an official acting in office, not a private person)."""
    on_behalf_of: str | None = Field(None, max_length=200, description="'TM. ỦY BAN NHÂN DÂN'")
    deputy_for: str | None = Field(None, max_length=200, description="'KT. CHỦ TỊCH'")
    title: str | None = Field(None, max_length=200, description="'CHỦ TỊCH', 'PHÓ CHỦ TỊCH'")
    signer_name: str | None = Field(None, max_length=200)


class PlanContent(EventData):
    """What the plan says, for reporting and outside systems: optional, absent from events published before
    it was added (null there means "not carried", an empty list "none")."""
    document: DocumentRef | None = Field(None, description="The plan's own number, symbol, date, issuing body.")
    implements: list[DocumentRef] | None = Field(None, max_length=10,
                                                 description="Documents of higher levels the plan implements.")
    content_areas: list[PlanContentArea] | None = Field(None, max_length=MAX_CONTENT_AREAS)
    tasks: list[PlanTask] | None = Field(None, max_length=MAX_UNIT_TASKS,
                                         description="The tasks assigned to units, worded.")
    indicators: list[PlanIndicator] | None = Field(None, max_length=MAX_PLAN_INDICATORS)
    key_dates: list[PlanKeyDate] | None = Field(None, max_length=MAX_KEY_DATES, description="Dates of the plan's year.")
    signature: SignatureLines | None = None
    place: str | None = Field(None, max_length=200, description="Địa danh of the commune's documents.")
    compiled_for: str | None = Field(None, max_length=300,
                                     description="Whom the commune compiles the units' results for ('Sở Nội vụ').")


class PlanIssued(PlanContent):
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


class PlanAmended(PlanContent):
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


class TaskStatus(str, enum.Enum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class ReportedTask(BaseModel):
    task_code: Code
    status: TaskStatus
    summary: str = Field("", max_length=4000, description="What the unit did (about its work, never a person).")


class ReportedValue(BaseModel):
    """`value` for an indicator, or `female` and `male` where it is disaggregated by sex."""
    indicator_code: Code
    value: Measure | None = None
    female: Measure | None = None
    male: Measure | None = None


class UnitReportSubmitted(UnitReportFacts):
    """A unit submitted its yearly result report to the commune (its first revision)."""
    submitted_at: Timestamp
    late: bool = Field(description="Submitted after the plan's report deadline.")
    tasks_reported: Count
    tasks_done: Count
    tasks: list[ReportedTask] | None = Field(None, max_length=200, description=(
        "Each task reported: status and summary. Optional: absent from events published before it was added."))
    indicator_values: list[ReportedValue] | None = Field(None, max_length=200, description="As `tasks`.")


class UnitReportRevised(UnitReportSubmitted):
    """A unit resubmitted its report: a new revision replaces the previous one."""
    previous_report_id: uuid.UUID


class UnitReportReturned(UnitReportFacts):
    """The commune returned a unit's report for correction."""
    returned_at: Timestamp
    reason: str | None = Field(None, max_length=2000, description=(
        "Why, as the commune officer wrote it about the report. Optional: absent from events published before "
        "it was added."))


class UnitReportAttachmentAdded(UnitReportFacts):
    """A file was attached to a unit report revision. Its name and size only: the bytes stay in plans."""
    attachment_id: uuid.UUID
    filename: str = text(255, "As the unit named the file, made safe.")
    size: Count = Field(description="Bytes.")
    content_type: str = text(100)
    added_at: Timestamp


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
    revision: Version | None = Field(None, description=(
        "The report revision approved: 1, and one more after each return by Sở Nội vụ. Absent from events "
        "published before it was added (revision 1)."))


class ReturnCategory(str, enum.Enum):
    """Why Sở Nội vụ sends a commune's report back."""
    INCOMPLETE = "incomplete"            # thiếu nội dung, thiếu số liệu
    INCONSISTENT = "inconsistent"        # số liệu không khớp
    UNITS_MISSING = "units_missing"      # thiếu báo cáo của đơn vị
    FORM = "form"                        # sai thể thức văn bản
    OTHER = "other"


class CommuneReportFacts(EventData):
    """Which revision of which commune's report of which plan and year."""
    report_id: uuid.UUID = Field(description="The same for every revision of the report of one plan.")
    plan_id: uuid.UUID
    commune_code: CommuneCode
    year: Year
    revision: Version = Field(description="1, and one more after each return by Sở Nội vụ.")


class CommuneReportSubmitted(CommuneReportFacts):
    """The commune submitted its yearly report to Sở Nội vụ; the documents are stored as produced."""
    document_number: str = text(20, "Số of the report.")
    document_symbol: str = text(50, "Ký hiệu, 'BC-UBND'.")
    document_date: Day
    content_hash: str = Field(pattern=SHA256, description="SHA-256 of the report's JSON as stored.")
    submitted_at: Timestamp
    province_deadline: Day
    late: bool = Field(description="Submitted after the province's deadline: accepted, and flagged.")
    units_expected: Count
    units_reported: Count


class CommuneReportAccepted(CommuneReportFacts):
    """Sở Nội vụ accepted the commune's report revision."""
    accepted_at: Timestamp


class CommuneReportReturned(CommuneReportFacts):
    """Sở Nội vụ sent the commune's report back: the units' reports are unlocked, and the next submission
    is a new revision. The reason is written by Sở Nội vụ staff about the report, never about a person."""
    category: ReturnCategory
    reason: str = text(2000)
    returned_at: Timestamp


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


class GbvimsType(str, enum.Enum):
    """The six core incident types of the GBV Information Management System."""
    RAPE = "rape"
    SEXUAL_ASSAULT = "sexual_assault"
    PHYSICAL_ASSAULT = "physical_assault"
    FORCED_MARRIAGE = "forced_marriage"
    DENIAL_OF_RESOURCES = "denial_of_resources"
    PSYCHOLOGICAL_ABUSE = "psychological_abuse"


class Sex(str, enum.Enum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"


class AgeBand(str, enum.Enum):
    """Age bands of victims in statistics (see services/cases/statistics.py for why these)."""
    CHILD = "0-11"
    ADOLESCENT = "12-17"
    YOUTH = "18-24"
    ADULT = "25-59"
    OLDER = "60+"
    UNKNOWN = "unknown"


class MeasureKind(str, enum.Enum):
    NO_CONTACT_ORDER = "no_contact_order"  # cấm tiếp xúc
    SHELTER = "shelter"                    # tạm lánh tại địa chỉ tin cậy
    MEDICAL_CARE = "medical_care"
    LEGAL_AID = "legal_aid"
    COUNSELLING = "counselling"
    POLICE_SUMMONS = "police_summons"      # công an xã triệu tập


class MeasureDecision(str, enum.Enum):
    GRANTED = "granted"
    REFUSED = "refused"


class StatisticsFacts(BaseModel):
    """What statistics count of a case whose victim consented to them: never more than a band and a sex."""
    gbvims_type: GbvimsType | None = Field(None, description="The GBVIMS core type of the case type.")
    victim_sex: Sex | None = Field(None, description="Only while the victim consents to statistics.")
    victim_age_band: AgeBand | None = Field(None, description="Only while the victim consents to statistics.")


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
    statistics: StatisticsFacts | None = Field(None, description=(
        "The case's statistical facts, only when the victim consents to statistics. Optional: absent from "
        "events published before it was added."))


class CaseStatisticsConsentChanged(CaseFacts):
    """The victim gave or withdrew consent to be counted in statistics: counts follow. Carries no personal
    data; the statistical facts only when consent is given."""
    statistics_consent: bool
    statistics: StatisticsFacts | None = Field(None, description="Only when consent is given.")
    changed_at: Timestamp


class CaseMeasureRecorded(CaseFacts):
    """A protection measure or support service was recorded for a case, or decided (a no-contact order is
    requested, then granted or refused). Its kind and decision only: never notes, places or providers."""
    measure_id: uuid.UUID
    kind: MeasureKind
    decision: MeasureDecision | None = Field(None, description="For a no-contact order: null until decided.")
    recorded_at: Timestamp = Field(description="When the measure was requested or given.")
    status_changed_at: Timestamp


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
    """A notification was delivered to a role-based recipient on one channel. Carries no message text and no
    contact detail; one per channel it went out on."""
    notification_id: uuid.UUID
    commune_code: CommuneCode
    template: str = Field(pattern=TEMPLATE, min_length=1, max_length=64)
    channel: str = Field(pattern=WORD, min_length=1, max_length=16)
    recipient_role: Word
    recipient_unit: Code | None = None
    trigger_event_id: uuid.UUID = Field(description=(
        "The event the notification was made from; for a scheduled reminder, an id derived from its schedule."))
    delivered_at: Timestamp
    attempts: Count | None = Field(None, description="Attempts it took (absent from events before channels).")


class NotificationFailed(EventData):
    """A notification could not be delivered on one channel: the provider refused it (`failed`) or every
    attempt failed (`given_up`). No message text, contact detail or provider answer."""
    notification_id: uuid.UUID
    commune_code: CommuneCode
    template: str = Field(pattern=TEMPLATE, min_length=1, max_length=64)
    channel: str = Field(pattern=WORD, min_length=1, max_length=16)
    recipient_role: Word
    recipient_unit: Code | None = None
    trigger_event_id: uuid.UUID
    outcome: Literal["failed", "given_up"]
    attempts: Count
    fallback_channel: str | None = Field(None, pattern=WORD, max_length=16, description=(
        "For an urgent notice: the channel it went on to instead, if any."))
    failed_at: Timestamp


class WebhookSubscriptionDisabled(EventData):
    """A webhook subscription was disabled after consecutive failed deliveries. No URL, secret or contact."""
    subscription_id: uuid.UUID
    event_type: str = Field(pattern=EVENT_TYPE, max_length=100)
    consecutive_failures: Count
    disabled_at: Timestamp

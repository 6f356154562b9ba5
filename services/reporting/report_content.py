"""The content of a commune's yearly report to Sở Nội vụ: one model, which is the report's JSON.

Reporting assembles a `CommuneReport` from its projections (events only) on every read; the
officer writes sections V-VII and the free text of I-IV; a submitted revision is stored as
produced. The DOCX and XLSX renderers read this model and nothing else, so the three outputs
carry the same figures. Its JSON Schema is published as `docs/reports/commune-report.schema.json`
(`binhdang docs`) for other provincial systems that take the report without parsing Word.

The layout follows the reports communes send (Nghị định 30/2020/NĐ-CP, Phụ lục I): a header
(issuing body, Quốc hiệu and Tiêu ngữ, number, place and date, title and summary line), the body
in numbered parts I-VII, the recipients ("Nơi nhận") and the signature block. Texts a renderer
prints verbatim (headings, the header's lines) are given ready to print, so every output says
the same; all Vietnamese text is NFC.

Field names are a published interface: add fields, never rename or remove one.
"""
from __future__ import annotations

import datetime as dt
import enum
import unicodedata
import uuid
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from services.common.admin_units import LocalityKind
from services.common.events.contracts import TargetDirection, Year

SCHEMA_VERSION: Literal[1] = 1
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
REPORT_SYMBOL = "BC-UBND"


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# Every text of the report, normalised to NFC: Word, LibreOffice and other systems compare and
# search Vietnamese reliably only in one normal form.
Text = Annotated[str, AfterValidator(_nfc)]
Paragraphs = list[Text]


class Content(BaseModel):
    model_config = ConfigDict(extra="forbid")


# header ------------------------------------------------------------------------------
class Locality(Content):
    """The commune and its province, as the official list of administrative units names them."""
    commune_code: str = Field(pattern=r"^[0-9]{5}$", description="Official code, e.g. '07543'.")
    commune_name: Text = Field(description="Official name with its kind, e.g. 'Xã Sơn Hải'.")
    kind: LocalityKind
    short_name: Text = Field(description="The name without its kind, e.g. 'Sơn Hải'.")
    province_code: str = Field(pattern=r"^[0-9]{2}$", description="e.g. '24'.")
    province_name: Text = Field(description="e.g. 'Bắc Ninh' (a centrally governed city: 'Thành phố Hà Nội').")


class DocumentHeader(Content):
    """What the first lines of the document say, ready to print."""
    issuing_body: Text = Field(description="As the body text names it: 'UBND xã Sơn Hải'.")
    issuing_body_lines: list[Text] = Field(
        description="The issuing body in the header's left column, one line each, in capitals: "
                    "['ỦY BAN NHÂN DÂN', 'XÃ SƠN HẢI'].")
    national_title: Text = Field(NATIONAL_TITLE, description="Quốc hiệu, right column, bold.")
    motto: Text = Field(MOTTO, description="Tiêu ngữ, under the Quốc hiệu, bold, with a rule under it.")
    number: str | None = Field(None, max_length=20, description="Số; null until the report is submitted.")
    symbol: Text = Field(REPORT_SYMBOL, description="Ký hiệu.")
    number_line: Text = Field(description="'Số: 125/BC-UBND'; before a number is given 'Số:      /BC-UBND'.")
    place: Text = Field(description="Địa danh: 'Sơn Hải'.")
    date: dt.date | None = Field(None, description="Date of the document; null until submitted.")
    place_date_line: Text = Field(description="In italics: 'Sơn Hải, ngày 05 tháng 12 năm 2026'.")
    title: Text = Field("BÁO CÁO", description="Tên loại văn bản.")
    summary: Text = Field(description="Trích yếu: 'Kết quả thực hiện công tác bình đẳng giới ... năm 2026'.")


# I. leadership and direction -------------------------------------------------------------
class DocumentReference(Content):
    """A document the report cites: the plan itself, or one it implements."""
    kind: Text = Field(description="Tên loại: 'Kế hoạch', 'Quyết định' ...")
    number: str | None = Field(None, max_length=20)
    symbol: str | None = Field(None, max_length=50, description="e.g. 'KH-UBND'.")
    date: dt.date | None = None
    issuing_body: Text | None = None
    title: Text | None = None
    citation: Text = Field(description="As the text cites it: 'Kế hoạch số 169/KH-UBND ngày 14/5/2026 của "
                                        "UBND tỉnh Bắc Ninh'.")


class KeyDate(Content):
    name: Text
    start: dt.date
    end: dt.date | None = None


class LeadershipSection(Content):
    """I. How the commune led and directed the work: its plan, what the plan implements, its dates."""
    heading: Text = "I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO"
    plan: DocumentReference
    plan_version: int = Field(ge=1, description="The plan's version the report is of (amendments make new ones).")
    implements: list[DocumentReference] = Field(default_factory=list,
                                                description="Documents of higher levels the plan implements.")
    units_assigned: int = Field(ge=0, description="Units the plan assigns tasks to and that must report.")
    tasks_assigned: int = Field(ge=0)
    report_deadline: dt.date = Field(description="Units report to the commune before this date.")
    key_dates: list[KeyDate] = Field(default_factory=list)
    free_text: Paragraphs = Field(default_factory=list, description="Written by the commune officer.")


# II. results by content area ------------------------------------------------------------------
class TaskStatus(str, enum.Enum):
    DONE = "done"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"
    NOT_REPORTED = "not_reported"  # the unit has no current report (missing, or sent back)


TASK_STATUS_LABELS = {
    TaskStatus.DONE: "Đã hoàn thành",
    TaskStatus.IN_PROGRESS: "Đang thực hiện",
    TaskStatus.NOT_STARTED: "Chưa thực hiện",
    TaskStatus.NOT_REPORTED: "Chưa báo cáo",
}


class UnitTaskOutcome(Content):
    """What one unit reported on one task (from its current report)."""
    unit_code: str
    unit_name: Text
    status: TaskStatus
    status_label: Text
    summary: Text = Field("", description="The unit's own summary of what it did.")
    revision: int | None = Field(None, description="The unit report revision it comes from.")


class TaskResult(Content):
    """A task of the plan as assigned to units (Tổ chức thực hiện), with each unit's outcome."""
    task_code: str = Field(description="e.g. 'TC-VHXH.1'.")
    text: Text = Field(description="The task as the plan words it.")
    lead_unit_code: str | None = Field(None, description="The unit that leads it (chủ trì), if one does.")
    status: TaskStatus = Field(description="done when every unit is done; not_reported when none reported; "
                                           "else in_progress or not_started.")
    status_label: Text
    outcomes: list[UnitTaskOutcome]


class ContentAreaResult(Content):
    """One content area of the plan (Nội dung thực hiện) and the tasks that carry it out."""
    number: int = Field(ge=1)
    title: Text
    planned: Paragraphs = Field(default_factory=list, description="The area's own tasks, as the plan words them.")
    tasks: list[TaskResult] = Field(default_factory=list, description="Unit tasks the plan links to this area.")


class TaskCounts(Content):
    total: int = Field(ge=0)
    done: int = Field(ge=0)
    in_progress: int = Field(ge=0)
    not_started: int = Field(ge=0)
    not_reported: int = Field(ge=0)


class ResultsSection(Content):
    """II. Results, by content area of the plan, task by task, with which unit did what."""
    heading: Text = "II. KẾT QUẢ THỰC HIỆN CÁC NỘI DUNG CỦA KẾ HOẠCH"
    content_areas: list[ContentAreaResult]
    other_tasks_heading: Text = "Nhiệm vụ của các cơ quan, đơn vị theo phân công"
    other_tasks: list[TaskResult] = Field(default_factory=list,
                                          description="Unit tasks the plan does not link to a content area.")
    task_counts: TaskCounts
    free_text: Paragraphs = Field(default_factory=list)


# III. indicators ----------------------------------------------------------------------------
Direction = TargetDirection  # the name this model first gave the indicator's direction (the event contract's enum)


class IndicatorValue(Content):
    """A value, and where the indicator is disaggregated by sex its female and male parts."""
    value: float | None = Field(None, description="The whole: female + male where disaggregated by sex.")
    female: float | None = None
    male: float | None = None


class UnitIndicatorValue(IndicatorValue):
    unit_code: str
    unit_name: Text


class IndicatorRow(Content):
    indicator_code: str
    name: Text
    unit_of_measure: Text
    value_type: Literal["percent", "count", "number", "boolean"]
    sex_disaggregated: bool
    baseline: float | None = None
    baseline_year: int | None = None
    target: float | None = None
    direction: TargetDirection = TargetDirection.AT_LEAST
    result: IndicatorValue = Field(description="Counts and numbers summed over the units that reported; a "
                                               "percentage or a yes/no as reported when one unit reports it, "
                                               "else the mean of the units' percentages / yes only if all say yes.")
    met: bool | None = Field(description="Result against target in the indicator's direction; null without "
                                         "a target or a result.")
    met_label: Text = Field(description="'Đạt', 'Không đạt' or 'Chưa đánh giá'.")
    units: list[UnitIndicatorValue] = Field(default_factory=list, description="Each reporting unit's value.")


class IndicatorsSection(Content):
    """III. The indicators table: target, baseline, result by sex, met or not."""
    heading: Text = "III. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU"
    rows: list[IndicatorRow]
    met: int = Field(ge=0)
    not_met: int = Field(ge=0)
    not_assessed: int = Field(ge=0)
    free_text: Paragraphs = Field(default_factory=list)


# IV. gender-based violence figures ------------------------------------------------------------------
class Cell(Content):
    """A count that leaves the commune: 1 to 4 hidden (value null), and more hidden where a hidden count
    could otherwise be worked out from the total and the counts shown."""
    value: int | None
    suppressed: bool


class FigureRow(Cell):
    key: str = Field(description="Stable code of the row, e.g. 'domestic_violence_physical', '18-24'.")
    label: Text


class GbvSection(Content):
    """IV. Gender-based violence in the year: cases reported in the commune whose victim consented to
    statistics, counted from the cases' events only. Each breakdown that adds up to the total is
    protected together with it."""
    heading: Text = "IV. CÔNG TÁC PHÒNG NGỪA, ỨNG PHÓ VỚI BẠO LỰC TRÊN CƠ SỞ GIỚI"
    note: Text = Field(description="How the figures were counted and protected, for the reader.")
    total_cases: Cell
    by_case_type: list[FigureRow]
    by_gbvims_type: list[FigureRow] = Field(description="The six GBVIMS core incident types.")
    victims_by_sex: list[FigureRow]
    victims_by_age_band: list[FigureRow]
    measures: list[FigureRow] = Field(description="Cases with each kind of measure (no-contact order, shelter, "
                                                  "...); a case may have several, so rows do not add up.")
    referrals: list[FigureRow] = Field(description="Cases referred to each kind of receiver.")
    escalated: Cell = Field(description="Cases escalated to a competent authority.")
    escalations_by_outcome: list[FigureRow] = Field(description="Escalated cases by the authority's latest answer.")
    free_text: Paragraphs = Field(default_factory=list)


# V-VII. written by the commune officer --------------------------------------------------------------
class AssessmentSection(Content):
    """V. General assessment."""
    heading: Text = "V. ĐÁNH GIÁ CHUNG"
    achievements_heading: Text = "1. Kết quả đạt được"
    achievements: Paragraphs = Field(default_factory=list)
    shortcomings_heading: Text = "2. Tồn tại, hạn chế"
    shortcomings: Paragraphs = Field(default_factory=list)
    causes_heading: Text = "3. Nguyên nhân"
    causes: Paragraphs = Field(default_factory=list)


class NarrativeSection(Content):
    """VI (direction for next year) and VII (proposals to higher levels)."""
    heading: Text
    paragraphs: Paragraphs = Field(default_factory=list)


# units' completeness ---------------------------------------------------------------------------------
class UnitReportState(str, enum.Enum):
    ON_TIME = "on_time"    # reported before the deadline
    LATE = "late"          # reported on or after the deadline
    RETURNED = "returned"  # its latest report was sent back for correction
    MISSING = "missing"    # no report yet


UNIT_STATE_LABELS = {
    UnitReportState.ON_TIME: "Đúng hạn",
    UnitReportState.LATE: "Trễ hạn",
    UnitReportState.RETURNED: "Bị trả lại",
    UnitReportState.MISSING: "Chưa báo cáo",
}


class ReturnNote(Content):
    """A unit report the commune sent back, and why (written by commune staff about the report)."""
    revision: int
    returned_at: dt.datetime
    reason: Text | None = None


class AttachmentNote(Content):
    name: Text
    size: int = Field(ge=0, description="Bytes.")


class UnitCompleteness(Content):
    unit_code: str
    unit_name: Text
    role: Literal["lead", "coordinating"]
    state: UnitReportState
    state_label: Text
    revision: int | None = Field(None, description="Its latest report revision; null before it reports.")
    first_submitted_at: dt.datetime | None = None
    last_submitted_at: dt.datetime | None = None
    returns: list[ReturnNote] = Field(default_factory=list)
    attachments: list[AttachmentNote] = Field(default_factory=list, description="Of its latest revision.")


class Completeness(Content):
    """The units' reports (DHIS2-style: expected, actual, on time; rates as fractions of 1)."""
    deadline: dt.date
    expected: int = Field(ge=0)
    submitted: int = Field(ge=0, description="Units with a current report (not sent back).")
    on_time: int = Field(ge=0)
    late: int = Field(ge=0)
    missing: int = Field(ge=0)
    returned: int = Field(ge=0)
    reporting_rate: float | None = Field(ge=0, le=1, description="submitted / expected; null with none expected.")
    on_time_rate: float | None = Field(ge=0, le=1, description="on_time / expected; null with none expected.")
    units: list[UnitCompleteness]


# the end of the document ----------------------------------------------------------------------------
class SignatureBlock(Content):
    """TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / (name)."""
    on_behalf_of: Text | None = Field("TM. ỦY BAN NHÂN DÂN", description="The 'TM.' line.")
    deputy_for: Text | None = Field(None, description="The 'KT.' line, when a deputy signs: 'KT. CHỦ TỊCH'.")
    title: Text = Field(description="'CHỦ TỊCH' or 'PHÓ CHỦ TỊCH'.")
    signer_name: Text | None = None


# the whole report ------------------------------------------------------------------------------------
class ReportState(str, enum.Enum):
    DRAFT = "draft"
    APPROVED = "approved"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    RETURNED = "returned"


class Submission(Content):
    """The submission this content is (or the latest before it), as sent to Sở Nội vụ."""
    submitted_at: dt.datetime
    submitted_by: str
    province_deadline: dt.date
    late: bool = Field(description="Submitted after the province's deadline (accepted, and flagged).")


class OfficerText(Content):
    """Who last changed the officer-written parts, and which version of them this is."""
    version: int = Field(ge=0, description="0 while nothing was written.")
    edited_by: str | None = None
    edited_at: dt.datetime | None = None


class CommuneReport(Content):
    """A commune's yearly report on its gender-equality plan to Sở Nội vụ."""
    schema_version: Literal[1] = SCHEMA_VERSION
    report_id: uuid.UUID = Field(description="The same for every revision of the report of one plan.")
    commune: Locality
    year: Year
    plan_id: uuid.UUID
    state: ReportState
    revision: int = Field(ge=1, description="The submission this is (or will be): 1, and one more after each "
                                           "return by Sở Nội vụ.")
    generated_at: dt.datetime = Field(description="When this content was assembled from the projections.")
    header: DocumentHeader
    leadership: LeadershipSection
    results: ResultsSection
    indicators: IndicatorsSection
    gbv: GbvSection
    assessment: AssessmentSection
    next_year: NarrativeSection
    proposals: NarrativeSection
    completeness: Completeness
    recipients_heading: Text = "Nơi nhận:"
    recipients: list[Text] = Field(description="One line each, as printed: 'Sở Nội vụ tỉnh Bắc Ninh;', "
                                               "'Lưu: VT, VHXH.'.")
    signature: SignatureBlock
    officer_text: OfficerText
    submission: Submission | None = Field(None, description="Null before the first submission.")

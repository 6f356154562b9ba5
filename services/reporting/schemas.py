"""Response bodies of the reporting HTTP API."""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from services.common.answers import Answer, Count
from services.common.events.contracts import ReturnCategory
from services.reporting.report_content import Cell, CommuneReport, FigureRow


class UnitStatus(Answer):
    unit_code: str
    name: str
    reported: bool = Field(description="Has a report that was not sent back.")
    returned: bool = Field(description="Its latest report was sent back for correction.")
    late: bool = Field(description="Its first submission came on or after the deadline.")
    revision: int | None = Field(description="Its latest report revision; null before it reports.")
    last_submitted_at: dt.datetime | None


class UnitCounts(Answer):
    expected: int
    reported: int
    missing: int
    late: int
    returned: int


class CaseCounts(Answer):
    """Cases of the commune's year whose victim consented to statistics: numbers for the commune's own
    staff; for the province, counts with 1 to 4 hidden."""
    recorded: int | Count
    escalated: int | Count


class CommuneStatus(Answer):
    """A commune's reporting year: the plan that defines it (the open one issued last, else the closed
    one issued last), that plan's units and their reports, and the year's cases."""
    commune_code: str
    year: int
    approved_at: dt.datetime | None = Field(description="When the commune leader approved the plan's reports.")
    plan_id: str | None = Field(description="Null before any plan of the year is issued.")
    plan_version: int | None
    plan_status: str | None = Field(description="issued or closed")
    closed_at: dt.datetime | None
    report_deadline: dt.date | None = Field(description="Units report before this date.")
    units: list[UnitStatus]
    counts: UnitCounts
    cases: CaseCounts


# the commune report ---------------------------------------------------------------------------
class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


Paragraph = Annotated[str, Field(min_length=1, max_length=4000)]
Paragraphs = Annotated[list[Paragraph], Field(max_length=50)]


class SignatureIn(Strict):
    on_behalf_of: str | None = Field(None, max_length=200, description="'TM. ỦY BAN NHÂN DÂN'")
    deputy_for: str | None = Field(None, max_length=200, description="'KT. CHỦ TỊCH' when a deputy signs")
    title: str = Field(min_length=1, max_length=200, description="'CHỦ TỊCH', 'PHÓ CHỦ TỊCH'")
    signer_name: str | None = Field(None, max_length=200)


class OfficerTextIn(Strict):
    """What the commune officer writes: sections V-VII, the free text of sections I-IV, and optionally the
    recipients and the signature block (default: Sở Nội vụ of the province ...; the plan's signature).
    Each PUT replaces the whole text and makes a new version."""
    leadership: Paragraphs = Field(default_factory=list, description="Free text of section I.")
    results: Paragraphs = Field(default_factory=list, description="Free text of section II.")
    indicators: Paragraphs = Field(default_factory=list, description="Free text of section III.")
    gbv: Paragraphs = Field(default_factory=list, description="Free text of section IV.")
    achievements: Paragraphs = Field(default_factory=list, description="V.1 Kết quả đạt được.")
    shortcomings: Paragraphs = Field(default_factory=list, description="V.2 Tồn tại, hạn chế.")
    causes: Paragraphs = Field(default_factory=list, description="V.3 Nguyên nhân.")
    next_year: Paragraphs = Field(default_factory=list, description="VI. Phương hướng, nhiệm vụ năm sau.")
    proposals: Paragraphs = Field(default_factory=list, description="VII. Đề xuất, kiến nghị.")
    recipients: Annotated[list[Annotated[str, Field(min_length=1, max_length=300)]], Field(max_length=30)] | None = \
        Field(None, description="Nơi nhận, one line each; default: Sở Nội vụ of the province and the commune's own.")
    signature: SignatureIn | None = None


class SubmitIn(Strict):
    document_number: str = Field(pattern=r"^[0-9]{1,6}[A-Za-z]?$",
                                 description="Số the văn thư gave the report, e.g. '125' (printed 'Số: 125/BC-UBND').")
    document_date: dt.date | None = Field(None, description="Date of the document; default: today in Vietnam.")

    @field_validator("document_date")
    @classmethod
    def _plausible(cls, value: dt.date | None) -> dt.date | None:
        if value is not None and not 2000 <= value.year <= 2100:
            raise ValueError("must fall between 2000 and 2100")
        return value


class ReturnIn(Strict):
    category: ReturnCategory
    reason: str = Field(min_length=1, max_length=2000, description="What the commune must correct (about the "
                                                                   "report, never about a person).")


class CommuneReportAnswer(CommuneReport, Answer):
    """The commune's report: its JSON (docs/reports/commune-report.schema.json)."""


class TransitionOut(Answer):
    revision: int
    from_state: str
    to_state: str
    actor: str
    actor_role: str
    at: dt.datetime
    reason_category: str | None
    reason: str | None


class TransitionList(Answer):
    items: list[TransitionOut]


class TextVersionOut(Answer):
    version: int
    edited_by: str
    edited_at: dt.datetime
    content: OfficerTextIn


class TextVersionList(Answer):
    items: list[TextVersionOut]


# the province ---------------------------------------------------------------------------------
ReportStateInProvince = Literal["none", "draft", "approved", "submitted", "late", "accepted", "returned"]


class CommuneRow(Answer):
    commune_code: str
    commune_name: str
    plan_issued: bool
    plan_id: str | None
    report_deadline: dt.date | None = Field(description="Units report to the commune before this date.")
    expected: int = Field(description="Unit reports expected (DHIS2: expected reports).")
    submitted: int = Field(description="Unit reports received and not sent back (actual reports).")
    on_time: int
    reporting_rate: float | None = Field(description="submitted / expected, as a fraction of 1.")
    on_time_rate: float | None = Field(description="on_time / expected.")
    report_state: ReportStateInProvince = Field(description="none (no plan issued), draft, approved, submitted, "
                                                            "late (submitted after the deadline), accepted, returned.")
    report_revision: int | None
    submitted_at: dt.datetime | None = Field(description="Of the latest submission.")
    late: bool | None = Field(description="The latest submission came after the province's deadline.")
    report_url: str | None = Field(description="The report as submitted (once it was).")


class ProvinceIndicator(Answer):
    indicator_code: str
    name: str
    unit_of_measure: str
    value_type: str
    sex_disaggregated: bool
    communes_reporting: int
    value: float | None = Field(description="Counts and numbers summed; percentages averaged over the communes.")
    female: float | None
    male: float | None


class ProvinceGbv(Answer):
    """Cases of the province's communes whose victims consent to statistics, with small counts hidden and
    every province figure that could give back a commune's hidden figure hidden too."""
    total_cases: Cell
    by_case_type: list[FigureRow]
    by_gbvims_type: list[FigureRow]
    victims_by_sex: list[FigureRow]
    victims_by_age_band: list[FigureRow]
    measures: list[FigureRow]
    referrals: list[FigureRow]
    escalated: Cell
    escalations_by_outcome: list[FigureRow]


class ProvinceTotals(Answer):
    communes: int
    plans_issued: int
    reports_submitted: int = Field(description="Communes whose report was submitted (late included) or accepted.")
    reports_late: int
    reports_accepted: int
    report_rate: float | None = Field(description="reports_submitted / communes.")
    units_expected: int
    units_submitted: int
    units_on_time: int
    reporting_rate: float | None
    on_time_rate: float | None
    indicators: list[ProvinceIndicator]
    gbv: ProvinceGbv


class ProvinceView(Answer):
    province_code: str
    province_name: str
    year: int
    deadline: dt.date = Field(description="The last day communes submit their report on time.")
    communes: list[CommuneRow]
    totals: ProvinceTotals

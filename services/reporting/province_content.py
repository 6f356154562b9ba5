"""The content of a province's yearly summary (Sở Nội vụ): every commune of the province with its plan,
its units' reports and its own report's state, and the province's totals. One model, which the province
summary XLSX and Sở Nội vụ's report to UBND tỉnh (DOCX, Nghị định 30/2020/NĐ-CP layout) read and nothing
else, so both carry the same figures.

Reporting fills it from its projections (events only). The communes are those of the official list of
administrative units, every one of them, including those without a plan yet. The GBV figures are the
communes' consenting cases summed, with small counts hidden and secondary suppression, in the same
shape as a commune report's section IV.

Texts a renderer prints verbatim (headings, the header's lines) are given ready to print; all
Vietnamese text is NFC. Field names are an interface: add fields, never rename or remove one.
"""
from __future__ import annotations

import datetime as dt
import enum
from typing import Literal

from pydantic import Field

from services.reporting.report_content import (
    AssessmentSection,
    Content,
    DocumentHeader,
    GbvSection,
    IndicatorValue,
    LocalityKind,
    NarrativeSection,
    Paragraphs,
    SignatureBlock,
    Text,
)

SCHEMA_VERSION: Literal[1] = 1
PROVINCE_REPORT_SYMBOL = "BC-SNV"


class ProvinceLocality(Content):
    """The province, as the official list of administrative units names it."""
    province_code: str = Field(pattern=r"^[0-9]{2}$", description="e.g. '24'.")
    province_name: Text = Field(description="Official name with its kind: 'Tỉnh Bắc Ninh', 'Thành phố Hà Nội'.")
    short_name: Text = Field(description="'Bắc Ninh', 'Hà Nội'.")
    in_words: Text = Field(description="As a sentence names it: 'tỉnh Bắc Ninh', 'thành phố Hà Nội'.")


class ProvinceDocumentHeader(DocumentHeader):
    """The header of Sở Nội vụ's report: its governing body (cơ quan chủ quản) above its own name."""
    governing_body_lines: list[Text] = Field(
        default_factory=list,
        description="The governing body in the header's left column, in capitals, not bold: ['UBND TỈNH BẮC NINH'].")


class UnitReportCounts(Content):
    """Units' reports to their commune, DHIS2-style (rates as fractions of 1)."""
    expected: int = Field(ge=0)
    submitted: int = Field(ge=0, description="Units with a current report (not sent back).")
    on_time: int = Field(ge=0)
    late: int = Field(ge=0)
    missing: int = Field(ge=0)
    returned: int = Field(ge=0)
    reporting_rate: float | None = Field(ge=0, le=1, description="submitted / expected; null with none expected.")
    on_time_rate: float | None = Field(ge=0, le=1, description="on_time / expected; null with none expected.")


class CommuneReportStatus(str, enum.Enum):
    """Where a commune's report stands, as Sở Nội vụ sees it."""
    NONE = "none"            # no plan issued, so no report
    DRAFT = "draft"
    APPROVED = "approved"    # by the commune leader, not yet submitted
    SUBMITTED = "submitted"  # on time, awaiting Sở Nội vụ
    LATE = "late"            # submitted after the province's deadline, awaiting Sở Nội vụ
    ACCEPTED = "accepted"
    RETURNED = "returned"    # sent back by Sở Nội vụ, awaiting a new revision


COMMUNE_REPORT_STATUS_LABELS = {
    CommuneReportStatus.NONE: "Chưa có báo cáo",
    CommuneReportStatus.DRAFT: "Đang dự thảo",
    CommuneReportStatus.APPROVED: "Đã phê duyệt, chưa gửi",
    CommuneReportStatus.SUBMITTED: "Đã gửi",
    CommuneReportStatus.LATE: "Đã gửi (trễ hạn)",
    CommuneReportStatus.ACCEPTED: "Đã tiếp nhận",
    CommuneReportStatus.RETURNED: "Bị trả lại",
}


class CommuneSummary(Content):
    """One commune of the province: its plan, its units' reports, its report to Sở Nội vụ."""
    commune_code: str = Field(pattern=r"^[0-9]{5}$")
    commune_name: Text = Field(description="Official name with its kind: 'Xã Sơn Hải'.")
    kind: LocalityKind
    plan_issued: bool
    plan_citation: Text | None = Field(None, description="'Kế hoạch số 45/KH-UBND ngày 28/5/2026 của UBND xã "
                                                         "Sơn Hải'; null without an issued plan.")
    units: UnitReportCounts
    report_status: CommuneReportStatus
    report_status_label: Text
    report_revision: int | None = Field(None, description="The revision submitted last; null before any.")
    report_number_line: Text | None = Field(None, description="'Số: 125/BC-UBND' of the revision submitted last.")
    submitted_at: dt.datetime | None = Field(None, description="When the revision was submitted last.")
    late: bool = Field(False, description="The report was submitted after the province's deadline.")
    report_url: str | None = Field(None, description="Where Sở Nội vụ reads the submitted report.")


class StatusCount(Content):
    status: CommuneReportStatus
    label: Text
    count: int = Field(ge=0)


class ProvinceTotals(Content):
    """The province's figures over all its communes."""
    communes: int = Field(ge=0, description="Communes of the province in the official list.")
    plans_issued: int = Field(ge=0)
    reports_expected: int = Field(ge=0, description="Communes with an issued plan, so a report due.")
    reports_received: int = Field(ge=0, description="Reports submitted and not sent back (submitted, late or "
                                                    "accepted).")
    reports_on_time: int = Field(ge=0)
    reports_late: int = Field(ge=0)
    reports_accepted: int = Field(ge=0)
    reporting_rate: float | None = Field(ge=0, le=1, description="reports_received / reports_expected.")
    on_time_rate: float | None = Field(ge=0, le=1, description="reports_on_time / reports_expected.")
    by_status: list[StatusCount] = Field(description="Communes by report status, every status listed.")
    units: UnitReportCounts = Field(description="The communes' units' reports summed.")


class IndicatorTotal(Content):
    """An indicator over the communes that reported it: counts and numbers summed by sex."""
    indicator_code: str
    name: Text
    unit_of_measure: Text
    value_type: Literal["percent", "count", "number", "boolean"]
    sex_disaggregated: bool
    aggregation: Literal["sum", "mean"] = Field(description="sum for counts and numbers; mean of the communes' "
                                                            "values for percentages (yes/no: share saying yes).")
    communes_reporting: int = Field(ge=0)
    result: IndicatorValue
    target: float | None = Field(None, description="The communes' targets summed (counts), where all set one.")


class SectionText(Content):
    """A generated section of the report: its heading and the province officer's optional text."""
    heading: Text
    free_text: Paragraphs = Field(default_factory=list)


class ProvinceSummary(Content):
    """A province's yearly summary of its communes' gender-equality reports, and Sở Nội vụ's report on it."""
    schema_version: Literal[1] = SCHEMA_VERSION
    province: ProvinceLocality
    year: int = Field(ge=2000, le=2100)
    generated_at: dt.datetime = Field(description="When this content was assembled from the projections.")
    province_deadline: dt.date = Field(description="Communes submit their reports before this date.")
    header: ProvinceDocumentHeader
    plans_section: SectionText = SectionText(heading="I. TÌNH HÌNH BAN HÀNH KẾ HOẠCH CỦA CẤP XÃ")
    reporting_section: SectionText = SectionText(heading="II. TÌNH HÌNH BÁO CÁO CỦA CÁC XÃ, PHƯỜNG, ĐẶC KHU")
    indicators_section: SectionText = SectionText(heading="III. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU")
    communes: list[CommuneSummary] = Field(description="Every commune of the province, by code.")
    totals: ProvinceTotals
    indicators: list[IndicatorTotal]
    gbv: GbvSection = Field(description="The communes' consenting cases summed, suppressed as a whole.")
    assessment: AssessmentSection
    proposals: NarrativeSection
    recipients_heading: Text = "Nơi nhận:"
    recipients: list[Text] = Field(description="One line each, as printed: 'UBND tỉnh (để báo cáo);'.")
    signature: SignatureBlock

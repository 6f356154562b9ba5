"""The plan document (Kế hoạch) as data: every part of a commune's plan has a home here.

A plan version stores one `PlanDocument`. The importer (`services/plans/importer/`) builds one
from a Word or text file; an officer reviews the draft and issues it.

Task codes are stable positions, not the document's own numbers (real documents skip and
repeat numbers): content-area tasks are `ND-<area>.<n>`, tasks assigned to units in the
implementation organisation are `TC-<unit>.<n>`.
"""
from __future__ import annotations

import datetime as dt
import enum

from pydantic import BaseModel, ConfigDict, Field

from services.common.events.contracts import Year


class Part(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class LocalityType(str, enum.Enum):
    COMMUNE = "xa"        # xã
    WARD = "phuong"       # phường
    TOWNSHIP = "thi_tran"  # thị trấn (kept for older documents)
    SPECIAL_ZONE = "dac_khu"


class UnitType(str, enum.Enum):
    DEPARTMENT = "department"                # phòng chuyên môn (Phòng Văn hoá - Xã hội, Phòng Kinh tế)
    OFFICE = "office"                        # Văn phòng HĐND và UBND
    SERVICE_CENTRE = "service_centre"        # Trung tâm cung ứng dịch vụ sự nghiệp công
    HEALTH_STATION = "health_station"        # Trạm y tế
    SCHOOL = "school"                        # trường học
    POLICE = "police"                        # Công an xã
    FRONT_ORGANISATION = "front_organisation"  # Ủy ban MTTQ
    MASS_ORGANISATION = "mass_organisation"  # Hội Phụ nữ, Đoàn Thanh niên, Hội Nông dân, Hội CCB ...
    VILLAGE = "village"                      # thôn, tổ dân phố
    OTHER = "other"


class UnitRole(str, enum.Enum):
    LEAD = "lead"                  # chủ trì
    COORDINATING = "coordinating"  # phối hợp


class DocumentReference(Part):
    """Số và ký hiệu văn bản, ngày ban hành, cơ quan ban hành."""
    number: str | None = Field(None, max_length=20, description="Số (e.g. '169'); empty while not yet numbered.")
    symbol: str | None = Field(None, max_length=50, description="Ký hiệu (e.g. 'KH-UBND').")
    date: dt.date | None = None
    issuing_body: str | None = Field(None, max_length=300)
    title: str | None = Field(None, max_length=1000)


class Task(Part):
    code: str = Field(pattern=r"^(ND|TC)-[0-9]+\.[0-9]+$")
    text: str = Field(min_length=1, max_length=8000)
    sub_items: list[str] = Field(default_factory=list, description="a), b) ... or + bullets under the task.")
    content_area: int | None = Field(None, ge=1, le=1000, description=(
        "Of a task assigned to units: the number of the content area it carries out, which the commune's report "
        "groups its results under. The officer sets it on the draft; documents seldom say it."))


class ContentArea(Part):
    """Một nội dung thực hiện (II.1, II.2, ...)."""
    number: int = Field(ge=1)
    title: str = Field(min_length=1, max_length=2000)
    tasks: list[Task] = Field(default_factory=list)


class UnitAssignment(Part):
    """A unit (or a group of units, e.g. 'Các thôn') named in Tổ chức thực hiện, with its tasks."""
    number: int = Field(ge=1)
    unit_name: str = Field(min_length=1, max_length=300, description="As written in the document.")
    unit_type: UnitType
    unit_codes: list[str] = Field(default_factory=list,
                                  description="Directory units this entry designates (several for a group).")
    is_group: bool = Field(False, description="'Các thôn', 'Các trường học': every unit of that type.")
    requested: bool = Field(False, description="'Đề nghị ...': an organisation the UBND asks, not directs.")
    role: UnitRole
    tasks: list[Task] = Field(default_factory=list)


class FundingSource(str, enum.Enum):
    STATE_BUDGET = "state_budget"
    OTHER_LAWFUL = "other_lawful_sources"


class FundingAmount(Part):
    """'35.000.000 đồng', '35 triệu đồng từ nguồn ngân sách xã'."""
    amount_vnd: int = Field(ge=0, le=10**15, description="The amount in đồng.")
    source: str | None = Field(None, max_length=300, description="Where it comes from, as written: 'ngân sách xã'.")


class Funding(Part):
    text: str = Field("", max_length=4000)
    sources: list[FundingSource] = Field(default_factory=list)
    amounts: list[FundingAmount] = Field(default_factory=list)


class ReportingObligation(Part):
    """Chế độ báo cáo: who reports to whom, through which unit, by when, compiled for whom."""
    reporters: str = Field("Các cơ quan, đơn vị được giao nhiệm vụ", max_length=500)
    report_to: str = Field(max_length=300, description="e.g. 'UBND xã'")
    through_unit: str | None = Field(None, max_length=300, description="e.g. 'Phòng Văn hoá - Xã hội'")
    due_day: int | None = Field(None, ge=1, le=31, description="None when the plan gives no day (periodic reports).")
    due_month: int | None = Field(None, ge=1, le=12)
    due_year: Year | None = Field(None, description="'trước ngày 10/11/2026': that year only.")
    due_before: bool = Field(True, description="'trước ngày 20/11': the report is due before that day.")
    recurring_yearly: bool = True
    periodic: str | None = Field(None, max_length=100, description=(
        "'6 tháng, năm' of 'định kỳ 6 tháng, năm': reports every half year and year, no day given."))
    compiled_for: str | None = Field(None, max_length=300, description="e.g. 'Sở Nội vụ'")
    text: str = Field("", max_length=4000)


class KeyDate(Part):
    name: str = Field(min_length=1, max_length=300)
    start_day: int = Field(ge=1, le=31)
    start_month: int = Field(ge=1, le=12)
    end_day: int | None = Field(None, ge=1, le=31)
    end_month: int | None = Field(None, ge=1, le=12)
    recurring_yearly: bool = True


class PlanTarget(Part):
    """A target (chỉ tiêu) of the plan: 'Phấn đấu 100% thôn có mô hình ... (năm 2025: 80%)'."""
    number: int = Field(ge=1)
    text: str = Field(min_length=1, max_length=2000, description="As written.")
    name: str = Field(min_length=1, max_length=1000, description="What is measured, without the figures.")
    value: float | None = Field(None, description="The target value.")
    unit_of_measure: str | None = Field(None, max_length=50, description="'%', 'buổi', 'người' ...")
    baseline: float | None = None
    baseline_year: Year | None = None
    indicator_code: str | None = Field(None, max_length=64,
                                       description="The national reference indicator it is, or the commune's own.")


class Signature(Part):
    """TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / (name)."""
    on_behalf_of: str | None = Field(None, max_length=200, description="TM. ... line")
    deputy_for: str | None = Field(None, max_length=200, description="KT. ... line")
    title: str | None = Field(None, max_length=200)
    signer_name: str | None = Field(None, max_length=200)


class PlanDocument(Part):
    issuing_body: str = Field(max_length=300, description="e.g. 'UBND xã Sơn Hải'")
    locality_type: LocalityType = LocalityType.COMMUNE
    locality_name: str = Field(max_length=200, description="e.g. 'Sơn Hải'")
    reference: DocumentReference = Field(default_factory=DocumentReference,
                                         description="This plan's own number, symbol and date.")
    place: str | None = Field(None, max_length=200, description="Địa danh in 'Sơn Hải, ngày ... tháng ... năm ...'")
    title: str = Field(min_length=1, max_length=1000)
    preamble: str = Field("", max_length=8000)
    parent_plan: DocumentReference | None = None
    purposes: list[str] = Field(default_factory=list)
    requirements: list[str] = Field(default_factory=list)
    targets: list[PlanTarget] = Field(default_factory=list)
    content_areas: list[ContentArea] = Field(default_factory=list)
    funding: Funding = Field(default_factory=Funding)
    organisation: list[UnitAssignment] = Field(default_factory=list)
    reporting: ReportingObligation | None = None
    key_dates: list[KeyDate] = Field(default_factory=list)
    closing: str = Field("", max_length=8000)
    recipients: list[str] = Field(default_factory=list)
    signature: Signature = Field(default_factory=Signature)

    def assigned_tasks(self) -> dict[str, list[str]]:
        """Directory unit code -> codes of the tasks assigned to it."""
        assigned: dict[str, list[str]] = {}
        for entry in self.organisation:
            for unit_code in entry.unit_codes:
                assigned.setdefault(unit_code, []).extend(t.code for t in entry.tasks)
        return assigned

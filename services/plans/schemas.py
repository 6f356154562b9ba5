"""Request and response bodies of the plans HTTP API."""
from __future__ import annotations

import datetime as dt
import json
import re

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from services.common.admin_units import KnownCommuneCode
from services.common.answers import Answer
from services.common.events.contracts import (
    CODE,
    MAX_PLAN_INDICATORS,
    MAX_REPORTED_BY,
    Measure,
    TargetDirection,
    TaskStatus,
    Year,
)
from services.common.events.contracts import IndicatorValueType as ValueType
from services.plans.document import PlanDocument, UnitType


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)


# unit directory ----------------------------------------------------------------
class ContactPoint(Strict):
    """A role-based contact of a unit (e.g. its reporting officer), never a private person's data."""
    role: str = Field(pattern=r"^[a-z_]{1,40}$", description=(
        "e.g. reporting_officer, head; the commune staff's contacts (on any unit, usually the UBND office) carry "
        "their role: commune_officer, commune_leader, case_worker. Notifications reach a unit through all its "
        "contact points, commune staff through those of their role."))
    channel: str = Field(pattern=r"^(in_app|email|sms|zalo)$", description="zalo: the phone number of a Zalo account.")
    address: str | None = Field(None, max_length=200, description="Official mailbox or number of the unit.")


class UnitIn(Strict):
    code: str = Field(pattern=CODE)
    name: str = Field(min_length=1, max_length=300)
    unit_type: UnitType
    active_from: dt.date | None = None
    active_to: dt.date | None = None
    contact_points: list[ContactPoint] = Field(default_factory=list, max_length=20)

    @model_validator(mode="after")
    def _period(self):
        if self.active_from and self.active_to and self.active_to < self.active_from:
            raise ValueError("active_to must not be before active_from")
        return self


class UnitChange(Strict):
    name: str | None = Field(None, min_length=1, max_length=300)
    active_to: dt.date | None = Field(None, description="Dissolve the unit after this day.")
    contact_points: list[ContactPoint] | None = Field(None, max_length=20)


class UnitOut(Answer):
    code: str
    commune_code: str
    name: str
    unit_type: UnitType
    active_from: dt.date | None
    active_to: dt.date | None
    contact_points: list[ContactPoint]


class UnitList(Answer):
    items: list[UnitOut]


class UnitQuery(Strict):
    active_on: dt.date | None = Field(None, description="Only units active on this day.")


class UnitDirectoryCall(Strict):
    """The arguments of the `plans.unit_directory` RPC."""
    commune_code: KnownCommuneCode


# indicators --------------------------------------------------------------------
class ReferenceTarget(Strict):
    year: Year
    value: float


class IndicatorIn(Strict):
    code: str = Field(pattern=CODE)
    name: str = Field(min_length=1, max_length=1000)
    unit_of_measure: str = Field(min_length=1, max_length=50)
    value_type: ValueType
    sex_disaggregated: bool = False
    source: str | None = Field(None, max_length=1000)


class IndicatorOut(Answer):
    code: str
    scope: str = Field(description="'national' for reference indicators, otherwise the commune code")
    name: str
    unit_of_measure: str
    value_type: ValueType
    sex_disaggregated: bool
    source: str | None
    reference_targets: list[ReferenceTarget]


class IndicatorList(Answer):
    items: list[IndicatorOut]


class IndicatorQuery(Strict):
    commune_code: KnownCommuneCode | None = None


class IndicatorTarget(Strict):
    """An indicator the plan tracks: baseline, target, and which units or tasks report it."""
    indicator_code: str = Field(pattern=CODE)
    baseline: Measure | None = None
    baseline_year: Year | None = None
    target: Measure | None = None
    direction: TargetDirection = Field(TargetDirection.AT_LEAST, description=(
        "at_least: met when the result reaches the target; at_most: when it stays at or below it (e.g. the sex "
        "ratio at birth)."))
    reported_by_units: list[str] = Field(default_factory=list, max_length=MAX_REPORTED_BY)
    reported_by_tasks: list[str] = Field(default_factory=list, max_length=MAX_REPORTED_BY)


# plans ---------------------------------------------------------------------------
class CreatePlan(Strict):
    commune_code: KnownCommuneCode
    year: Year
    document: PlanDocument
    report_deadline: dt.date | None = Field(
        None, description="Units report before this date. Default: from the document's reporting obligation.")
    indicator_targets: list[IndicatorTarget] = Field(default_factory=list, max_length=MAX_PLAN_INDICATORS)


class EditDraft(Strict):
    document: PlanDocument
    report_deadline: dt.date | None = None
    indicator_targets: list[IndicatorTarget] = Field(default_factory=list, max_length=MAX_PLAN_INDICATORS)


class AmendPlan(EditDraft):
    reason: str = Field(min_length=1, max_length=2000, description="Why the issued plan is amended.")


class PlanQuery(Strict):
    commune_code: KnownCommuneCode | None = None
    year: Year | None = None
    status: str | None = Field(None, pattern=r"^(draft|issued|closed)$")


class ImportWarningOut(Answer):
    line: int = Field(description="Line of the text (of a Word file: as if saved as text).")
    code: str
    expected: str | None = None
    found: str | None = None
    message: str = Field(description="What was found and what the import did (Vietnamese).")
    paragraph: int | None = Field(None, description="Of a Word file: the paragraph, tables included.")
    action: str | None = Field(None, description="What the officer can do about it (Vietnamese).")
    text: str | None = Field(None, description=(
        "The document's line the warning is about, as read (at most 500 characters), to show beside it."))


class PlanOut(Answer):
    id: str
    commune_code: str
    year: int
    status: str
    version: int
    report_deadline: dt.date
    issued_at: dt.datetime | None
    closed_at: dt.datetime | None
    document: PlanDocument
    indicator_targets: list[IndicatorTarget]
    assigned_tasks: dict[str, list[str]] = Field(description="Unit code -> codes of its assigned tasks.")
    import_warnings: list[ImportWarningOut] = Field(default_factory=list)


class PlanSummary(Answer):
    id: str
    commune_code: str
    year: int
    status: str
    version: int
    title: str
    report_deadline: dt.date


class PlanList(Answer):
    items: list[PlanSummary]


class VersionSummary(Answer):
    version: int
    created_at: dt.datetime
    created_by: str
    amendment_reason: str | None
    report_deadline: dt.date


class VersionList(Answer):
    items: list[VersionSummary]


class Change(Answer):
    path: str
    kind: str = Field(description="added, removed or changed")
    before: object | None = None
    after: object | None = None


class VersionDiff(Answer):
    plan_id: str
    from_version: int
    to_version: int
    changes: list[Change]


class DiffQuery(Strict):
    against: int | None = Field(None, ge=1, le=100000,
                                description="Version to compare with (default: the previous one).")


class ImportForm(Strict):
    """Form fields of a plan import upload: the file, and what the officer knows that the document lacks."""
    commune_code: KnownCommuneCode
    year: Year | None = Field(None, description="Default: the year in the document's title.")
    dry_run: bool = Field(False, description="Parse and report only; create no draft.")
    report_deadline: dt.date | None = Field(
        None, description="Units report before this date. Default: from the document's reporting obligation.")
    unit_map: dict[str, str] = Field(
        default_factory=dict, max_length=200,
        description='JSON object: a unit name as the document writes it -> the directory unit code, e.g. '
                    '{"Trung tâm dịch vụ xã": "TTDV"}, for names the import could not match.')

    @field_validator("unit_map", mode="before")
    @classmethod
    def _json_object(cls, value):
        if isinstance(value, str):
            try:
                value = json.loads(value) if value.strip() else {}
            except ValueError:
                raise ValueError("phải là một đối tượng JSON: {\"tên đơn vị\": \"mã đơn vị\"}") from None
        if isinstance(value, dict):
            for position, (name, code) in enumerate(value.items(), start=1):
                if not isinstance(code, str) or not re.fullmatch(CODE, code) or not 0 < len(name) <= 300:
                    # where, never what: the names are the caller's
                    raise ValueError(f"mục thứ {position}: tên 1–300 ký tự, mã đơn vị là chữ, số, '.', '_' hoặc '-' "
                                     "(tối đa 64 ký tự)")
        return value


class MissingField(Answer):
    """Something a plan needs that the document does not give: a form field to add on the next import."""
    field: str = Field(description="The form field: year, report_deadline, or unit_map.<name as written>.")
    problem: str = Field(description="What is missing and how to give it (Vietnamese).")


class ImportOut(Answer):
    plan: PlanOut | None
    document: PlanDocument
    warnings: list[ImportWarningOut]
    missing: list[MissingField] = Field(
        default_factory=list, description="What to add before a draft can be made (a dry run reports it too).")


# unit reports ----------------------------------------------------------------------
class TaskResultIn(Strict):
    task_code: str = Field(pattern=CODE)
    status: TaskStatus
    summary: str = Field("", max_length=4000, description="What was done.")


class IndicatorValueIn(Strict):
    """A reported value: `value` for an indicator, or `female`/`male` where it is disaggregated by sex."""
    indicator_code: str = Field(pattern=CODE)
    value: Measure | None = None
    female: Measure | None = None
    male: Measure | None = None


class SubmitUnitReport(Strict):
    tasks: list[TaskResultIn] = Field(min_length=1, max_length=200)
    indicator_values: list[IndicatorValueIn] = Field(default_factory=list, max_length=200)


class ReturnReport(Strict):
    reason: str = Field(min_length=1, max_length=2000)


class AttachmentOut(Answer):
    id: str
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime


class AttachmentForm(Strict):
    """No form fields besides the file."""


class UnitReportOut(Answer):
    id: str
    plan_id: str
    plan_version: int
    commune_code: str
    year: int
    unit_code: str
    revision: int
    status: str = Field(description="current, superseded or returned")
    late: bool
    submitted_at: dt.datetime
    tasks: list[TaskResultIn]
    indicator_values: list[IndicatorValueIn]
    returned_at: dt.datetime | None = None
    return_reason: str | None = None
    attachments: list[AttachmentOut] = Field(default_factory=list)
    locked: bool = False


class UnitReportList(Answer):
    items: list[UnitReportOut]

"""Importing a plan document (Word or text) into a draft plan an officer reviews before issuing.

Three steps, so that no database transaction stays open while a document is parsed: what the
importer needs from the commune (its unit directory and indicators), the parse itself in a child
process with a time and a memory limit (importer/isolation.py), and the draft written from the
result, with the targets as indicators of the plan.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from services.common.auth import Principal
from services.common.errors import Unprocessable
from services.plans import lifecycle, views
from services.plans.directory import directory_of
from services.plans.importer import dates, isolation
from services.plans.importer.importer import ImportOptions
from services.plans.importer.result import (
    DocumentTooLarge,
    ImportResult,
    NotAPlan,
    ReferenceIndicator,
    UnreadableDocument,
)
from services.plans.indicators import catalogue_for, targets_as_indicators
from services.plans.schemas import CreatePlan, ImportForm, ImportOut, ImportWarningOut, MissingField

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024

# error code of each refusal, most specific first (the classes derive from one another)
_REFUSALS: tuple[tuple[type[Exception], str], ...] = (
    (isolation.ImportTimedOut, "import_timed_out"),
    (DocumentTooLarge, "document_too_large"),
    (UnreadableDocument, "unreadable_document"),
    (NotAPlan, "not_a_plan"),
)


def options_for(session: Session, principal: Principal, form: ImportForm) -> ImportOptions:
    """What the importer needs from the commune: its unit directory and indicator catalogue, with the
    officer's unit matches checked against the directory."""
    principal.require_commune(form.commune_code)
    directory = directory_of(session, form.commune_code)
    unknown = [{"field": f"unit_map.{name}", "problem": f"không có đơn vị mã “{code}” trong danh mục của xã/phường"}
               for name, code in form.unit_map.items() if code not in directory]
    if unknown:
        raise Unprocessable("Mã đơn vị trong unit_map không có trong danh mục đơn vị.", fields=unknown)
    catalogue = [ReferenceIndicator(code=i.code, name=i.name, unit_of_measure=i.unit_of_measure)
                 for i in catalogue_for(session, form.commune_code).values()]
    return ImportOptions(directory=list(directory.values()), year_hint=form.year, unit_map=form.unit_map,
                         indicators=catalogue)


def read_document(filename: str, data: bytes, options: ImportOptions, limits: isolation.ChildLimits) -> ImportResult:
    """The importer's result, or a 422 naming the file and saying why it is not a readable plan."""
    try:
        return isolation.import_in_child(filename, data, options, limits)
    except (UnreadableDocument, NotAPlan) as exc:
        code = next(code for kind, code in _REFUSALS if isinstance(exc, kind))
        raise Unprocessable(str(exc), code=code, fields=[{"field": "file", "problem": str(exc)}]) from None


def save_draft(session: Session, principal: Principal, form: ImportForm, result: ImportResult,
               now: dt.datetime) -> ImportOut:
    """The draft plan, or (without a year, a deadline or a unit's match) a 422 that carries the draft
    document and every warning and names each form field to add, so that importing the same file
    again with those fields is enough."""
    warnings = [ImportWarningOut.model_validate(w.model_dump()) for w in result.warnings]
    year = form.year or result.year
    deadline = form.report_deadline or (dates.report_deadline(result.document.reporting, year) if year else None)
    missing = _missing(result, year, deadline, bool(directory_of(session, form.commune_code)))
    if form.dry_run:
        return ImportOut(plan=None, document=result.document, warnings=warnings, missing=missing)
    if missing:
        raise Unprocessable(
            "Chưa tạo được bản dự thảo: văn bản thiếu thông tin bắt buộc; hãy nhập lại tệp kèm các trường nêu dưới "
            "đây.", code="import_incomplete", fields=[m.model_dump() for m in missing],
            extra={"document": result.document.model_dump(mode="json"),
                   "warnings": [w.model_dump(mode="json") for w in warnings]})
    assert year is not None and deadline is not None  # both checked by _missing
    targets, indicator_targets = targets_as_indicators(session, form.commune_code, year, result.document.targets)
    document = result.document.model_copy(update={"targets": targets})
    body = CreatePlan(commune_code=form.commune_code, year=year, document=document, report_deadline=deadline,
                      indicator_targets=indicator_targets)
    plan, version = lifecycle.create_plan(session, principal, body, now,
                                          import_warnings=[w.model_dump(mode="json") for w in warnings])
    return ImportOut(plan=views.plan_view(plan, version), document=document, warnings=warnings)


def _missing(result: ImportResult, year: int | None, deadline: dt.date | None,
             has_directory: bool) -> list[MissingField]:
    missing = []
    if year is None:
        missing.append(MissingField(field="year", problem="Văn bản không nêu năm của kế hoạch; hãy nhập năm."))
    elif deadline is None:
        reporting = result.document.reporting
        why = (f"chế độ báo cáo “định kỳ {reporting.periodic}” không nêu ngày" if reporting and reporting.periodic
               else "văn bản không nêu hạn báo cáo")
        missing.append(MissingField(field="report_deadline",
                                    problem=f"Thiếu hạn báo cáo ({why}); hãy nhập ngày, ví dụ {year}-11-20."))
    if has_directory:  # without a directory nothing could be matched yet: the officer registers units first
        for entry in result.document.organisation:
            if not entry.unit_codes:
                missing.append(MissingField(
                    field=f"unit_map.{entry.unit_name}",
                    problem=f"Chưa xác định được đơn vị “{entry.unit_name}” trong danh mục; hãy ghi mã đơn vị."))
    return missing

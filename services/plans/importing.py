"""Importing a plan document (Word or text) into a draft plan an officer reviews before issuing.

Three steps, so that no database transaction stays open while a document is parsed: what the
importer needs from the commune (its unit directory), the parse itself in a child process with a
time and a memory limit (importer/isolation.py), and the draft written from the result.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from services.common.auth import Principal
from services.common.errors import Unprocessable
from services.plans import lifecycle
from services.plans.directory import directory_of
from services.plans.importer import isolation
from services.plans.importer.importer import ImportOptions
from services.plans.importer.result import DocumentTooLarge, ImportResult, NotAPlan, UnreadableDocument
from services.plans.schemas import CreatePlan, ImportForm, ImportOut

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024

# error code of each refusal, most specific first (the classes derive from one another)
_REFUSALS: tuple[tuple[type[Exception], str], ...] = (
    (isolation.ImportTimedOut, "import_timed_out"),
    (DocumentTooLarge, "document_too_large"),
    (UnreadableDocument, "unreadable_document"),
    (NotAPlan, "not_a_plan"),
)


def options_for(session: Session, principal: Principal, form: ImportForm) -> ImportOptions:
    principal.require_commune(form.commune_code)
    return ImportOptions(directory=list(directory_of(session, form.commune_code).values()), year_hint=form.year)


def read_document(filename: str, data: bytes, options: ImportOptions, limits: isolation.ChildLimits) -> ImportResult:
    """The importer's result, or a 422 naming the file and saying why it is not a readable plan."""
    try:
        return isolation.import_in_child(filename, data, options, limits)
    except (UnreadableDocument, NotAPlan) as exc:
        code = next(code for kind, code in _REFUSALS if isinstance(exc, kind))
        raise Unprocessable(str(exc), code=code, fields=[{"field": "file", "problem": str(exc)}]) from None


def save_draft(session: Session, principal: Principal, form: ImportForm, result: ImportResult,
               now: dt.datetime) -> ImportOut:
    warnings = [w.model_dump(mode="json") for w in result.warnings]
    if form.dry_run:
        return ImportOut(plan=None, document=result.document, warnings=warnings)
    year = form.year or result.year
    if year is None:
        raise Unprocessable("Không xác định được năm của kế hoạch; hãy nhập năm.",
                            fields=[{"field": "year", "problem": "không tìm thấy năm trong văn bản"}])
    # the deadline follows the plan's year, which the officer may have set differently from the document's
    body = CreatePlan(commune_code=form.commune_code, year=year, document=result.document)
    plan, version = lifecycle.create_plan(session, principal, body, now, import_warnings=warnings)
    return ImportOut(plan=lifecycle.plan_view(plan, version), document=result.document, warnings=warnings)

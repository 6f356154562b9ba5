"""Importing a plan document (Word or text) into a draft plan an officer reviews before issuing."""
from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from services.common.auth import Principal
from services.common.errors import Unprocessable
from services.plans import importer, lifecycle
from services.plans.directory import directory_of
from services.plans.schemas import CreatePlan, ImportForm, ImportOut

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024


def parse(filename: str, data: bytes, directory=(), year_hint: int | None = None) -> importer.ImportResult:
    """The importer's result, or a 422 saying why the file is not a readable plan."""
    try:
        return importer.import_file(filename, data, directory=list(directory), year_hint=year_hint)
    except importer.UnreadableDocument as exc:
        raise Unprocessable(str(exc), code="unreadable_document",
                            fields=[{"field": "file", "problem": str(exc)}]) from None
    except importer.NotAPlan as exc:
        raise Unprocessable(str(exc), code="not_a_plan", fields=[{"field": "file", "problem": str(exc)}]) from None


def import_plan(session: Session, principal: Principal, form: ImportForm, filename: str, data: bytes,
                now: dt.datetime) -> ImportOut:
    principal.require_commune(form.commune_code)
    result = parse(filename, data, directory_of(session, form.commune_code).values(), form.year)
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

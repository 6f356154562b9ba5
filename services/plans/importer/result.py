"""What an import returns: the draft document, the warnings for the reviewing officer, and errors."""
from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

from services.plans.document import PlanDocument
from services.plans.importer.text import nfc


class NotAPlan(ValueError):
    """The input is readable but is not a plan (Kế hoạch): no draft is made from it."""


class UnreadableDocument(ValueError):
    """The input cannot be read as a document at all (empty, binary, corrupt, unsupported format)."""


class DocumentTooLarge(UnreadableDocument):
    """The document is over one of the importer's limits (importer/limits.py): refused whole."""


class ImportWarning(BaseModel):
    """Something the officer must check in the draft, pointing at the source line it concerns."""
    model_config = ConfigDict(frozen=True)

    line: int  # 1-based line in the text; the paragraph number for a Word file
    code: str  # stable machine code, e.g. 'numbering_skipped'
    expected: str | None = None
    found: str | None = None
    message: str  # Vietnamese


class ReferenceIndicator(BaseModel):
    """An indicator of the catalogue (national or the commune's own) that a plan's target may be."""
    code: str
    name: str
    unit_of_measure: str


class ImportResult(BaseModel):
    document: PlanDocument
    warnings: list[ImportWarning]
    year: int | None
    report_deadline: dt.date | None
    commune_name: str


class WarningLog:
    """Collects warnings while the importer runs; hands them out in source order."""

    def __init__(self) -> None:
        self._warnings: list[ImportWarning] = []

    def add(self, line: int, code: str, message: str, *, expected: str | None = None,
            found: str | None = None) -> None:
        self._warnings.append(ImportWarning(
            line=line, code=code, message=nfc(message),
            expected=None if expected is None else nfc(expected),
            found=None if found is None else nfc(found)))

    def in_source_order(self) -> list[ImportWarning]:
        return sorted(self._warnings, key=lambda warning: warning.line)  # stable: same line keeps finding order

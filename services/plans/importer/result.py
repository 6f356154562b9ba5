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


_SOURCE = "Sửa trong văn bản gốc cho lần sau; bản dự thảo đã nhập như nêu trên."
_DRAFT = "Kiểm tra và sửa trong bản dự thảo (PUT /v1/plans/{id}/draft) nếu cần."
_UNIT_MAP = ("Nhập lại văn bản kèm unit_map: tên đơn vị như trong văn bản → mã đơn vị trong danh mục; hoặc thêm "
             "đơn vị vào danh mục rồi nhập lại.")
_DEADLINE = "Nhập lại văn bản kèm report_deadline (hạn báo cáo, ví dụ 2026-11-20)."
# What the officer can do about each warning (the message says what was found and what was done).
ACTIONS = {
    "document_number_missing": "Cấp số văn bản khi ban hành; không cần sửa để nhập.",
    "issue_date_incomplete": "Ghi đủ ngày, tháng, năm khi ký ban hành; không cần sửa để nhập.",
    "issue_date_missing": "Ghi địa danh, ngày tháng năm khi ký ban hành; không cần sửa để nhập.",
    "issue_date_invalid": _SOURCE, "issuing_body_missing": _DRAFT, "place_name_typo": _SOURCE,
    "place_name_mismatch": _SOURCE, "typo_suspected": _SOURCE, "line_joined": _DRAFT,
    "numbering_skipped": _SOURCE, "numbering_repeated": _SOURCE, "numbering_out_of_order": _SOURCE,
    "heading_empty": _DRAFT, "task_without_bullet": _DRAFT, "text_not_placed": _DRAFT, "part_not_recognised": _DRAFT,
    "key_date_unusual": _SOURCE, "lead_unit_missing": _DRAFT, "locality_missing": _DRAFT, "locality_mismatch": _DRAFT,
    "unit_name_uncertain": _UNIT_MAP, "unit_not_in_directory": _UNIT_MAP,
    "reporting_missing": _DEADLINE, "report_deadline_missing": _DEADLINE, "report_deadline_invalid": _DEADLINE,
    "reporting_recipient_missing": _DRAFT, "year_mismatch": "Kiểm tra năm của kế hoạch (trường year khi nhập).",
    "target_without_value": _DRAFT, "signature_missing": _DRAFT, "signer_name_missing": _DRAFT,
    "content_missing": _DRAFT, "funding_missing": _DRAFT, "organisation_missing": _DRAFT,
}


class ImportWarning(BaseModel):
    """Something the officer must check in the draft: what was found, where, and what to do."""
    model_config = ConfigDict(frozen=True)

    line: int  # 1-based line of the text (of a Word file: as if saved as text)
    code: str  # stable machine code, e.g. 'numbering_skipped'
    expected: str | None = None
    found: str | None = None
    message: str  # Vietnamese: what was found, and what the importer did
    paragraph: int | None = None  # of a Word file: the paragraph (Word counts them; tables included)
    action: str | None = None  # Vietnamese: what the officer can do
    text: str | None = None  # the document's line the warning is about (cut at TEXT_CHARACTERS), to show beside it


TEXT_CHARACTERS = 500


def _shown(text: str | None) -> str | None:
    if not text:
        return None
    return text if len(text) <= TEXT_CHARACTERS else text[:TEXT_CHARACTERS - 1] + "…"


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
            found=None if found is None else nfc(found), action=ACTIONS.get(code)))

    def in_source_order(self, paragraph_of: dict[int, int] | None = None,
                        text_of: dict[int, str] | None = None) -> list[ImportWarning]:
        """Sorted by line (stable: the same line keeps the finding order); `paragraph_of` maps a Word
        file's lines to its paragraphs, `text_of` the lines to their text."""
        ordered = sorted(self._warnings, key=lambda warning: warning.line)
        if not paragraph_of and not text_of:
            return ordered
        return [w.model_copy(update={"paragraph": (paragraph_of or {}).get(w.line),
                                     "text": _shown((text_of or {}).get(w.line))}) for w in ordered]

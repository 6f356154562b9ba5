"""The importer's entry points: a text or Word file -> a draft PlanDocument and warnings to review.

Steps: bytes -> source lines (text decoding or docx_reader) -> classified lines (lines) -> structure
(header, parser) -> post-processing: units against the directory (units), reporting obligation and
key dates (dates), known typos (typos).
"""
from __future__ import annotations

import codecs
import datetime as dt
import pathlib
import re

from pydantic import BaseModel, ValidationError

from services.plans.document import LocalityType, PlanDocument
from services.plans.importer import dates
from services.plans.importer.docx_reader import docx_lines
from services.plans.importer.funding import funding
from services.plans.importer.header import Header
from services.plans.importer.limits import MAX_CHARACTERS, MAX_PARAGRAPHS, TOO_MANY_CHARACTERS, TOO_MANY_LINES
from services.plans.importer.lines import SourceLine, classified_lines, split_text
from services.plans.importer.parser import ParsedPlan, parse
from services.plans.importer.result import (
    DocumentTooLarge,
    ImportResult,
    NotAPlan,
    ReferenceIndicator,
    UnreadableDocument,
    WarningLog,
)
from services.plans.importer.targets import plan_targets
from services.plans.importer.typos import report_typos
from services.plans.importer.units import UnitMatcher
from services.plans.units import DirectoryUnit

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 .doc
_PDF_MAGIC = b"%PDF"
_TEXT_EXTENSIONS = {"", ".txt", ".text"}
_BYTE_ORDER_MARKS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),  # before UTF-16: same start
                     (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")

_MODEL_NAMES = {"PlanDocument": "kế hoạch", "ContentArea": "nội dung thực hiện", "Task": "nhiệm vụ",
                "Funding": "kinh phí", "UnitAssignment": "tổ chức thực hiện", "Signature": "chữ ký",
                "ReportingObligation": "chế độ báo cáo", "DocumentReference": "số, ký hiệu văn bản"}
_LOCALITY_WORDS = {LocalityType.COMMUNE: "xã", LocalityType.WARD: "phường", LocalityType.TOWNSHIP: "thị trấn",
                   LocalityType.SPECIAL_ZONE: "đặc khu"}


class ImportOptions(BaseModel):
    """What the importer is told besides the file (JSON-able, to be sent to a child process)."""
    directory: list[DirectoryUnit] = []
    year_hint: int | None = None
    unit_map: dict[str, str] = {}  # a unit name as written -> the directory code the officer chose
    indicators: list[ReferenceIndicator] = []  # the catalogue targets are matched against

    def as_arguments(self) -> dict:
        return {"directory": self.directory, "year_hint": self.year_hint, "unit_map": self.unit_map,
                "indicators": self.indicators}


def import_text(text: str, **options) -> ImportResult:
    check_text_size(text)
    return _import(split_text(text), ImportOptions(**options))


def check_text_size(text: str) -> None:
    """The limits of importer/limits.py, checked before the text is split into lines."""
    if len(text) > MAX_CHARACTERS:
        raise DocumentTooLarge(TOO_MANY_CHARACTERS)
    lines = text.count("\n") + text.count("\r") - text.count("\r\n") + 1  # as split_text counts them
    if lines > MAX_PARAGRAPHS:
        raise DocumentTooLarge(TOO_MANY_LINES)


def import_docx(data: bytes, **options) -> ImportResult:
    return _import(docx_lines(data), ImportOptions(**options))


def import_file(filename: str, data: bytes, **options) -> ImportResult:
    """Word or text, by content first (a .docx is a zip) and by extension second."""
    extension = pathlib.PurePath(filename or "").suffix.lower()
    if not data.strip():
        raise UnreadableDocument("Tệp trống: không có nội dung để nhập.")
    if data.startswith(_ZIP_MAGIC):
        return import_docx(data, **options)
    if data.startswith(_OLE_MAGIC):
        raise UnreadableDocument("Tệp Word 97-2003 (.doc) chưa được hỗ trợ; hãy lưu lại dưới dạng .docx rồi tải lên.")
    if data.startswith(_PDF_MAGIC):
        raise UnreadableDocument("Tệp PDF chưa được hỗ trợ; hãy tải lên bản Word (.docx) hoặc văn bản (.txt).")
    if extension == ".docx":
        raise UnreadableDocument("Không đọc được tệp Word (.docx): tệp bị hỏng hoặc không phải tệp Word.")
    if extension not in _TEXT_EXTENSIONS:
        # the extension is the caller's: named by what is accepted, never echoed
        raise UnreadableDocument("Định dạng tệp không được hỗ trợ; hãy tải lên tệp .docx hoặc .txt.")
    return import_text(decode_text(data), **options)


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16/32 with BOM; anything else is not a text we can read."""
    encoding = next((name for bom, name in _BYTE_ORDER_MARKS if data.startswith(bom)), "utf-8")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise UnreadableDocument("Không đọc được tệp văn bản: tệp không ở mã UTF-8 (có thể là tệp nhị phân hoặc "
                                 "văn bản mã TCVN3/VNI cũ); hãy lưu lại với mã Unicode UTF-8.") from None
    if _CONTROL_CHARACTERS.search(text):
        raise UnreadableDocument("Không đọc được tệp: nội dung có ký tự điều khiển, không phải văn bản.")
    return text


def _import(sources: list[SourceLine], options: ImportOptions) -> ImportResult:
    if not any(source.text for source in sources):
        raise UnreadableDocument("Văn bản trống: không có nội dung để nhập.")
    try:
        return _draft(sources, options)
    except ValidationError as error:  # the document model's limits, e.g. a paragraph longer than a task may be
        where = _MODEL_NAMES.get(error.title, error.title)
        fields = ", ".join(".".join(str(part) for part in problem["loc"]) for problem in error.errors())
        raise UnreadableDocument(f"Không tạo được bản dự thảo: phần {where} vượt giới hạn của mẫu kế hoạch ({fields}); "
                                 "thường do một đoạn quá dài hoặc thiếu tiêu đề phần (I., II., ...).") from None


def _draft(sources: list[SourceLine], options: ImportOptions) -> ImportResult:
    directory, year_hint = options.directory, options.year_hint
    log = WarningLog()
    lines = classified_lines(sources, log)
    plan = parse(lines, log)
    header = plan.header
    year = _plan_year(header, year_hint, log)
    locality_type = header.locality.type if header.locality else LocalityType.COMMUNE
    reporting = dates.reporting_obligation(plan.body.reporting_lines + plan.tail.closing_lines,
                                           f"UBND {_LOCALITY_WORDS[locality_type]}", header.heading_line, log)
    matcher = UnitMatcher(directory, header.locality.name if header.locality else "", _directory_day(header, year),
                          options.unit_map)
    organisation = matcher.assignments(plan.body.unit_entries, reporting, log)
    _check_structure(plan, log)
    report_typos(sources, log)
    document = PlanDocument(
        issuing_body=header.locality.issuing_body if header.locality else "",
        locality_type=locality_type,
        locality_name=header.locality.name if header.locality else "",
        reference=header.reference.model_copy(
            update={"issuing_body": header.locality.issuing_body if header.locality else None}),
        place=header.place, title=header.title, preamble=header.preamble, parent_plan=header.parent_plan,
        purposes=plan.body.purposes, requirements=plan.body.requirements,
        targets=plan_targets(plan.body.target_lines, options.indicators, log),
        content_areas=plan.body.content_areas,
        funding=funding(plan.body.funding_paragraphs),
        organisation=organisation, reporting=reporting, key_dates=dates.key_dates(lines, log),
        closing="\n".join(line.text for line in plan.tail.closing_lines),
        recipients=plan.tail.recipients, signature=plan.tail.signature)
    paragraphs = {source.number: source.paragraph for source in sources if source.paragraph is not None}
    texts = {source.number: source.text for source in sources if source.text}
    return ImportResult(document=document, warnings=log.in_source_order(paragraphs, texts), year=year,
                        report_deadline=dates.report_deadline(reporting, year),
                        commune_name=header.locality.name if header.locality else "")


def _plan_year(header: Header, year_hint: int | None, log: WarningLog) -> int | None:
    if header.year is not None and year_hint is not None and header.year != year_hint:
        log.add(header.title_line, "year_mismatch",
                f"Kế hoạch ghi năm {header.year}, khác với năm được chọn khi nhập ({year_hint}).",
                expected=str(year_hint), found=str(header.year))
    return header.year if header.year is not None else year_hint


def _directory_day(header: Header, year: int | None) -> dt.date | None:
    """The day whose directory counts: the issue date, else the parent plan's (the plan follows it),
    else the start of the plan year."""
    if header.reference.date is not None:
        return header.reference.date
    if header.parent_plan is not None and header.parent_plan.date is not None:
        return header.parent_plan.date
    return dt.date(year, 1, 1) if year is not None else None


def _check_structure(plan: ParsedPlan, log: WarningLog) -> None:
    body = plan.body
    if not (body.purposes or body.requirements or body.content_areas or body.funding_paragraphs or body.unit_entries):
        raise NotAPlan("Văn bản có tiêu đề “KẾ HOẠCH” nhưng không có phần nào của một kế hoạch "
                       "(mục đích, yêu cầu; nội dung; kinh phí; tổ chức thực hiện).")
    for present, code, what in ((body.content_areas, "content_missing", "nội dung thực hiện"),
                                (body.funding_paragraphs, "funding_missing", "kinh phí thực hiện"),
                                (body.unit_entries, "organisation_missing", "tổ chức thực hiện")):
        if not present:
            log.add(plan.header.heading_line, code, f"Kế hoạch không có phần {what}.")

"""The documents a submitted report is stored as: one renderer per format, each turning the report's content
(`CommuneReport`) into bytes. At submission every registered renderer runs once and its bytes are stored
with their SHA-256 (`report_documents`), never produced again.

The JSON renderer is here; the DOCX (Nghị định 30 layout) and the XLSX annex are printed from the same
content by `services/reporting/documents`, so the three carry the same figures. A renderer added to
`RENDERERS` changes nothing else: submissions store its document, the download endpoint serves it, and
reports submitted before it have no document in that format.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from pydantic import BaseModel

from services.reporting import documents
from services.reporting.province_content import ProvinceSummary
from services.reporting.report_content import CommuneReport

ContentT = TypeVar("ContentT", bound=BaseModel)


@dataclass(frozen=True)
class Renderer(Generic[ContentT]):
    format: str          # the name in the download path: json, docx, xlsx
    media_type: str
    extension: str
    render: Callable[[ContentT], bytes]


def render_json(content: BaseModel) -> bytes:
    """The content model as JSON (a commune report: as docs/reports/commune-report.schema.json describes it):
    UTF-8, NFC."""
    return content.model_dump_json(indent=2).encode("utf-8")


JSON_MEDIA_TYPE = "application/json"
JSON: Renderer[CommuneReport] = Renderer("json", JSON_MEDIA_TYPE, "json", render_json)
DOCX: Renderer[CommuneReport] = Renderer("docx", documents.DOCX_MEDIA_TYPE, "docx", documents.render_docx)
XLSX: Renderer[CommuneReport] = Renderer("xlsx", documents.XLSX_MEDIA_TYPE, "xlsx", documents.render_xlsx)

RENDERERS: tuple[Renderer[CommuneReport], ...] = (JSON, DOCX, XLSX)
FORMATS = {renderer.format: renderer for renderer in RENDERERS}

# a province's summary (Sở Nội vụ), produced on each request from its content: the JSON, the summary workbook
# and Sở Nội vụ's report to UBND tỉnh
PROVINCE_RENDERERS: tuple[Renderer[ProvinceSummary], ...] = (
    Renderer("json", JSON_MEDIA_TYPE, "json", render_json),
    Renderer("docx", documents.DOCX_MEDIA_TYPE, "docx", documents.render_province_docx),
    Renderer("xlsx", documents.XLSX_MEDIA_TYPE, "xlsx", documents.render_province_xlsx))
PROVINCE_FORMATS = {renderer.format: renderer for renderer in PROVINCE_RENDERERS}


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()

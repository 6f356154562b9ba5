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

from services.reporting import documents
from services.reporting.report_content import CommuneReport


@dataclass(frozen=True)
class Renderer:
    format: str          # the name in the download path: json, docx, xlsx
    media_type: str
    extension: str
    render: Callable[[CommuneReport], bytes]


def render_json(report: CommuneReport) -> bytes:
    """The report as the JSON its schema (docs/reports/commune-report.schema.json) describes: UTF-8, NFC."""
    return report.model_dump_json(indent=2).encode("utf-8")


JSON = Renderer(format="json", media_type="application/json", extension="json", render=render_json)

DOCX = Renderer(format="docx", media_type=documents.DOCX_MEDIA_TYPE, extension="docx", render=documents.render_docx)
XLSX = Renderer(format="xlsx", media_type=documents.XLSX_MEDIA_TYPE, extension="xlsx", render=documents.render_xlsx)

RENDERERS: tuple[Renderer, ...] = (JSON, DOCX, XLSX)
FORMATS = {renderer.format: renderer for renderer in RENDERERS}


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()

"""The documents of a commune's yearly report and of a province's summary, as plain functions of their content
models: `render_docx(report)` and `render_xlsx(report)` for a commune report (its JSON is the model itself,
`report.model_dump(mode="json")`), `render_province_docx(summary)` and `render_province_xlsx(summary)` for a
province. Each reads its model and nothing else, so every output carries the same figures, and gives the same
bytes for the same content, so a content hash is stable.
"""
from services.reporting.documents.commune_docx import render_docx
from services.reporting.documents.commune_xlsx import render_xlsx
from services.reporting.documents.province_docx import render_province_docx
from services.reporting.documents.province_xlsx import render_province_xlsx

# what a download of each answers as its Content-Type
DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

__all__ = ["render_docx", "render_xlsx", "render_province_docx", "render_province_xlsx", "DOCX_MEDIA_TYPE",
           "XLSX_MEDIA_TYPE"]

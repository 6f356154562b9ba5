"""Sheets that a commune's annex and the province's summary workbook lay out alike: the GBV figures."""
from __future__ import annotations

from openpyxl import Workbook

from services.reporting.documents import formatting
from services.reporting.documents.gbv_figures import figure_groups
from services.reporting.documents.workbook import Column, SheetWriter
from services.reporting.report_content import GbvSection

GBV_SHEET = "Bạo lực giới"


def gbv(workbook: Workbook, section: GbvSection, context: str) -> None:
    """A row per figure, in the DOCX table's order; a group's own count (total, escalated) in bold; hidden counts
    as the marker, with the section's note above the table."""
    sheet = SheetWriter(workbook.create_sheet(GBV_SHEET), title=section.heading.split(". ", 1)[-1], context=context,
                        note=section.note,
                        columns=[Column("TT", "integer"), Column("Nhóm", "long_text"), Column("Mã"),
                                 Column("Nội dung", "long_text"), Column("Số lượng", "count")])
    for number, group in enumerate(figure_groups(section), start=1):
        if group.count is not None:
            sheet.row([number, group.title, group.key, group.title, formatting.count_value(group.count)], bold=True)
        for row in group.rows:
            sheet.row([number, group.title, row.key, row.label, formatting.count_value(row)])
    sheet.finish()

"""Parts of the body that a commune's report and the province's report print alike: the GBV figures, the
assessment, a section of paragraphs, and the officer's free text."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from docx.shared import Cm

from services.reporting.documents import formatting
from services.reporting.documents.gbv_figures import figure_groups
from services.reporting.documents.nd30 import Nd30Document, TableCell, number_cell
from services.reporting.report_content import AssessmentSection, GbvSection, NarrativeSection

NOTHING_WRITTEN = "(Chưa có nội dung)"
GBV_COLUMNS = (Cm(1.0), Cm(12.5), Cm(3.0))


class UnitReportFigures(Protocol):
    """Units' reports counted DHIS2-style: a commune's completeness, or the province's sum of them."""
    expected: int
    submitted: int
    on_time: int
    late: int
    missing: int
    returned: int
    reporting_rate: float | None
    on_time_rate: float | None


def units_reporting(counts: UnitReportFigures) -> str:
    """'14 phải báo cáo; 12 đã báo cáo (tỷ lệ 85,7%), trong đó 11 đúng hạn (...) và 1 trễ hạn; ...'."""
    return (f"{counts.expected} phải báo cáo; {counts.submitted} đã báo cáo (tỷ lệ "
            f"{formatting.rate(counts.reporting_rate)}), trong đó {counts.on_time} đúng hạn (tỷ lệ "
            f"{formatting.rate(counts.on_time_rate)}) và {counts.late} trễ hạn; {counts.missing} chưa báo cáo; "
            f"{counts.returned} báo cáo bị trả lại để bổ sung, chỉnh sửa.")


def paragraphs(document: Nd30Document, texts: Sequence[str], *, required: bool = False) -> None:
    """Paragraphs as written; where the officer must write some and has not yet, a note saying so."""
    for text in texts:
        document.paragraph(text)
    if required and not texts:
        document.paragraph(NOTHING_WRITTEN, italic=True)


def gbv(document: Nd30Document, section: GbvSection) -> None:
    """The figures as one table (a group per breakdown, hidden counts marked), its note under it."""
    document.heading(section.heading)
    rows: list[list[TableCell]] = []
    for number, group in enumerate(figure_groups(section), start=1):
        count = formatting.count(group.count) if group.count is not None else ""
        rows.append([number_cell(str(number), bold=True), TableCell(group.title, bold=True),
                     number_cell(count, bold=True)])
        rows.extend([number_cell(""), TableCell(f"- {row.label}"), number_cell(formatting.count(row))]
                    for row in group.rows)
    document.table(GBV_COLUMNS, [["TT", "Nội dung", "Số lượng"]], rows)
    document.note(section.note)
    paragraphs(document, section.free_text)


def assessment(document: Nd30Document, section: AssessmentSection) -> None:
    document.heading(section.heading)
    for heading, texts in ((section.achievements_heading, section.achievements),
                           (section.shortcomings_heading, section.shortcomings),
                           (section.causes_heading, section.causes)):
        document.heading(heading, level=2)
        paragraphs(document, texts, required=True)


def narrative(document: Nd30Document, section: NarrativeSection) -> None:
    document.heading(section.heading)
    paragraphs(document, section.paragraphs, required=True)

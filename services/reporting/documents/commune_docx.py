"""A commune's yearly report as a Word document (DOCX) in the layout of Nghị định 30/2020/NĐ-CP: the header,
"BÁO CÁO" and its summary line, parts I-VII, "Nơi nhận:" and the signature block. It prints the content model
and nothing else: every figure it shows is in the report's JSON and in the XLSX annex.
"""
from __future__ import annotations

from docx.shared import Cm

from services.reporting import wording
from services.reporting.documents import docx_sections, formatting
from services.reporting.documents.nd30 import Merge, Nd30Document, TableCell, number_cell
from services.reporting.report_content import (
    CommuneReport,
    Completeness,
    IndicatorRow,
    IndicatorsSection,
    LeadershipSection,
    ResultsSection,
    TaskResult,
    TaskStatus,
    UnitCompleteness,
)

AT_MOST = "at_most"  # a target that is a ceiling (sex ratio at birth): printed "≤ 111"
UNIT_COLUMNS = (Cm(1.0), Cm(4.8), Cm(2.2), Cm(1.6), Cm(2.6), Cm(4.3))
INDICATOR_COLUMNS = (Cm(1.0), Cm(4.2), Cm(1.7), Cm(1.7), Cm(1.6), Cm(1.4), Cm(1.3), Cm(1.3), Cm(2.3))


def render_docx(report: CommuneReport) -> bytes:
    document = Nd30Document(title=f"{report.header.title} {report.header.summary}", author=report.header.issuing_body,
                            created=report.generated_at, revision=report.revision)
    document.header(report.header)
    document.title(report.header.title, report.header.summary)
    _leadership(document, report.leadership, report.completeness, report.header.issuing_body)
    _results(document, report.results)
    _indicators(document, report.indicators, report.year)
    docx_sections.gbv(document, report.gbv)
    docx_sections.assessment(document, report.assessment)
    docx_sections.narrative(document, report.next_year)
    docx_sections.narrative(document, report.proposals)
    document.closing(report.recipients_heading, report.recipients, report.signature)
    return document.to_bytes()


# I. ---------------------------------------------------------------------------------------------------------------
def _leadership(document: Nd30Document, section: LeadershipSection, completeness: Completeness,
                issuing_body: str) -> None:
    document.heading(section.heading)
    implementing = f"Thực hiện {'; '.join(d.citation for d in section.implements)}, " if section.implements else ""
    about = f" về {_lowercase_first(section.plan.title)}" if section.plan.title else ""
    amended = f" (phiên bản {section.plan_version}, sau sửa đổi, bổ sung)" if section.plan_version > 1 else ""
    document.paragraph(f"{implementing}{issuing_body} đã ban hành {section.plan.citation}{about}{amended}.")
    document.paragraph(f"Kế hoạch giao {section.tasks_assigned} nhiệm vụ cho {section.units_assigned} cơ quan, đơn "
                       f"vị; các cơ quan, đơn vị báo cáo kết quả thực hiện về {issuing_body} trước ngày "
                       f"{wording.short_date(section.report_deadline)}.")
    if section.key_dates:
        document.paragraph("Các mốc thời gian chính của Kế hoạch:")
        for key_date in section.key_dates:
            when = (f"từ ngày {wording.short_date(key_date.start)} đến ngày {wording.short_date(key_date.end)}"
                    if key_date.end else f"ngày {wording.short_date(key_date.start)}")
            document.bullet(f"{key_date.name}: {when}.")
    docx_sections.paragraphs(document, section.free_text)
    _completeness(document, completeness)


def _completeness(document: Nd30Document, completeness: Completeness) -> None:
    deadline = formatting.date(completeness.deadline)
    document.paragraph(f"Tình hình báo cáo của các cơ quan, đơn vị (hạn báo cáo {deadline}): "
                       f"{docx_sections.units_reporting(completeness)}")
    rows = [[number_cell(str(number)), TableCell(_unit_name(unit)), TableCell(unit.state_label, align="center"),
             number_cell(str(unit.revision) if unit.revision else formatting.EMPTY),
             number_cell(formatting.moment_date(unit.last_submitted_at)), TableCell(_unit_remarks(unit))]
            for number, unit in enumerate(completeness.units, start=1)]
    document.table(UNIT_COLUMNS, [["TT", "Cơ quan, đơn vị", "Tình trạng", "Lần báo cáo", "Ngày gửi", "Ghi chú"]],
                   rows)


def _unit_name(unit: UnitCompleteness) -> str:
    return f"{unit.unit_name} (chủ trì)" if unit.role == "lead" else unit.unit_name


def _unit_remarks(unit: UnitCompleteness) -> str:
    remarks = [f"Trả lại báo cáo lần {r.revision} ngày {formatting.moment_date(r.returned_at)}"
               + (f": {r.reason}" if r.reason else "") for r in unit.returns]
    remarks += [f"Tệp kèm theo: {a.name} ({formatting.number(round(a.size / 1024))} KB)" for a in unit.attachments]
    return "\n".join(remarks)


# II. --------------------------------------------------------------------------------------------------------------
def _results(document: Nd30Document, section: ResultsSection) -> None:
    document.heading(section.heading)
    for area in section.content_areas:
        document.heading(f"{area.number}. {area.title}", level=2)
        for planned in area.planned:
            document.bullet(planned, italic=True)
        for task in area.tasks:
            _task(document, task)
    if section.other_tasks:
        document.heading(f"{len(section.content_areas) + 1}. {section.other_tasks_heading}", level=2)
        for task in section.other_tasks:
            _task(document, task)
    counts = section.task_counts
    document.paragraph(f"Tổng hợp: {counts.total} nhiệm vụ được giao, trong đó đã hoàn thành {counts.done}; đang "
                       f"thực hiện {counts.in_progress}; chưa thực hiện {counts.not_started}; chưa có báo cáo "
                       f"{counts.not_reported}.", italic=True)
    docx_sections.paragraphs(document, section.free_text)


def _task(document: Nd30Document, task: TaskResult) -> None:
    document.bullet(f"{task.text} ({task.status_label.lower()}).")
    for outcome in task.outcomes:
        if outcome.status is TaskStatus.NOT_REPORTED or not outcome.summary:
            document.bullet(f"{outcome.unit_name}: {outcome.status_label.lower()}.", marker="+")
        else:
            document.bullet(f"{outcome.unit_name}: {outcome.summary}", marker="+")


# III. -------------------------------------------------------------------------------------------------------------
def _indicators(document: Nd30Document, section: IndicatorsSection, year: int) -> None:
    document.heading(section.heading)
    head = [["TT", "Chỉ tiêu", "Đơn vị tính", "Giá trị cơ sở", "Chỉ tiêu kế hoạch", f"Kết quả năm {year}", "", "",
             "Đánh giá"],
            ["", "", "", "", "", "Tổng số", "Nữ", "Nam", ""]]
    merges = [Merge((0, column), (1, column)) for column in (0, 1, 2, 3, 4, 8)] + [Merge((0, 5), (0, 7))]
    rows: list[list[TableCell]] = []
    for number, row in enumerate(section.rows, start=1):
        rows.append(_indicator_row(str(number), row))
        rows.extend([number_cell(""), TableCell(f"- {unit.unit_name}", italic=True), TableCell(""), TableCell(""),
                     TableCell(""), *_by_sex(unit.value, unit.female, unit.male, row, italic=True), TableCell("")]
                    for unit in row.units)
    document.table(INDICATOR_COLUMNS, head, rows, merges)
    document.paragraph(f"Kết quả: {section.met} chỉ tiêu đạt, {section.not_met} chỉ tiêu không đạt, "
                       f"{section.not_assessed} chỉ tiêu chưa đánh giá.", italic=True)
    docx_sections.paragraphs(document, section.free_text)


def _indicator_row(number: str, row: IndicatorRow) -> list[TableCell]:
    baseline = formatting.indicator_value(row.baseline, row.value_type)
    if row.baseline is not None and row.baseline_year:
        baseline = f"{baseline}\n(năm {row.baseline_year})"
    target = formatting.indicator_value(row.target, row.value_type)
    if row.target is not None and row.direction.value == AT_MOST:
        target = f"≤ {target}"
    return [number_cell(number), TableCell(row.name), number_cell(row.unit_of_measure), number_cell(baseline),
            number_cell(target), *_by_sex(row.result.value, row.result.female, row.result.male, row),
            number_cell(row.met_label)]


def _by_sex(value: float | None, female: float | None, male: float | None, row: IndicatorRow, *,
            italic: bool = False) -> list[TableCell]:
    return [number_cell(formatting.indicator_value(v, row.value_type), italic=italic) for v in (value, female, male)]


def _lowercase_first(text: str) -> str:
    return text[:1].lower() + text[1:]

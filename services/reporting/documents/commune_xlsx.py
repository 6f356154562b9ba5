"""A commune's yearly report as a workbook (XLSX), the annex of figures: a summary, the indicators by sex (and
each unit's values), the units' reports, the tasks with each unit's outcome, and the GBV figures. It reads the
content model and nothing else: every figure is in the report's JSON and in the DOCX.
"""
from __future__ import annotations

from openpyxl import Workbook

from services.reporting.documents import workbook as sheets
from services.reporting.documents import xlsx_sheets
from services.reporting.documents.workbook import Column, SheetWriter
from services.reporting.report_content import CommuneReport, ReportState, TaskResult

REPORT_STATE_LABELS = {
    ReportState.DRAFT: "Dự thảo",
    ReportState.APPROVED: "Đã phê duyệt",
    ReportState.SUBMITTED: "Đã gửi Sở Nội vụ",
    ReportState.ACCEPTED: "Sở Nội vụ đã tiếp nhận",
    ReportState.RETURNED: "Sở Nội vụ trả lại",
}
# by the direction's value: the enum of the direction is the event contract's, the report only carries it
DIRECTION_LABELS = {"at_least": "Không thấp hơn", "at_most": "Không vượt quá"}
ROLE_LABELS = {"lead": "Chủ trì", "coordinating": "Phối hợp"}
YES_NO = {True: "Có", False: "Không"}


def render_xlsx(report: CommuneReport) -> bytes:
    workbook = sheets.new_workbook(title=f"Phụ lục số liệu - {report.header.summary}",
                                   author=report.header.issuing_body, created=report.generated_at)
    context = context_line(report)
    _summary(workbook, report, context)
    _indicators(workbook, report, context)
    _indicator_units(workbook, report, context)
    _units(workbook, report, context)
    _tasks(workbook, report, context)
    xlsx_sheets.gbv(workbook, report.gbv, context)
    return sheets.to_bytes(workbook)


def context_line(report: CommuneReport) -> str:
    """Which report the sheet is of: 'Xã Sơn Hải (Bắc Ninh) - năm 2026 - báo cáo lần 1 - Số: 125/BC-UBND'."""
    return (f"{report.commune.commune_name} ({report.commune.province_name}) - năm {report.year} - báo cáo lần "
            f"{report.revision} - {report.header.number_line} - {REPORT_STATE_LABELS[report.state]}")


def _summary(workbook: Workbook, report: CommuneReport, context: str) -> None:
    completeness, tasks, indicators = report.completeness, report.results.task_counts, report.indicators
    submission = report.submission
    sheets.summary_sheet(workbook, name="Tổng hợp", title="TỔNG HỢP BÁO CÁO", context=context, rows=[
        ("Mã xã, phường, đặc khu", report.commune.commune_code),
        ("Tên xã, phường, đặc khu", report.commune.commune_name),
        ("Tỉnh, thành phố", report.commune.province_name),
        ("Năm", report.year),
        ("Lần báo cáo", report.revision),
        ("Trạng thái", REPORT_STATE_LABELS[report.state]),
        ("Số văn bản", report.header.number_line),
        ("Ngày văn bản", report.header.date),
        ("Kế hoạch", report.leadership.plan.citation),
        ("Hạn báo cáo của các cơ quan, đơn vị", completeness.deadline),
        ("Cơ quan, đơn vị phải báo cáo", completeness.expected),
        ("Đã báo cáo", completeness.submitted),
        ("Đúng hạn", completeness.on_time),
        ("Trễ hạn", completeness.late),
        ("Chưa báo cáo", completeness.missing),
        ("Bị trả lại", completeness.returned),
        ("Tỷ lệ báo cáo", completeness.reporting_rate, "rate"),
        ("Tỷ lệ báo cáo đúng hạn", completeness.on_time_rate, "rate"),
        ("Nhiệm vụ được giao", tasks.total),
        ("Nhiệm vụ đã hoàn thành", tasks.done),
        ("Nhiệm vụ đang thực hiện", tasks.in_progress),
        ("Nhiệm vụ chưa thực hiện", tasks.not_started),
        ("Nhiệm vụ chưa có báo cáo", tasks.not_reported),
        ("Chỉ tiêu đạt", indicators.met),
        ("Chỉ tiêu không đạt", indicators.not_met),
        ("Chỉ tiêu chưa đánh giá", indicators.not_assessed),
        ("Gửi Sở Nội vụ lúc", submission.submitted_at if submission else None),
        ("Hạn gửi Sở Nội vụ", submission.province_deadline if submission else None),
        ("Gửi trễ hạn", YES_NO[submission.late] if submission else None),
        ("Số liệu tổng hợp lúc", report.generated_at),
    ])


def _indicators(workbook: Workbook, report: CommuneReport, context: str) -> None:
    sheet = SheetWriter(workbook.create_sheet("Chỉ tiêu"), title="KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", context=context,
                        columns=[Column("TT", "integer"), Column("Mã chỉ tiêu"), Column("Chỉ tiêu", "long_text"),
                                 Column("Đơn vị tính"), Column("Giá trị cơ sở", "number"),
                                 Column("Năm cơ sở", "integer"), Column("Chỉ tiêu kế hoạch", "number"),
                                 Column("Yêu cầu"), Column("Kết quả: tổng số", "number"),
                                 Column("Kết quả: nữ", "number"), Column("Kết quả: nam", "number"),
                                 Column("Đánh giá")])
    for number, row in enumerate(report.indicators.rows, start=1):
        result = row.result
        sheet.row([number, row.indicator_code, row.name, row.unit_of_measure, row.baseline, row.baseline_year,
                   row.target, DIRECTION_LABELS[row.direction.value], result.value, result.female, result.male,
                   row.met_label])
    sheet.finish()


def _indicator_units(workbook: Workbook, report: CommuneReport, context: str) -> None:
    sheet = SheetWriter(workbook.create_sheet("Chỉ tiêu theo đơn vị"), title="KẾT QUẢ CÁC CHỈ TIÊU THEO ĐƠN VỊ",
                        context=context,
                        columns=[Column("TT", "integer"), Column("Mã chỉ tiêu"), Column("Chỉ tiêu", "long_text"),
                                 Column("Mã đơn vị"), Column("Cơ quan, đơn vị", "long_text"),
                                 Column("Tổng số", "number"), Column("Nữ", "number"), Column("Nam", "number")])
    values = [(row, unit) for row in report.indicators.rows for unit in row.units]
    for number, (row, unit) in enumerate(values, start=1):
        sheet.row([number, row.indicator_code, row.name, unit.unit_code, unit.unit_name, unit.value, unit.female,
                   unit.male])
    sheet.finish()


def _units(workbook: Workbook, report: CommuneReport, context: str) -> None:
    sheet = SheetWriter(workbook.create_sheet("Đơn vị báo cáo"), title="TÌNH HÌNH BÁO CÁO CỦA CÁC CƠ QUAN, ĐƠN VỊ",
                        context=context,
                        columns=[Column("TT", "integer"), Column("Mã đơn vị"), Column("Cơ quan, đơn vị", "long_text"),
                                 Column("Vai trò"), Column("Tình trạng"), Column("Lần báo cáo", "integer"),
                                 Column("Gửi lần đầu", "datetime"), Column("Gửi gần nhất", "datetime"),
                                 Column("Số lần bị trả lại", "integer"), Column("Lý do trả lại", "long_text"),
                                 Column("Tệp kèm theo", "long_text"), Column("Dung lượng tệp (byte)", "integer")])
    for number, unit in enumerate(report.completeness.units, start=1):
        reasons = "\n".join(f"Lần {r.revision}: {r.reason or ''}".strip() for r in unit.returns)
        sheet.row([number, unit.unit_code, unit.unit_name, ROLE_LABELS[unit.role], unit.state_label, unit.revision,
                   unit.first_submitted_at, unit.last_submitted_at, len(unit.returns), reasons or None,
                   "\n".join(a.name for a in unit.attachments) or None,
                   sum(a.size for a in unit.attachments) if unit.attachments else None])
    sheet.finish()


def _tasks(workbook: Workbook, report: CommuneReport, context: str) -> None:
    sheet = SheetWriter(workbook.create_sheet("Nhiệm vụ"), title="KẾT QUẢ THỰC HIỆN NHIỆM VỤ THEO ĐƠN VỊ",
                        context=context,
                        columns=[Column("TT", "integer"), Column("Nội dung của Kế hoạch", "long_text"),
                                 Column("Mã nhiệm vụ"), Column("Nhiệm vụ", "long_text"),
                                 Column("Tình trạng nhiệm vụ"), Column("Mã đơn vị"),
                                 Column("Cơ quan, đơn vị", "long_text"), Column("Tình trạng của đơn vị"),
                                 Column("Kết quả", "long_text"), Column("Lần báo cáo", "integer")])
    areas: list[tuple[str, list[TaskResult]]] = [(f"{a.number}. {a.title}", a.tasks)
                                                 for a in report.results.content_areas]
    areas.append((report.results.other_tasks_heading, report.results.other_tasks))
    outcomes = [(area, task, outcome) for area, tasks in areas for task in tasks for outcome in task.outcomes]
    for number, (area, task, outcome) in enumerate(outcomes, start=1):
        sheet.row([number, area, task.task_code, task.text, task.status_label, outcome.unit_code, outcome.unit_name,
                   outcome.status_label, outcome.summary or None, outcome.revision])
    sheet.finish()

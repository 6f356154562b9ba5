"""A province's yearly summary as a workbook (XLSX): one row per commune of the official list (plan issued, its
units' reports, its report's status and revision, late or not) with the province's totals under them, the
totals by report status, the indicators summed by sex, and the GBV figures. It reads the province's content
model and nothing else: every figure is in Sở Nội vụ's DOCX report too.
"""
from __future__ import annotations

from openpyxl import Workbook

from services.reporting.documents import workbook as sheets
from services.reporting.documents import xlsx_sheets
from services.reporting.documents.workbook import Column, SheetWriter
from services.reporting.province_content import ProvinceSummary

YES_NO = {True: "Có", False: "Không"}
AGGREGATION_LABELS = {"sum": "Tổng", "mean": "Trung bình"}
TOTAL_LABEL = "Tổng cộng"


def render_province_xlsx(summary: ProvinceSummary) -> bytes:
    workbook = sheets.new_workbook(title=f"Tổng hợp - {summary.header.summary}", author=summary.header.issuing_body,
                                   created=summary.generated_at)
    context = context_line(summary)
    _communes(workbook, summary, context)
    _totals(workbook, summary, context)
    _indicators(workbook, summary, context)
    xlsx_sheets.gbv(workbook, summary.gbv, context)
    return sheets.to_bytes(workbook)


def context_line(summary: ProvinceSummary) -> str:
    return (f"{summary.province.province_name} - năm {summary.year} - số liệu đến "
            f"{sheets.local_time(summary.generated_at):%d/%m/%Y %H:%M}")


def _communes(workbook: Workbook, summary: ProvinceSummary, context: str) -> None:
    sheet = SheetWriter(workbook.create_sheet("Các xã"), title="TÌNH HÌNH THỰC HIỆN VÀ BÁO CÁO CỦA CÁC XÃ, PHƯỜNG, "
                        "ĐẶC KHU", context=context,
                        columns=[Column("TT", "integer"), Column("Mã"), Column("Xã, phường, đặc khu", "long_text"),
                                 Column("Đã ban hành kế hoạch"), Column("Kế hoạch", "long_text"),
                                 Column("Đơn vị phải báo cáo", "integer"), Column("Đơn vị đã báo cáo", "integer"),
                                 Column("Đúng hạn", "integer"), Column("Trễ hạn", "integer"),
                                 Column("Chưa báo cáo", "integer"), Column("Bị trả lại", "integer"),
                                 Column("Tỷ lệ báo cáo", "rate"), Column("Tỷ lệ đúng hạn", "rate"),
                                 Column("Tình trạng báo cáo của xã"), Column("Lần báo cáo", "integer"),
                                 Column("Số văn bản"), Column("Gửi lúc", "datetime"), Column("Gửi trễ hạn"),
                                 Column("Đường dẫn báo cáo")])
    for number, commune in enumerate(summary.communes, start=1):
        units = commune.units
        sheet.row([number, commune.commune_code, commune.commune_name, YES_NO[commune.plan_issued],
                   commune.plan_citation, units.expected, units.submitted, units.on_time, units.late, units.missing,
                   units.returned, units.reporting_rate, units.on_time_rate, commune.report_status_label,
                   commune.report_revision, commune.report_number_line, commune.submitted_at,
                   YES_NO[commune.late] if commune.submitted_at else None, commune.report_url])
    totals, units = summary.totals, summary.totals.units
    sheet.total_row([TOTAL_LABEL, None, f"{totals.communes} xã, phường, đặc khu", totals.plans_issued, None,
                     units.expected, units.submitted, units.on_time, units.late, units.missing, units.returned,
                     units.reporting_rate, units.on_time_rate,
                     f"Đã nhận {totals.reports_received}/{totals.reports_expected}", None, None, None,
                     totals.reports_late, None])
    sheet.finish()


def _totals(workbook: Workbook, summary: ProvinceSummary, context: str) -> None:
    totals, units = summary.totals, summary.totals.units
    sheets.summary_sheet(workbook, name="Tổng hợp", title="SỐ LIỆU TỔNG HỢP TOÀN TỈNH", context=context, rows=[
        ("Mã tỉnh, thành phố", summary.province.province_code),
        ("Tỉnh, thành phố", summary.province.province_name),
        ("Năm", summary.year),
        ("Hạn gửi báo cáo về Sở Nội vụ", summary.province_deadline),
        ("Số xã, phường, đặc khu", totals.communes),
        ("Đã ban hành kế hoạch", totals.plans_issued),
        ("Báo cáo phải gửi", totals.reports_expected),
        ("Báo cáo đã nhận", totals.reports_received),
        ("Báo cáo đúng hạn", totals.reports_on_time),
        ("Báo cáo trễ hạn", totals.reports_late),
        ("Báo cáo đã tiếp nhận", totals.reports_accepted),
        ("Tỷ lệ báo cáo của xã", totals.reporting_rate, "rate"),
        ("Tỷ lệ báo cáo đúng hạn của xã", totals.on_time_rate, "rate"),
        *((f"Tình trạng báo cáo: {status.label}", status.count) for status in totals.by_status),
        ("Đơn vị cấp xã phải báo cáo", units.expected),
        ("Đơn vị cấp xã đã báo cáo", units.submitted),
        ("Đơn vị cấp xã báo cáo đúng hạn", units.on_time),
        ("Đơn vị cấp xã báo cáo trễ hạn", units.late),
        ("Đơn vị cấp xã chưa báo cáo", units.missing),
        ("Báo cáo của đơn vị bị trả lại", units.returned),
        ("Tỷ lệ báo cáo của đơn vị", units.reporting_rate, "rate"),
        ("Tỷ lệ báo cáo đúng hạn của đơn vị", units.on_time_rate, "rate"),
        ("Số liệu tổng hợp lúc", summary.generated_at),
    ])


def _indicators(workbook: Workbook, summary: ProvinceSummary, context: str) -> None:
    sheet = SheetWriter(workbook.create_sheet("Chỉ tiêu"), title="KẾT QUẢ CÁC CHỈ TIÊU TOÀN TỈNH", context=context,
                        columns=[Column("TT", "integer"), Column("Mã chỉ tiêu"), Column("Chỉ tiêu", "long_text"),
                                 Column("Đơn vị tính"), Column("Cách tổng hợp"), Column("Số xã báo cáo", "integer"),
                                 Column("Chỉ tiêu kế hoạch", "number"), Column("Kết quả: tổng số", "number"),
                                 Column("Kết quả: nữ", "number"), Column("Kết quả: nam", "number")])
    for number, total in enumerate(summary.indicators, start=1):
        sheet.row([number, total.indicator_code, total.name, total.unit_of_measure,
                   AGGREGATION_LABELS[total.aggregation], total.communes_reporting, total.target, total.result.value,
                   total.result.female, total.result.male])
    sheet.finish()

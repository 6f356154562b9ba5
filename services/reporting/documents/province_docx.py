"""Sở Nội vụ's yearly report to UBND tỉnh on its communes' gender-equality reports, as a Word document (DOCX) in
the layout of Nghị định 30/2020/NĐ-CP: the header under the governing body, "BÁO CÁO" and its summary line,
parts I-VI (plans issued, the communes' reports with a table of every commune, the indicators summed by sex, the
GBV figures, the assessment, the proposals), "Nơi nhận:" and the signature block. It prints the province's
content model and nothing else: every figure is in the province summary workbook too.
"""
from __future__ import annotations

from docx.shared import Cm

from services.reporting.documents import docx_sections, formatting
from services.reporting.documents.nd30 import Merge, Nd30Document, TableCell, number_cell
from services.reporting.province_content import (
    CommuneReportStatus,
    CommuneSummary,
    ProvinceSummary,
    ProvinceTotals,
)

COMMUNE_COLUMNS = (Cm(1.0), Cm(3.3), Cm(1.6), Cm(1.4), Cm(1.4), Cm(1.5), Cm(1.6), Cm(2.3), Cm(2.4))
INDICATOR_COLUMNS = (Cm(1.0), Cm(4.4), Cm(1.7), Cm(1.8), Cm(1.4), Cm(1.5), Cm(1.6), Cm(1.5), Cm(1.6))
AGGREGATION_LABELS = {"sum": "Tổng", "mean": "Trung bình"}
TOTAL_LABEL = "Tổng cộng"


def render_province_docx(summary: ProvinceSummary) -> bytes:
    header = summary.header
    document = Nd30Document(title=f"{header.title} {header.summary}", author=header.issuing_body,
                            created=summary.generated_at)
    document.header(header, header.governing_body_lines)
    document.title(header.title, header.summary)
    _plans(document, summary)
    _reporting(document, summary)
    _indicators(document, summary)
    docx_sections.gbv(document, summary.gbv)
    docx_sections.assessment(document, summary.assessment)
    docx_sections.narrative(document, summary.proposals)
    document.closing(summary.recipients_heading, summary.recipients, summary.signature)
    return document.to_bytes()


def _plans(document: Nd30Document, summary: ProvinceSummary) -> None:
    totals = summary.totals
    document.heading(summary.plans_section.heading)
    without = [c.commune_name for c in summary.communes if not c.plan_issued]
    document.paragraph(
        f"Trên địa bàn {summary.province.in_words} có {totals.communes} xã, phường, đặc khu; {totals.plans_issued} "
        f"đơn vị đã ban hành kế hoạch thực hiện công tác bình đẳng giới và vì sự tiến bộ của phụ nữ năm "
        f"{summary.year}" + (f"; {len(without)} đơn vị chưa ban hành: {', '.join(without)}." if without else "."))
    docx_sections.paragraphs(document, summary.plans_section.free_text)


def _reporting(document: Nd30Document, summary: ProvinceSummary) -> None:
    totals = summary.totals
    document.heading(summary.reporting_section.heading)
    document.paragraph(
        f"Hạn gửi báo cáo về Sở Nội vụ: {formatting.date(summary.province_deadline)}. Đến ngày "
        f"{formatting.moment_date(summary.generated_at)}, Sở Nội vụ đã nhận {totals.reports_received}/"
        f"{totals.reports_expected} báo cáo (tỷ lệ {formatting.rate(totals.reporting_rate)}), trong đó "
        f"{totals.reports_on_time} báo cáo đúng hạn (tỷ lệ {formatting.rate(totals.on_time_rate)}) và "
        f"{totals.reports_late} báo cáo trễ hạn; đã tiếp nhận {totals.reports_accepted} báo cáo.")
    by_status = "; ".join(f"{status.label.lower()}: {status.count}" for status in totals.by_status)
    document.paragraph(f"Tình trạng báo cáo của các xã, phường, đặc khu: {by_status}.")
    document.paragraph(f"Các cơ quan, đơn vị cấp xã: {docx_sections.units_reporting(totals.units)}")
    docx_sections.paragraphs(document, summary.reporting_section.free_text)
    _communes_table(document, summary.communes, totals)


def _communes_table(document: Nd30Document, communes: list[CommuneSummary], totals: ProvinceTotals) -> None:
    head = [["TT", "Xã, phường, đặc khu", "Ban hành kế hoạch", "Báo cáo của đơn vị", "", "", "Tỷ lệ báo cáo",
             "Tình trạng báo cáo", "Ngày gửi"],
            ["", "", "", "Phải báo cáo", "Đã báo cáo", "Đúng hạn", "", "", ""]]
    merges = [Merge((0, column), (1, column)) for column in (0, 1, 2, 6, 7, 8)] + [Merge((0, 3), (0, 5))]
    rows = [_commune_row(number, commune) for number, commune in enumerate(communes, start=1)]
    units = totals.units
    rows.append([number_cell(""), TableCell(TOTAL_LABEL, bold=True),
                 number_cell(f"{totals.plans_issued}/{totals.communes}", bold=True),
                 *(number_cell(formatting.number(n), bold=True) for n in (units.expected, units.submitted,
                                                                         units.on_time)),
                 number_cell(formatting.rate(units.reporting_rate), bold=True),
                 number_cell(f"Đã nhận {totals.reports_received}/{totals.reports_expected}", bold=True),
                 number_cell("")])
    document.table(COMMUNE_COLUMNS, head, rows, merges)


def _commune_row(number: int, commune: CommuneSummary) -> list[TableCell]:
    status = commune.report_status_label
    if commune.late and commune.report_status is not CommuneReportStatus.LATE:
        status += "\n(gửi trễ hạn)"
    units = commune.units
    return [number_cell(str(number)), TableCell(commune.commune_name),
            number_cell("Có" if commune.plan_issued else "Chưa"),
            *(number_cell(formatting.number(n)) for n in (units.expected, units.submitted, units.on_time)),
            number_cell(formatting.rate(units.reporting_rate)), number_cell(status),
            number_cell(formatting.moment_date(commune.submitted_at))]


def _indicators(document: Nd30Document, summary: ProvinceSummary) -> None:
    document.heading(summary.indicators_section.heading)
    head = [["TT", "Chỉ tiêu", "Đơn vị tính", "Cách tổng hợp", "Số xã báo cáo", "Chỉ tiêu kế hoạch",
             f"Kết quả năm {summary.year}", "", ""],
            ["", "", "", "", "", "", "Tổng số", "Nữ", "Nam"]]
    merges = [Merge((0, column), (1, column)) for column in range(6)] + [Merge((0, 6), (0, 8))]
    rows = [[number_cell(str(number)), TableCell(total.name), number_cell(total.unit_of_measure),
             number_cell(AGGREGATION_LABELS[total.aggregation]), number_cell(str(total.communes_reporting)),
             number_cell(formatting.indicator_value(total.target, total.value_type)),
             *(number_cell(formatting.indicator_value(v, total.value_type))
               for v in (total.result.value, total.result.female, total.result.male))]
            for number, total in enumerate(summary.indicators, start=1)]
    document.table(INDICATOR_COLUMNS, head, rows, merges)
    docx_sections.paragraphs(document, summary.indicators_section.free_text)

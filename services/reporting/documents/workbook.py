"""Workbooks of figures (XLSX) with openpyxl, as the annexes of the reports lay them out: on each sheet a title
row, a row saying which commune or province, year and revision, an optional note, then a table whose header
row stays in view (frozen) and can be filtered. Numbers are written as numbers (with a number format), dates as
dates; a hidden count is the text marker, aligned as the numbers are.
"""
from __future__ import annotations

import datetime as dt
import io
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from openpyxl import Workbook
from openpyxl.cell.cell import Cell as SheetCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from services.common.clock import VIETNAM
from services.reporting.documents.packaging import stable_package

Kind = Literal["text", "long_text", "integer", "number", "rate", "date", "datetime", "count"]
Value = str | int | float | bool | dt.date | dt.datetime | None

NUMBER_FORMATS = {"integer": "#,##0", "number": "#,##0", "rate": "0.0%", "date": "DD/MM/YYYY",
                  "datetime": "DD/MM/YYYY HH:MM", "count": "#,##0"}
FRACTION_FORMAT = "#,##0.0#"  # a number with decimals ("#,##0.##" would print a whole number as "1,240.")
FONT_NAME = "Times New Roman"
TITLE_FONT = Font(name=FONT_NAME, size=13, bold=True)
CONTEXT_FONT = Font(name=FONT_NAME, size=12, italic=True)
HEAD_FONT = Font(name=FONT_NAME, size=12, bold=True)
BODY_FONT = Font(name=FONT_NAME, size=12)
BOLD_FONT = Font(name=FONT_NAME, size=12, bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DDE4EE")
THIN = Side(style="thin", color="808080")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)
# (numeric, wrapped): numbers and the marker of a hidden count to the right, texts to the left
ALIGNMENTS = {(numeric, wrap): Alignment(horizontal="right" if numeric else "left", vertical="top", wrap_text=wrap)
              for numeric in (False, True) for wrap in (False, True)}
LONG_TEXT_WIDTH = 60  # characters; longer texts wrap
HEAD_ROW_TEXT_WIDTH = 24  # a column's title wraps past this many characters


@dataclass(frozen=True)
class Column:
    title: str
    kind: Kind = "text"


class SheetWriter:
    """One sheet: title, context line, optional note, then the table, its header frozen."""

    def __init__(self, sheet: Worksheet, *, title: str, context: str, columns: Sequence[Column],
                 note: str | None = None):
        self.sheet, self.columns = sheet, list(columns)
        self._widths = [min(len(c.title), HEAD_ROW_TEXT_WIDTH) + 2 for c in self.columns]
        # the rows are counted here: openpyxl's max_row looks at every cell of the sheet
        self._row = 0
        self._write([title])[0].font = TITLE_FONT
        self._write([context])[0].font = CONTEXT_FONT
        if note:
            self._write([note])
            self._spread(self._row, Font(name=FONT_NAME, size=11, italic=True))
        self._row += 1
        for cell in self._write([c.title for c in self.columns]):
            cell.font, cell.fill, cell.border, cell.alignment = HEAD_FONT, HEAD_FILL, GRID, HEAD_ALIGNMENT
        self.head_row = self._row
        sheet.freeze_panes = f"A{self.head_row + 1}"
        self._last_data_row = self.head_row

    def row(self, values: Sequence[Value], *, bold: bool = False, kind: Kind | None = None) -> None:
        """A row of the table; `kind` overrides the kind of its last column (a summary's mixed values)."""
        if len(values) != len(self.columns):
            raise ValueError(f"{len(values)} values for {len(self.columns)} columns")
        columns = self.columns[:-1] + [Column(self.columns[-1].title, kind)] if kind else self.columns
        for column, cell in zip(columns, self._write(values), strict=True):
            self._format(cell, column, bold)
        self._last_data_row = self._row

    def total_row(self, values: Sequence[Value]) -> None:
        """Totals in bold under the table, one row apart, so that filtering and sorting leave them out."""
        last_data_row = self._last_data_row
        self._row += 1
        self.row(values, bold=True)
        self._last_data_row = last_data_row

    def _write(self, values: Sequence[Value]) -> list[SheetCell]:
        self._row += 1
        return [self.sheet.cell(row=self._row, column=column, value=_cell_value(value))
                for column, value in enumerate(values, start=1)]

    def finish(self) -> None:
        last_column = get_column_letter(len(self.columns))
        self.sheet.auto_filter.ref = f"A{self.head_row}:{last_column}{self._last_data_row}"
        for index, width in enumerate(self._widths, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        self.sheet.page_setup.orientation = "landscape"
        self.sheet.page_setup.paperSize = self.sheet.PAPERSIZE_A4
        self.sheet.print_title_rows = f"{self.head_row}:{self.head_row}"

    def _format(self, cell: SheetCell, column: Column, bold: bool) -> None:
        cell.font, cell.border = (BOLD_FONT if bold else BODY_FONT), GRID
        numeric = column.kind not in ("text", "long_text")
        if numeric and isinstance(cell.value, int | float | dt.date):
            fraction = isinstance(cell.value, float) and not cell.value.is_integer() and column.kind == "number"
            cell.number_format = FRACTION_FORMAT if fraction else NUMBER_FORMATS[column.kind]
        cell.alignment = ALIGNMENTS[(numeric, column.kind == "long_text")]
        self._widths[cell.column - 1] = max(self._widths[cell.column - 1], _display_width(cell.value, column))

    def _spread(self, row: int, font: Font) -> None:
        """A note across the table's width, wrapped."""
        self.sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(self.columns))
        cell = self.sheet.cell(row=row, column=1)
        cell.font, cell.alignment = font, Alignment(wrap_text=True, vertical="top")
        self.sheet.row_dimensions[row].height = 15 * 3


def new_workbook(*, title: str, author: str, created: dt.datetime) -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])  # the empty sheet a new workbook starts with
    properties = workbook.properties
    properties.title, properties.creator, properties.lastModifiedBy = title, author, author
    properties.created = properties.modified = created.astimezone(dt.UTC).replace(tzinfo=None)
    return workbook


def to_bytes(workbook: Workbook) -> bytes:
    """The XLSX. openpyxl's own save stamps the time of saving as the modification time; its writer, used
    directly, keeps the workbook's properties as they were set."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()
    return stable_package(out.getvalue())


def local_time(moment: dt.datetime) -> dt.datetime:
    """Excel has no time zones: a moment is written as the time in Vietnam."""
    return moment.astimezone(VIETNAM).replace(tzinfo=None)


def _cell_value(value: Value) -> Value:
    if isinstance(value, str):
        # in NFC whatever its source (a model copied without validation keeps what it was given)
        return unicodedata.normalize("NFC", value)
    return local_time(value) if isinstance(value, dt.datetime) else value


def _display_width(value: object, column: Column) -> int:
    if value is None:
        return 0
    if column.kind == "long_text":
        return min(len(str(value)), LONG_TEXT_WIDTH)
    if column.kind in ("date", "datetime"):
        return len(NUMBER_FORMATS[column.kind]) + 2
    if isinstance(value, float):
        return len(f"{value:,.2f}") + 2
    return len(str(value)) + 2


SummaryRow = tuple[str, Value] | tuple[str, Value, Kind]


def summary_sheet(workbook: Workbook, *, name: str, title: str, context: str, rows: Sequence[SummaryRow]) -> None:
    """A sheet of labelled values, one a row; each written as its type is (or as the kind given with it)."""
    sheet = SheetWriter(workbook.create_sheet(name), title=title, context=context,
                        columns=[Column("Nội dung", "long_text"), Column("Giá trị", "number")])
    for label, value, *kind in rows:
        sheet.row([label, value], kind=kind[0] if kind else _kind_of(value))
    sheet.finish()


def _kind_of(value: Value) -> Kind:
    if isinstance(value, dt.datetime):
        return "datetime"
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "text"
    return "integer" if isinstance(value, int) else "number"

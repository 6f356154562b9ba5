"""Reading the produced documents back as a reader's program would: a DOCX with python-docx (its paragraphs,
tables as rows of cell texts, fonts as they resolve through the styles), an XLSX with openpyxl (each sheet's
table as rows keyed by the column titles)."""
from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

import docx
import openpyxl
from docx.document import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from openpyxl.worksheet.worksheet import Worksheet


def open_docx(data: bytes) -> Document:
    return docx.Document(io.BytesIO(data))


def all_paragraphs(document: Document) -> Iterator[Paragraph]:
    """Every paragraph of the body, in tables (nested too) and in the page headers."""
    yield from document.paragraphs
    for table in document.tables:
        yield from _table_paragraphs(table)
    for section in document.sections:
        for header in (section.header, section.first_page_header):
            yield from header.paragraphs


def _table_paragraphs(table: Table) -> Iterator[Paragraph]:
    for row in table.rows:
        for cell in row.cells:
            yield from cell.paragraphs
            for inner in cell.tables:
                yield from _table_paragraphs(inner)


def all_runs(document: Document) -> Iterator[tuple[Paragraph, Run]]:
    for paragraph in all_paragraphs(document):
        for run in paragraph.runs:
            yield paragraph, run


def table_rows(table: Table) -> list[list[str]]:
    """Cell texts row by row; a merged cell is given once per grid column it spans, as python-docx does."""
    return [[cell.text for cell in row.cells] for row in table.rows]


def table_with_head(document: Document, first_head_cell: str, second_head_cell: str) -> Table:
    """The data table whose head starts with these two titles."""
    found = [t for t in document.tables if [c.text for c in t.rows[0].cells[:2]] == [first_head_cell,
                                                                                      second_head_cell]]
    assert len(found) == 1, f"{len(found)} tables start with {first_head_cell!r}, {second_head_cell!r}"
    return found[0]


def row_starting(rows: list[list[str]], column: int, text: str) -> list[str]:
    found = [row for row in rows if row[column] == text]
    assert len(found) == 1, f"{len(found)} rows have {text!r} in column {column}"
    return found[0]


def effective_font(document: Document, paragraph: Paragraph, run: Run) -> str | None:
    """The font a run is printed in: its own, else its character style's, its paragraph style's (and their
    bases'), else the document's default."""
    if run.font.name:
        return run.font.name
    styles = []
    if run.style is not None:
        styles.append(run.style)
    if paragraph.style is not None:
        styles.append(paragraph.style)
    for style in styles:
        while style is not None:
            if style.font.name:
                return style.font.name
            style = style.base_style
    return default_font(document)


def default_font(document: Document) -> str | None:
    fonts = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(
        qn("w:rFonts"))
    return None if fonts is None else fonts.get(qn("w:ascii"))


@dataclass
class Sheet:
    """A sheet of a produced workbook: its leading rows (title, context, note), its column titles and its
    table's rows keyed by them (a total row, under an empty one, kept apart)."""
    name: str
    leading: list[str]
    head_row: int
    titles: list[str]
    rows: list[dict[str, object]]
    totals: list[dict[str, object]]
    worksheet: Worksheet


def open_xlsx(data: bytes) -> dict[str, Sheet]:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheets = {}
    for worksheet in workbook.worksheets:
        values = [list(row) for row in worksheet.iter_rows(values_only=True)]
        head = _head_index(worksheet)
        titles = [str(v) for v in values[head]]
        body = values[head + 1:]
        split = next((i for i, row in enumerate(body) if all(v is None for v in row)), len(body))
        sheets[worksheet.title] = Sheet(
            name=worksheet.title, leading=[str(row[0]) for row in values[:head] if row and row[0] is not None],
            head_row=head + 1, titles=titles, rows=[dict(zip(titles, row, strict=True)) for row in body[:split]],
            totals=[dict(zip(titles, row, strict=True)) for row in body[split + 1:]], worksheet=worksheet)
    return sheets


def _head_index(worksheet: Worksheet) -> int:
    """The row of column titles: the one the panes are frozen under (0-based)."""
    frozen = worksheet.freeze_panes
    assert frozen and frozen.startswith("A"), f"sheet {worksheet.title} has no frozen header row"
    return int(frozen[1:]) - 2

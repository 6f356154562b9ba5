"""An administrative document in the layout of Nghị định 30/2020/NĐ-CP, Phụ lục I, built with python-docx.

What the decree fixes and this module applies: A4 portrait; margins top and bottom 20 mm, left 30 mm, right
15 mm; Times New Roman throughout; the two-column header (the issuing body on the left in capitals with a
short rule under it, and the number "Số: .../BC-UBND" under that; on the right the Quốc hiệu at 13 pt and the
Tiêu ngữ at 14 pt, bold, with a rule as long as the Tiêu ngữ, and the place and date in italics); the title and
its summary line, bold and centred, with a short rule under them; body text at 14 pt, justified, first line
indented 1 cm, 6 pt between paragraphs; the page number centred at the top from the second page; at the end
"Nơi nhận:" (bold italic, 12 pt, recipients at 11 pt with "- ") beside the signature block (authority,
title and name, bold, centred).

python-docx has no call for paragraph borders (the rules), repeated table header rows, rows that must not
break across pages, the PAGE field, or fonts that must not follow the theme; those few properties are set on
its oxml elements here, and nowhere else.
"""
from __future__ import annotations

import datetime as dt
import io
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.font import CT_RPr
from docx.shared import Cm, Length, Mm, Pt, Twips
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from services.reporting.documents.packaging import stable_package
from services.reporting.report_content import DocumentHeader, SignatureBlock

FONT = "Times New Roman"
LANGUAGE = "vi-VN"
BODY_SIZE = Pt(14)
TABLE_SIZE = Pt(12)
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
TOP_MARGIN, BOTTOM_MARGIN, LEFT_MARGIN, RIGHT_MARGIN = Mm(20), Mm(20), Mm(30), Mm(15)
TEXT_WIDTH = Length(PAGE_WIDTH - LEFT_MARGIN - RIGHT_MARGIN)

# The header's columns: the issuing body's names fit in the left one, the Quốc hiệu (13 pt bold) in the right.
HEADER_COLUMNS = (Cm(6.0), Length(TEXT_WIDTH - Cm(6.0)))
CELL_PADDING = Twips(108)  # Word's and LibreOffice's default left and right cell margin (0.19 cm)
# "Độc lập - Tự do - Hạnh phúc" at 14 pt bold measures 12.2 em (Times New Roman's advance widths), about 6.0 cm;
# the decree draws the rule under it as long as the line.
MOTTO_RULE = Cm(6.0)
# The rules under the issuing body and under the summary line are 1/3 to 1/2 as long as the line above them.
# Their length is estimated from the text: Times New Roman bold averages about 0.68 em per capital and 0.5 em
# per small letter (spaces included).
CAPITAL_EM, SMALL_EM = 0.68, 0.5
RULE_SHARE = 0.4
SIGNATURE_SPACE = Pt(64)  # room for the signature and the seal
CLOSING_COLUMNS = (Cm(7.5), Length(TEXT_WIDTH - Cm(7.5)))

BODY_STYLE = "Body Text"
TABLE_TEXT_STYLE = "Table Text"
HEADING_STYLES = ("Heading 1", "Heading 2", "Heading 3")
GRID_TABLE_STYLE = "Table Grid"

# What may follow these elements in their parent, in the schema's order (an element must precede them).
_AFTER_PARAGRAPH_BORDERS = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
_AFTER_TABLE_HEADER = ("w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del", "w:trPrChange")

Align = Literal["left", "center", "right", "justify"]
_ALIGNMENTS = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
               "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}


@dataclass(frozen=True)
class TableCell:
    """A cell of a data table: its text (lines separated by newlines) and how it is printed."""
    text: str
    align: Align = "left"
    bold: bool = False
    italic: bool = False


def number_cell(text: str, *, bold: bool = False, italic: bool = False) -> TableCell:
    return TableCell(text, align="center", bold=bold, italic=italic)


@dataclass(frozen=True)
class Merge:
    """Cells of a table's head merged into one: from (row, column) to (row, column), both included."""
    first: tuple[int, int]
    last: tuple[int, int]


class Nd30Document:
    """A document being written in the decree's layout; `to_bytes()` gives the DOCX."""

    def __init__(self, *, title: str, author: str, created: dt.datetime, revision: int = 1):
        self.document = Document()
        self._page()
        self._styles()
        self._page_number()
        properties = self.document.core_properties
        properties.title = properties.subject = unicodedata.normalize("NFC", title)
        properties.author = properties.last_modified_by = unicodedata.normalize("NFC", author)
        properties.comments, properties.category, properties.keywords = "", "", ""
        properties.created = properties.modified = created.astimezone(dt.UTC)
        properties.revision = revision
        self._body_started = False

    # page and styles -----------------------------------------------------------------------------------------
    def _page(self) -> None:
        section = self.document.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.top_margin, section.bottom_margin = TOP_MARGIN, BOTTOM_MARGIN
        section.left_margin, section.right_margin = LEFT_MARGIN, RIGHT_MARGIN
        section.header_distance, section.footer_distance = Mm(10), Mm(10)

    def _styles(self) -> None:
        styles = self.document.styles
        defaults = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        _use_font(defaults)
        _use_vietnamese(defaults)
        for style in styles:
            # styles of the template that name a font of their own (headings name the theme's) get ours
            properties = style.element.rPr
            if properties is not None and properties.find(qn("w:rFonts")) is not None:
                _use_font(properties)
        normal = styles["Normal"]
        normal.font.size = BODY_SIZE
        normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)
        normal.paragraph_format.line_spacing = 1.0

        body = styles[BODY_STYLE]
        body.font.size = BODY_SIZE
        body_format = body.paragraph_format
        body_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        body_format.first_line_indent = Cm(1)
        body_format.space_before, body_format.space_after = Pt(6), Pt(0)
        body_format.line_spacing = 1.15

        for level, name in enumerate(HEADING_STYLES):
            heading = styles[name]
            heading.font.size = BODY_SIZE
            heading.font.bold = True
            heading.font.italic = level == 2
            heading.font.color.rgb = None
            heading.font.color.theme_color = None
            heading_format = heading.paragraph_format
            heading_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            heading_format.first_line_indent = Cm(1) if level else Cm(0)
            heading_format.space_before, heading_format.space_after = Pt(6), Pt(0)
            heading_format.keep_with_next = True

        table_text = styles.add_style(TABLE_TEXT_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        table_text.base_style = normal
        table_text.font.size = TABLE_SIZE
        table_text.paragraph_format.space_before = table_text.paragraph_format.space_after = Pt(2)

        styles["Header"].font.size = BODY_SIZE

    def _page_number(self) -> None:
        """The page number, centred at the top of every page but the first (the decree's place for it)."""
        section = self.document.sections[0]
        section.different_first_page_header_footer = True
        section.first_page_header.is_linked_to_previous = False
        paragraph = section.header.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _add_field(paragraph, "PAGE", placeholder="2")

    # the header and title ------------------------------------------------------------------------------------
    def header(self, header: DocumentHeader, governing_body_lines: Sequence[str] = ()) -> None:
        """The two-column header: issuing body and number left; Quốc hiệu, Tiêu ngữ, place and date right."""
        table = self._layout_table(rows=2, widths=HEADER_COLUMNS)
        body, national = table.cell(0, 0), table.cell(0, 1)
        lines = [(line, False) for line in governing_body_lines] + [(line, True) for line in header.issuing_body_lines]
        for index, (line, bold) in enumerate(lines):
            _centred(_cell_paragraph(body, index), line, size=Pt(13), bold=bold)
        longest = max(_text_width(line, Pt(13), CAPITAL_EM) for line, _ in lines)
        _rule(body.add_paragraph(), Length(int(longest * RULE_SHARE)), _inside(HEADER_COLUMNS[0]))

        _centred(_cell_paragraph(national, 0), header.national_title, size=Pt(13), bold=True)
        _centred(national.add_paragraph(), header.motto, size=Pt(14), bold=True)
        _rule(national.add_paragraph(), MOTTO_RULE, _inside(HEADER_COLUMNS[1]))

        number, place_date = table.cell(1, 0), table.cell(1, 1)
        _centred(_cell_paragraph(number, 0), header.number_line, size=Pt(13))
        _centred(_cell_paragraph(place_date, 0), header.place_date_line, size=Pt(14), italic=True)
        for cell in (number, place_date):
            cell.paragraphs[0].paragraph_format.space_before = Pt(6)

    def title(self, title: str, summary: str) -> None:
        """'BÁO CÁO' and its summary line, bold and centred, with a short rule under them."""
        heading = self.document.add_paragraph()
        heading.paragraph_format.space_before = Pt(24)
        heading.paragraph_format.keep_with_next = True
        _centred(heading, title, size=BODY_SIZE, bold=True)
        line = self.document.add_paragraph()
        line.paragraph_format.keep_with_next = True
        _centred(line, summary, size=BODY_SIZE, bold=True)
        rule = self.document.add_paragraph()
        line_width = min(_text_width(summary, BODY_SIZE, SMALL_EM), TEXT_WIDTH)  # a long summary fills the line
        _rule(rule, Length(int(line_width * RULE_SHARE)), TEXT_WIDTH)
        rule.paragraph_format.space_after = Pt(12)

    # the body ------------------------------------------------------------------------------------------------
    def heading(self, text: str, level: int = 1) -> None:
        """I. ... (level 1), 1. ... (level 2), a) ... (level 3, italic)."""
        _add_text(self.document.add_paragraph(style=HEADING_STYLES[level - 1]), text)

    def paragraph(self, text: str, *, italic: bool = False, bold: bool = False) -> Paragraph:
        paragraph = self.document.add_paragraph(style=BODY_STYLE)
        run = _add_text(paragraph, text)
        run.italic, run.bold = italic or None, bold or None
        return paragraph

    def bullet(self, text: str, *, marker: str = "-", italic: bool = False) -> Paragraph:
        """'- ...' or '+ ...' as administrative texts list items (a typed dash, not a Word list)."""
        return self.paragraph(f"{marker} {text}", italic=italic)

    def note(self, text: str) -> Paragraph:
        """A note under a table: italic, 12 pt."""
        paragraph = self.document.add_paragraph(style=TABLE_TEXT_STYLE)
        paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.space_before = Pt(3)
        _add_text(paragraph, text).italic = True
        return paragraph

    def table(self, widths: Sequence[Length], head: Sequence[Sequence[str]], body: Iterable[Sequence[TableCell]],
              merges: Sequence[Merge] = ()) -> Table:
        """A data table with borders; its head rows are bold, centred, and repeated at the top of each page."""
        rows = [list(row) for row in body]
        table = self.document.add_table(rows=len(head) + len(rows), cols=len(widths))
        table.style = self.document.styles[GRID_TABLE_STYLE]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        # Row by row throughout: python-docx finds a cell by (row, column), and a column's cells, through the
        # whole grid, which takes minutes for a table of the country's 3,321 communes.
        table_rows = list(table.rows)
        _fix_widths(table, table_rows, widths)
        for merge in merges:
            (first_row, first_column), (last_row, last_column) = merge.first, merge.last
            table_rows[first_row].cells[first_column].merge(table_rows[last_row].cells[last_column])
        style_id = self.document.styles[TABLE_TEXT_STYLE].style_id
        for row, texts in zip(table_rows, head, strict=False):
            _repeat_as_header(row)
            for cell, text in zip(row.cells, texts, strict=True):
                if text and not cell.text:  # a merged cell is met once per grid column it spans
                    _write_cell(cell, TableCell(text, align="center", bold=True), style_id)
        for row, cells in zip(table_rows[len(head):], rows, strict=True):
            _keep_row_together(row)
            for cell, content in zip(row.cells, cells, strict=True):
                _write_cell(cell, content, style_id)
        self.document.add_paragraph(style=TABLE_TEXT_STYLE)  # air between the table and what follows
        return table

    # the end ---------------------------------------------------------------------------------------------------
    def closing(self, recipients_heading: str, recipients: Sequence[str], signature: SignatureBlock) -> None:
        """'Nơi nhận:' and its list (left) beside the signature block (right), kept on one page and with the
        paragraph before it (a signature never stands on a page of its own)."""
        if self.document.paragraphs:
            self.document.paragraphs[-1].paragraph_format.keep_with_next = True
        table = self._layout_table(rows=1, widths=CLOSING_COLUMNS)
        _keep_row_together(table.rows[0])
        left, right = table.cell(0, 0), table.cell(0, 1)
        label = _cell_paragraph(left, 0)
        label.paragraph_format.space_before = Pt(12)
        run = _add_text(label, recipients_heading)
        run.bold = run.italic = True
        run.font.size = Pt(12)
        for recipient in recipients:
            line = left.add_paragraph()
            _add_text(line, f"- {recipient}").font.size = Pt(11)

        authority = [line for line in (signature.on_behalf_of, signature.deputy_for) if line] + [signature.title]
        for index, line in enumerate(authority):
            paragraph = _cell_paragraph(right, index)
            _centred(paragraph, line, size=BODY_SIZE, bold=True)
        right.paragraphs[0].paragraph_format.space_before = Pt(12)
        name = right.add_paragraph()
        name.paragraph_format.space_before = SIGNATURE_SPACE
        _centred(name, signature.signer_name or "", size=BODY_SIZE, bold=True)

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self.document.save(out)
        return stable_package(out.getvalue())

    # helpers -----------------------------------------------------------------------------------------------------
    def _layout_table(self, *, rows: int, widths: Sequence[Length]) -> Table:
        """A table without borders that only places blocks side by side (the header, the closing)."""
        table = self.document.add_table(rows=rows, cols=len(widths))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _fix_widths(table, list(table.rows), widths)
        return table


def _use_font(properties: CT_RPr) -> None:
    """Times New Roman for every script, and not the theme's fonts, which would win over a named one."""
    fonts = properties.get_or_add_rFonts()
    for theme_attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme_attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)


def _use_vietnamese(properties: CT_RPr) -> None:
    """Vietnamese as the text's language, for spelling and hyphenation."""
    language = properties.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        properties.append(language)
    language.set(qn("w:val"), LANGUAGE)


def _inside(column: Length) -> Length:
    """The width a cell's paragraphs have: the column less the cell's margins."""
    return Length(column - 2 * CELL_PADDING)


def _text_width(text: str, size: Length, em: float) -> Length:
    return Length(int(len(text) * em * size))


def _fix_widths(table: Table, rows: Sequence[_Row], widths: Sequence[Length]) -> None:
    # Word reads each cell's width, LibreOffice the grid's: set both, and a fixed layout so neither resizes.
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _add_text(paragraph: Paragraph, text: str) -> Run:
    """Every text of the document goes in here, in NFC whatever its source (a model copied without validation
    keeps what it was given): Word, LibreOffice and search compare Vietnamese reliably only in one form."""
    return paragraph.add_run(unicodedata.normalize("NFC", text))


def _cell_paragraph(cell: _Cell, index: int) -> Paragraph:
    """The cell's paragraph at index: its first one exists already, the next ones are added."""
    return cell.paragraphs[0] if index == 0 else cell.add_paragraph()


def _centred(paragraph: Paragraph, text: str, *, size: Length, bold: bool = False, italic: bool = False) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = _add_text(paragraph, text)
    run.font.size = size
    run.bold, run.italic = bold or None, italic or None


def _rule(paragraph: Paragraph, length: Length, container: Length) -> None:
    """A horizontal rule of the given length, centred in its container, just under the line above: the top
    border of an empty paragraph one point high, narrowed by its indents."""
    side = Length(max(0, (container - length) // 2))
    paragraph_format = paragraph.paragraph_format
    paragraph_format.left_indent = paragraph_format.right_indent = side
    paragraph_format.first_line_indent = Pt(0)
    paragraph_format.space_before, paragraph_format.space_after = Pt(4), Pt(0)
    paragraph_format.line_spacing = Pt(1)
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for attribute, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "0"), ("w:color", "auto")):
        top.set(qn(attribute), value)
    borders.append(top)
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *_AFTER_PARAGRAPH_BORDERS)


def _add_field(paragraph: Paragraph, instruction: str, *, placeholder: str) -> None:
    """A field Word and LibreOffice compute when they lay the page out (begin, instruction, separate, result,
    end)."""
    def field_char(kind: str):
        run = paragraph.add_run()
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        run._r.append(char)

    field_char("begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    paragraph.add_run()._r.append(code)
    field_char("separate")
    paragraph.add_run(placeholder)
    field_char("end")


def _repeat_as_header(row: _Row) -> None:
    _keep_row_together(row)
    row._tr.get_or_add_trPr().insert_element_before(OxmlElement("w:tblHeader"), *_AFTER_TABLE_HEADER)


def _keep_row_together(row: _Row) -> None:
    properties = row._tr.get_or_add_trPr()
    if properties.find(qn("w:cantSplit")) is None:
        properties.insert_element_before(OxmlElement("w:cantSplit"), "w:trHeight", "w:tblHeader",
                                         *_AFTER_TABLE_HEADER)


def _write_cell(cell: _Cell, content: TableCell, style_id: str) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for index, line in enumerate(content.text.split("\n")):
        paragraph = _cell_paragraph(cell, index)
        # by the style's id: python-docx's `paragraph.style = name` searches every style of the document
        paragraph._p.style = style_id
        paragraph.alignment = _ALIGNMENTS[content.align]
        run = _add_text(paragraph, line)
        run.bold, run.italic = content.bold or None, content.italic or None

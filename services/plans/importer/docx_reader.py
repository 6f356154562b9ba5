"""Word (.docx) -> source lines: paragraphs in reading order, tables included, numbered 1, 2, ...

Official documents put the header (issuing body, 'Số:', place and date) and the signature block in
tables, so table cells are read in place, row by row, left to right. Word's automatic list
numbering is formatting, not text: the '1.', '-' or 'a)' a reader sees is rebuilt from it.
"""
from __future__ import annotations

import io

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from services.plans.importer.lines import SourceLine, clean, to_roman
from services.plans.importer.result import UnreadableDocument

_NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}


def _xpath(element, path: str, **variables) -> list:
    return etree.XPath(path, namespaces=_NS)(element, **variables)


def docx_lines(data: bytes) -> list[SourceLine]:
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx fails on malformed packages with many exception types
        raise UnreadableDocument("Không đọc được tệp Word (.docx): tệp bị hỏng hoặc không phải tệp Word.") from error
    labels = _ListLabels(document)
    lines = []
    for number, paragraph in enumerate(_paragraphs(document.iter_inner_content()), start=1):
        label = labels.label(paragraph)
        # a soft line break (Shift+Enter) splits a paragraph into lines of the same number
        for part in paragraph.text.split("\n"):
            lines.append(SourceLine(number, clean(f"{label} {part}" if label and part.strip() else part)))
            label = ""
    return lines


def _paragraphs(blocks):
    seen_cells = set()
    for block in blocks:
        if isinstance(block, Paragraph):
            yield block
        elif isinstance(block, Table):
            for row in block.rows:
                for cell in row.cells:
                    # A merged cell is listed once per grid column. The set keeps the XML elements
                    # alive, so lxml hands out the same element object for the same cell.
                    if cell._tc not in seen_cells:
                        seen_cells.add(cell._tc)
                        yield from _paragraphs(cell.iter_inner_content())


class _ListLabels:
    """Counters of Word's numbered lists, giving each list paragraph the label Word displays."""

    def __init__(self, document):
        self.numbering = document.part.numbering_part.element  # python-docx supplies an empty one if absent
        self.counters: dict[str, list[int]] = {}

    def label(self, paragraph: Paragraph) -> str:
        num_id, level = self._numbering_of(paragraph)
        if num_id is None or num_id == "0":
            return ""
        levels = _xpath(self.numbering, "./w:abstractNum[@w:abstractNumId=string(//w:num[@w:numId=$num]"
                                        "/w:abstractNumId/@w:val)]/w:lvl[@w:ilvl=$level]", num=num_id, level=str(level))
        if not levels:
            return ""
        number_format = _attribute(levels[0], "w:numFmt") or "decimal"
        if number_format == "bullet":
            return "-"
        start = int(_attribute(levels[0], "w:start") or 1)
        counters = self.counters.setdefault(num_id, [])
        del counters[level + 1:]  # a higher level restarts the levels below it
        counters.extend([start - 1] * (level + 1 - len(counters)))
        counters[level] += 1
        label = _attribute(levels[0], "w:lvlText") or f"%{level + 1}."
        for depth, value in enumerate(counters, start=1):
            label = label.replace(f"%{depth}", _format(value, number_format if depth == level + 1 else "decimal"))
        return label

    @staticmethod
    def _numbering_of(paragraph: Paragraph) -> tuple[str | None, int]:
        """The paragraph's own list numbering, else its style's (List Bullet, List Number ...)."""
        style = paragraph.style
        elements = [paragraph._p]
        while style is not None:
            elements.append(style.element)
            style = style.base_style
        for element in elements:
            num_ids = _xpath(element, "./w:pPr/w:numPr/w:numId/@w:val")
            if num_ids:
                levels = _xpath(element, "./w:pPr/w:numPr/w:ilvl/@w:val")
                return num_ids[0], int(levels[0]) if levels else 0
        return None, 0


def _attribute(level, child: str) -> str | None:
    values = _xpath(level, f"./{child}/@w:val")
    return values[0] if values else None


def _format(value: int, number_format: str) -> str:
    if number_format == "upperRoman":
        return to_roman(value)
    if number_format == "lowerRoman":
        return to_roman(value).lower()
    if number_format == "lowerLetter":
        return chr(ord("a") + (value - 1) % 26)
    if number_format == "upperLetter":
        return chr(ord("A") + (value - 1) % 26)
    return str(value)

"""Step 1 of the import: source lines -> classified lines, with paragraphs broken mid-sentence joined.

A plan's structure is carried by the start of its lines: Roman numerals for parts, "1." or "1)"
for numbered items, "a)" for lettered items, "-" (or "*", "•") for bullets, "+" for sub-bullets.
"""
from __future__ import annotations

import dataclasses
import enum
import re

from services.plans.importer.result import WarningLog
from services.plans.importer.text import nfc, snippet

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_WHITESPACE = re.compile(r"\s+")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # what editors count as lines (not str.splitlines' extra separators)

_PART_HEADING = re.compile(r"(?P<marker>[IVX]+)(?:\.|\)|\s+[-–]\s+)\s*(?P<text>\S.*)")
_SUB_NUMBERED = re.compile(r"(?P<marker>\d{1,2}\.\d{1,2})\.?(?:\s+|$)(?P<text>.*)")
_NUMBERED = re.compile(r"(?P<marker>\d{1,2})\s*[.)](?!\d)\s*(?P<text>.*)")
_LETTERED = re.compile(r"(?P<marker>[a-zđ])(?:\s*\)|\.\s)\s*(?P<text>.*)")
_BULLET = re.compile(r"(?P<marker>[-–—•*·])\s*(?P<text>.*)")
_PLUS_BULLET = re.compile(r"(?P<marker>\+)\s*(?P<text>.*)")
_DASHES = {"–": "-", "—": "-", "·": "•"}

_SENTENCE_ENDINGS = ".;:!?…"
_CONTINUING_PUNCTUATION = ",;)"

_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}


@dataclasses.dataclass(frozen=True)
class SourceLine:
    number: int  # 1-based line of the text (of a Word file: as if saved as text, a line per paragraph or soft break)
    text: str    # NFC, whitespace collapsed, stripped; "" for a blank line
    paragraph: int | None = None  # a Word file's paragraph the line is in
    level: int | None = None      # a Word list item's level (0 outermost); None when typed or not a list


class LineKind(enum.Enum):
    PART_HEADING = "part_heading"  # I. MỤC ĐÍCH, YÊU CẦU
    NUMBERED = "numbered"          # 1. Mục đích / 1) Công an xã
    SUB_NUMBERED = "sub_numbered"  # 1.1. ...
    LETTERED = "lettered"          # a) ...
    BULLET = "bullet"              # - ... (also *, •)
    PLUS_BULLET = "plus_bullet"    # + ...
    TEXT = "text"                  # a paragraph without a marker


@dataclasses.dataclass(frozen=True)
class Line:
    number: int
    kind: LineKind
    text: str                  # the content, without its marker
    marker: str | None = None  # the number or letter as written: 'IV', '2', 'a', '1.2'; a bullet's sign: '-', '•'
    value: int | None = None   # the marker's value for parts and numbered items: 'IV' -> 4
    level: int | None = None   # a Word list item's level
    paragraph: int | None = None


def clean(raw: str) -> str:
    return _WHITESPACE.sub(" ", _INVISIBLE.sub("", nfc(raw))).strip()


def split_text(text: str) -> list[SourceLine]:
    return [SourceLine(number, clean(raw)) for number, raw in enumerate(_LINE_BREAK.split(text), start=1)]


def roman_value(numeral: str) -> int | None:
    """'IV' -> 4; None unless written the canonical way (so 'IIII' or 'VV' is not a part number)."""
    values = [_ROMAN_VALUES[c] for c in numeral]
    total = sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))
    return total if 0 < total < 40 and to_roman(total) == numeral else None


def to_roman(value: int) -> str:
    numeral = ""
    for symbol_value, symbol in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while value >= symbol_value:
            numeral, value = numeral + symbol, value - symbol_value
    return numeral


def classify(source: SourceLine) -> Line:
    line = _classify_text(source.number, source.text)
    if source.level is None and source.paragraph is None:
        return line
    return dataclasses.replace(line, level=source.level, paragraph=source.paragraph)


def _classify_text(number: int, text: str) -> Line:
    if (match := _PART_HEADING.fullmatch(text)) and (value := roman_value(match["marker"])):
        return Line(number, LineKind.PART_HEADING, match["text"], match["marker"], value)
    if match := _SUB_NUMBERED.fullmatch(text):
        return Line(number, LineKind.SUB_NUMBERED, match["text"], match["marker"])
    if match := _NUMBERED.fullmatch(text):
        return Line(number, LineKind.NUMBERED, match["text"], match["marker"], int(match["marker"]))
    if match := _LETTERED.fullmatch(text):
        return Line(number, LineKind.LETTERED, match["text"], match["marker"])
    if match := _BULLET.fullmatch(text):
        return Line(number, LineKind.BULLET, match["text"], _DASHES.get(match["marker"], match["marker"]))
    if match := _PLUS_BULLET.fullmatch(text):
        return Line(number, LineKind.PLUS_BULLET, match["text"], "+")
    return Line(number, LineKind.TEXT, text)


def marker_style(line: Line) -> tuple[LineKind, str | None]:
    """What a list item looks like: its kind, and for a bullet its sign ('-' and '•' are two styles)."""
    return line.kind, line.marker if line.kind in (LineKind.BULLET, LineKind.PLUS_BULLET) else None


def _ends_sentence(text: str) -> bool:
    return text.endswith(tuple(_SENTENCE_ENDINGS))


def _continues_previous(line: Line) -> bool:
    """A paragraph cannot start with a lower-case word or with ',', ';', ')': it is the rest of one."""
    if line.kind is not LineKind.TEXT or not line.text:
        return False
    first = line.text[0]
    return (first.isalpha() and first.islower()) or first in _CONTINUING_PUNCTUATION


def classified_lines(sources: list[SourceLine], log: WarningLog) -> list[Line]:
    """Non-blank lines, classified, with a paragraph broken across lines joined back into one.

    A continuation after a soft line break inside one Word paragraph (same paragraph) is ordinary
    layout and joined silently; between two lines or paragraphs it is an error in the file: warned.
    """
    lines: list[Line] = []
    for source in sources:
        if not source.text:
            continue
        line = classify(source)
        previous = lines[-1] if lines else None
        if previous is not None and not _ends_sentence(previous.text) and _continues_previous(line):
            lines[-1] = dataclasses.replace(previous, text=f"{previous.text} {line.text}")
            if line.paragraph is None or line.paragraph != previous.paragraph:
                log.add(previous.number, "line_joined",
                        f"Đoạn văn bị ngắt giữa câu: dòng {previous.number} được nối với dòng {line.number} "
                        f"(“{snippet(line.text, 40)}”).",
                        found=f"dòng {line.number}: {snippet(line.text, 40)}")
            continue
        lines.append(line)
    return lines

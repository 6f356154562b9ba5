"""Word (.docx) -> source lines: paragraphs in reading order, tables included.

Official documents put the header (issuing body, 'Số:', place and date) and the signature block in
tables, so table cells are read in place, row by row, left to right. Word's automatic list
numbering is formatting, not text: the '1.', '-' or 'a)' a reader sees is rebuilt from it, and the
list level is kept so that sub-items stay apart from tasks. Tracked changes are read as accepted
(insertions kept, deletions dropped); comments, page headers and footers are not the plan's text.

The file is read with zipfile and lxml, not python-docx: only the three parts the text needs are
decompressed (never the images), each after its declared size is checked and with its actual size
bounded while it is read, and every paragraph costs the same small, constant work (styles and list
definitions are looked up in tables built once), so reading is linear in the document's size.
"""
from __future__ import annotations

import dataclasses
import io
import posixpath
import zipfile
from collections.abc import Iterator

from lxml import etree

from services.plans.importer.limits import (
    MAX_CHARACTERS,
    MAX_PACKAGE_PARTS,
    MAX_PARAGRAPHS,
    MAX_PART_BYTES,
    PART_TOO_LARGE,
    TOO_MANY_CHARACTERS,
    TOO_MANY_PARAGRAPHS,
    TOO_MANY_PARTS,
)
from services.plans.importer.lines import SourceLine, clean, to_roman
from services.plans.importer.result import DocumentTooLarge, UnreadableDocument

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
_NUMBERING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"
_STRICT_PREFIX = "http://purl.oclc.org/ooxml/"  # ISO/IEC 29500 strict uses other relationship URIs


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


P, TBL, TR, TC, SDT, SDT_CONTENT = _w("p"), _w("tbl"), _w("tr"), _w("tc"), _w("sdt"), _w("sdtContent")
BODY, T, TAB, BR, CR, NO_BREAK_HYPHEN = _w("body"), _w("t"), _w("tab"), _w("br"), _w("cr"), _w("noBreakHyphen")
PPR, RPR, DEL, MOVE_FROM, TXBX = _w("pPr"), _w("rPr"), _w("del"), _w("moveFrom"), _w("txbxContent")
CUSTOM_XML, SMART_TAG = _w("customXml"), _w("smartTag")
# Subtrees that are not the accepted text of a paragraph: its properties, deleted or moved-away runs,
# text boxes (their own paragraphs), and the fallback copy of alternate content.
_NOT_TEXT = {PPR, RPR, DEL, MOVE_FROM, TXBX, f"{{{_MC}}}Fallback"}

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True,
                          remove_pis=True)


def _corrupt() -> UnreadableDocument:
    return UnreadableDocument("Không đọc được tệp Word (.docx): tệp bị hỏng hoặc không phải tệp Word.")


def docx_lines(data: bytes) -> list[SourceLine]:
    package = _Package(data)
    document = package.main_document()
    reader = _ParagraphReader(_ListLabels(package.related(document, _NUMBERING)),
                              _StyleNumbering(package.related(document, _STYLES)))
    lines: list[SourceLine] = []
    for paragraph_number, (label, level, text) in enumerate(reader.paragraphs(package.read(document)), start=1):
        # a soft line break (Shift+Enter) splits a paragraph into lines of the same paragraph
        for part in text.split("\n"):
            lines.append(SourceLine(len(lines) + 1, clean(f"{label} {part}" if label and part.strip() else part),
                                    paragraph=paragraph_number, level=level if label else None))
            label = ""
    if not any(line.text for line in lines) and reader.has_pictures:
        raise UnreadableDocument("Tệp Word không có chữ, chỉ có hình ảnh (có thể là bản scan); hãy tải lên "
                                 "bản Word có nội dung văn bản, không phải ảnh chụp.")
    return lines


class _Package:
    """The zip archive of a Word file, read part by part with every size checked first."""

    def __init__(self, data: bytes):
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(data))
            self.entries = {info.filename: info for info in self.archive.infolist()}
        except (zipfile.BadZipFile, ValueError, OSError):
            raise _corrupt() from None
        if len(self.entries) > MAX_PACKAGE_PARTS:
            raise DocumentTooLarge(TOO_MANY_PARTS)

    def read(self, name: str) -> bytes:
        info = self.entries.get(name)
        if info is None:
            raise _corrupt()
        if info.file_size > MAX_PART_BYTES:  # the size the archive declares: refused before decompressing
            raise DocumentTooLarge(PART_TOO_LARGE.format(name=name))
        try:
            with self.archive.open(info) as stream:
                content = stream.read(MAX_PART_BYTES + 1)  # the actual size, bounded whatever was declared
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, NotImplementedError):
            raise _corrupt() from None  # also a declared size that lies: the checksum no longer matches
        if len(content) > MAX_PART_BYTES:
            raise DocumentTooLarge(PART_TOO_LARGE.format(name=name))
        return content

    def xml(self, name: str) -> etree._Element:
        try:
            return etree.fromstring(self.read(name), _PARSER)
        except etree.XMLSyntaxError:
            raise _corrupt() from None

    def relationships(self, source: str) -> dict[str, str]:
        """Relationship type -> target part of `source` ('' for the package itself)."""
        folder, name = posixpath.split(source)
        rels_name = posixpath.join(folder, "_rels", f"{name}.rels")
        if rels_name not in self.entries:
            return {}
        targets: dict[str, str] = {}
        for rel in self.xml(rels_name).iter(f"{{{_REL}}}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            rel_type = rel.get("Type", "")
            targets.setdefault(rel_type.replace(_STRICT_PREFIX, "http://schemas.openxmlformats.org/"), path)
        return targets

    def main_document(self) -> str:
        document = self.relationships("").get(_OFFICE_DOCUMENT)
        if document is None or document not in self.entries:
            raise UnreadableDocument("Không đọc được tệp: tệp nén (.zip) này không phải tệp Word (.docx).")
        return document

    def related(self, source: str, rel_type: str) -> etree._Element | None:
        target = self.relationships(source).get(rel_type)
        return self.xml(target) if target in self.entries else None


class _ParagraphReader:
    """Paragraphs of the main document in reading order, each as (list label, list level, text)."""

    def __init__(self, labels: _ListLabels, style_numbering: _StyleNumbering):
        self.labels, self.style_numbering = labels, style_numbering
        self.count = 0
        self.characters = 0
        self.has_pictures = False

    def paragraphs(self, xml: bytes) -> Iterator[tuple[str, int, str]]:
        carried = ""  # text of a paragraph whose mark was deleted (tracked): it joins the next one
        try:
            events = etree.iterparse(io.BytesIO(xml), events=("end",), tag=(P, _w("drawing"), _w("pict")),
                                     resolve_entities=False, no_network=True, huge_tree=False)
            for _, element in events:
                if element.tag != P:
                    self.has_pictures = True
                    continue
                if _inside(element, TXBX) or _inside(element, DEL):
                    continue
                self.count += 1
                if self.count > MAX_PARAGRAPHS:
                    raise DocumentTooLarge(TOO_MANY_PARAGRAPHS)
                text = carried + _accepted_text(element)
                self.characters += len(text)
                if self.characters > MAX_CHARACTERS:
                    raise DocumentTooLarge(TOO_MANY_CHARACTERS)
                properties = element.find(PPR)
                if _mark_deleted(properties):
                    carried = text
                else:
                    carried = ""
                    num_id, level = self._numbering(properties)
                    yield self.labels.label(num_id, level), level, text
                _release(element)
        except etree.XMLSyntaxError:
            raise _corrupt() from None
        if carried:
            yield "", 0, carried

    def _numbering(self, properties: etree._Element | None) -> tuple[str | None, int]:
        """The paragraph's own list numbering, else its style's (List Bullet, List Number ...)."""
        if properties is None:
            return None, 0
        num_pr = properties.find(_w("numPr"))
        if num_pr is not None:
            num_id, level = _val(num_pr.find(_w("numId"))), _val(num_pr.find(_w("ilvl")))
            if num_id is not None:
                return num_id, int(level or 0)
        style = _val(properties.find(_w("pStyle")))
        return self.style_numbering.of(style) if style else (None, 0)


def _inside(element: etree._Element, tag: str) -> bool:
    return any(ancestor.tag == tag for ancestor in element.iterancestors())


def _mark_deleted(properties: etree._Element | None) -> bool:
    marks = properties.find(RPR) if properties is not None else None
    return marks is not None and marks.find(DEL) is not None


def _release(paragraph: etree._Element) -> None:
    """Free what was read: the paragraph's content and the empty siblings before it."""
    paragraph.clear(keep_tail=False)
    parent = paragraph.getparent()
    if parent is not None and parent.tag == BODY:
        while paragraph.getprevious() is not None:
            del parent[0]


def _accepted_text(paragraph: etree._Element) -> str:
    parts: list[str] = []
    stack = list(reversed(paragraph))
    while stack:
        element = stack.pop()
        tag = element.tag
        if not isinstance(tag, str) or tag in _NOT_TEXT:
            continue
        if tag == T:
            parts.append(element.text or "")
        elif tag == TAB:
            parts.append("\t")
        elif tag == BR:
            parts.append("\n" if element.get(_w("type"), "textWrapping") == "textWrapping" else "")
        elif tag == CR:
            parts.append("\n")
        elif tag == NO_BREAK_HYPHEN:
            parts.append("-")
        else:
            stack.extend(reversed(element))
    return "".join(parts)


def _val(element: etree._Element | None) -> str | None:
    return None if element is None else element.get(_w("val"))


class _StyleNumbering:
    """Paragraph style id -> the list numbering it carries, through its 'based on' chain, computed
    once per style (a document uses a few dozen styles and thousands of paragraphs)."""

    def __init__(self, styles: etree._Element | None):
        self.styles: dict[str, etree._Element] = {}
        if styles is not None:
            for style in styles.iter(_w("style")):
                if style.get(_w("type")) == "paragraph" and style.get(_w("styleId")):
                    self.styles[style.get(_w("styleId"))] = style
        self.resolved: dict[str, tuple[str | None, int]] = {}

    def of(self, style_id: str) -> tuple[str | None, int]:
        if style_id not in self.resolved:
            self.resolved[style_id] = self._resolve(style_id)
        return self.resolved[style_id]

    def _resolve(self, style_id: str) -> tuple[str | None, int]:
        seen = set()
        current: str | None = style_id
        while current and current in self.styles and current not in seen:  # 'based on' may loop in a bad file
            seen.add(current)
            num_pr = self.styles[current].find(f"{PPR}/{_w('numPr')}")
            if num_pr is not None and _val(num_pr.find(_w("numId"))) is not None:
                return _val(num_pr.find(_w("numId"))), int(_val(num_pr.find(_w("ilvl"))) or 0)
            current = _val(self.styles[current].find(_w("basedOn")))
        return None, 0


@dataclasses.dataclass(frozen=True)
class _Level:
    number_format: str
    start: int
    text: str


class _ListLabels:
    """Counters of Word's numbered lists, giving each list paragraph the label Word displays."""

    def __init__(self, numbering: etree._Element | None):
        self.levels: dict[str, dict[int, _Level]] = {}  # numId -> list level -> definition
        self.counters: dict[str, list[int]] = {}
        if numbering is None:
            return
        abstract = {}
        for definition in numbering.iter(_w("abstractNum")):
            abstract[definition.get(_w("abstractNumId"))] = {
                int(level.get(_w("ilvl"), "0")): _Level(_val(level.find(_w("numFmt"))) or "decimal",
                                                        int(_val(level.find(_w("start"))) or 1),
                                                        _val(level.find(_w("lvlText"))) or "")
                for level in definition.iter(_w("lvl"))}
        for num in numbering.iter(_w("num")):
            self.levels[num.get(_w("numId"))] = abstract.get(_val(num.find(_w("abstractNumId"))), {})

    def label(self, num_id: str | None, level: int) -> str:
        if num_id is None or num_id == "0":
            return ""
        definition = self.levels.get(num_id, {}).get(level)
        if definition is None:
            return ""
        if definition.number_format == "bullet":
            return "-" if level == 0 else "+"  # a bullet one level in is a sub-item, as '+' is when typed
        if definition.number_format == "none":
            return ""
        counters = self.counters.setdefault(num_id, [])
        del counters[level + 1:]  # a higher level restarts the levels below it
        counters.extend([definition.start - 1] * (level + 1 - len(counters)))
        counters[level] += 1
        label = definition.text or f"%{level + 1}."
        for depth, value in enumerate(counters, start=1):
            label = label.replace(f"%{depth}", _format(value, definition.number_format if depth == level + 1
                                                       else "decimal"))
        return label


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

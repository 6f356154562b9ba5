"""What an attachment of a unit report is, whatever its name and declared type say.

A file is accepted only when its extension, its declared type and the type detected from its content
(`puremagic`, a maintained pure-Python magic-number library: no system libmagic to install) are the
same accepted type, and its content has that type's structure: a PDF ends with `%%EOF`, a PNG has its
IHDR and IEND chunks, a Word or Excel file is a ZIP whose `[Content_Types].xml` declares the Word (or
Excel) main document and no macros, a text is UTF-8 without control characters. Executables (Windows,
ELF, Mach-O, scripts) and HTML, SVG or XML are refused under any name: served back, a browser would
run them, or a colleague would double-click them.

Refusals never echo the file's name or declared type (they are the uploader's input).
"""
from __future__ import annotations

import io
import posixpath
import re
import unicodedata
import zipfile
from urllib.parse import quote

import puremagic
from lxml import etree

from services.common.errors import BadRequest, UnsupportedMediaType

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF, JPEG, PNG, TEXT = "application/pdf", "image/jpeg", "image/png", "text/plain"
# The accepted types by file extension (lower case).
TYPE_OF_EXTENSION = {".pdf": PDF, ".jpg": JPEG, ".jpeg": JPEG, ".png": PNG, ".docx": DOCX, ".xlsx": XLSX,
                     ".txt": TEXT}
MEDIA_TYPES = tuple(dict.fromkeys(TYPE_OF_EXTENSION.values()))
# The main document each Office type must declare in [Content_Types].xml (macro-enabled ones differ).
OFFICE_MAIN_DOCUMENT = {
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
_MAX_CONTENT_TYPES_BYTES = 256 * 1024
_EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe",
                     b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"#!")
# Markup a browser would render or run, anywhere in a text (case-insensitive).
_ACTIVE_MARKUP = re.compile(rb"<\s*(?:!doctype|html|head|body|script|svg|iframe|object|embed|meta|link|style|img"
                            rb"|form|\?xml)\b|javascript\s*:", re.IGNORECASE)
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
_CONTENT_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
ACCEPTED_LIST = "PDF, JPEG, PNG, Word (.docx), Excel (.xlsx), văn bản (.txt)"


def _mismatch(what: str) -> UnsupportedMediaType:
    return UnsupportedMediaType(f"Nội dung tệp không phải {what}.", code="attachment_mismatch",
                                fields=[{"field": "file", "problem": "nội dung không đúng loại tệp"}])


def _dangerous() -> UnsupportedMediaType:
    return UnsupportedMediaType("Không nhận tệp chạy được (chương trình, tập lệnh) hoặc trang web (HTML, SVG).",
                                code="attachment_dangerous",
                                fields=[{"field": "file", "problem": "tệp chạy được hoặc trang web"}])


def check(filename: str, declared_type: str, data: bytes) -> str:
    """The media type of an acceptable attachment (detected from its content), or a refusal."""
    extension = posixpath.splitext(filename.strip().lower())[1]
    media_type = TYPE_OF_EXTENSION.get(extension)
    declared = (declared_type or "").split(";")[0].strip().lower()
    if media_type is None or declared not in (media_type, "application/octet-stream", ""):
        raise UnsupportedMediaType(f"Chỉ nhận tệp {ACCEPTED_LIST}, với đuôi tên tệp đúng loại.",
                                   code="attachment_type",
                                   fields=[{"field": "file", "problem": "loại tệp hoặc đuôi tên tệp không được nhận"}])
    if not data:
        raise BadRequest("Tệp đính kèm rỗng.", code="attachment_empty", fields=[{"field": "file", "problem": "rỗng"}])
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise BadRequest(f"Tệp vượt quá {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB.", code="attachment_too_large",
                         fields=[{"field": "file", "problem": "quá lớn"}])
    if data.startswith(_EXECUTABLE_MAGIC):
        raise _dangerous()
    detected = _detected_types(data)
    if media_type == TEXT:
        _check_text(data, detected)
    elif media_type not in detected:
        raise _mismatch(extension)
    elif media_type == PDF and b"%%EOF" not in data[-1024:]:
        raise _mismatch(extension)  # a PDF header glued to something else (an .exe, say)
    elif media_type == PNG and not (data[12:16] == b"IHDR" and b"IEND" in data[-12:]):
        raise _mismatch(extension)
    elif media_type in OFFICE_MAIN_DOCUMENT:
        _check_office(data, media_type, extension)
    return media_type


def _detected_types(data: bytes) -> set[str]:
    """Every media type the magic numbers of `data` fit; empty when none does (e.g. plain text)."""
    try:
        matches = puremagic.magic_string(data)
    except puremagic.PureError:
        return set()
    names = {match.name for match in matches}
    if any("executable" in name.lower() for name in names):
        raise _dangerous()
    return {match.mime_type.lower() for match in matches if match.mime_type}


def _check_text(data: bytes, detected: set[str]) -> None:
    if detected & {"text/html", "image/svg+xml", "application/xml", "text/xml"} or _ACTIVE_MARKUP.search(data):
        raise _dangerous()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _mismatch("văn bản UTF-8") from None
    if _CONTROL_CHARACTERS.search(text):
        raise _mismatch("văn bản")


def _check_office(data: bytes, media_type: str, extension: str) -> None:
    """A ZIP that declares this Office type's main document, and no macros."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            entry = package.getinfo("[Content_Types].xml")
            if entry.file_size > _MAX_CONTENT_TYPES_BYTES:
                raise _mismatch(extension)
            with package.open(entry) as part:
                content_types = part.read(_MAX_CONTENT_TYPES_BYTES + 1)
            names = package.namelist()
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, RuntimeError, NotImplementedError):
        raise _mismatch(extension) from None
    if len(content_types) > _MAX_CONTENT_TYPES_BYTES:
        raise _mismatch(extension)
    try:
        root = etree.fromstring(content_types, _PARSER)
    except etree.XMLSyntaxError:
        raise _mismatch(extension) from None
    declared = {(element.get("PartName") or "").lstrip("/"): (element.get("ContentType") or "").lower()
                for element in root.iter(f"{_CONTENT_TYPES}Override")}
    main_parts = [name for name, kind in declared.items() if kind == OFFICE_MAIN_DOCUMENT[media_type]]
    if not main_parts or not all(part in names for part in main_parts):
        raise _mismatch(extension)
    if any(posixpath.basename(name).lower() == "vbaproject.bin" for name in names) or any(
            "macroenabled" in kind for kind in declared.values()):
        raise _dangerous()


def content_disposition(filename: str) -> str:
    """A download, never shown in the browser (RFC 6266): the name in UTF-8 (`filename*`), and an ASCII
    fallback without diacritics for older clients."""
    ascii_name = unicodedata.normalize("NFKD", filename.replace("đ", "d").replace("Đ", "D"))
    ascii_name = re.sub(r'[^A-Za-z0-9._ -]', "", ascii_name.encode("ascii", "ignore").decode()) or "tep-dinh-kem"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"

"""Word files written part by part, for what python-docx cannot make: tracked changes, page headers,
zip bombs, archives whose declared sizes lie."""
from __future__ import annotations

import io
import struct
import zipfile
from xml.sax.saxutils import escape

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
_DOCUMENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"

_ROOT_RELS = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_RELS}">'
              f'<Relationship Id="rId1" Type="{R}/officeDocument" Target="word/document.xml"/></Relationships>')


def paragraph(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def document_xml(body: str) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}" xmlns:r="{R}">'
            f"<w:body>{body}</w:body></w:document>")


def package(body: str, *, parts: dict[str, bytes | str] | None = None,
            document_relationships: dict[str, tuple[str, str]] | None = None,
            compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A .docx whose main document has `body`; `parts` are further files of the archive and
    `document_relationships` rId -> (type suffix, target) of the main document."""
    relationships = "".join(f'<Relationship Id="{rid}" Type="{R}/{kind}" Target="{target}"/>'
                            for rid, (kind, target) in (document_relationships or {}).items())
    files: dict[str, bytes | str] = {
        "[Content_Types].xml": (f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{_TYPES}">'
                                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                                'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                                f'<Override PartName="/word/document.xml" ContentType="{_DOCUMENT_TYPE}"/></Types>'),
        "_rels/.rels": _ROOT_RELS,
        "word/_rels/document.xml.rels": (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_RELS}">'
                                         f"{relationships}</Relationships>"),
        "word/document.xml": document_xml(body),
        **(parts or {}),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def archive(files: dict[str, str | bytes]) -> bytes:
    """A ZIP of these files, nothing else: not a Word document."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        for name, content in files.items():
            zipped.writestr(name, content)
    return buffer.getvalue()


def declare_size(data: bytes, member: str, declared: int) -> bytes:
    """The archive with `member`'s uncompressed size rewritten to `declared` in both of the zip's
    records of it (local header and central directory), the data left as it is: a lying archive."""
    patched = bytearray(data)
    # (signature, offset of the name's length, offset of the name, offset of the uncompressed size)
    for signature, length_at, name_at, size_at in ((b"PK\x03\x04", 26, 30, 22), (b"PK\x01\x02", 28, 46, 24)):
        record = patched.find(signature)
        while record != -1:
            name_length = struct.unpack_from("<H", patched, record + length_at)[0]
            if bytes(patched[record + name_at:record + name_at + name_length]) == member.encode():
                struct.pack_into("<I", patched, record + size_at, declared)
            record = patched.find(signature, record + 4)
    return bytes(patched)


def million_empty_paragraphs() -> bytes:
    """The freezing document of issue 8: a .docx of one million empty paragraphs (under 50 KB)."""
    return package("<w:p/>" * 1_000_000)


def zip_bomb(expanded_bytes: int, *, declared: int | None = None) -> bytes:
    """A .docx whose main document expands to `expanded_bytes` (blank space in an XML comment);
    `declared` makes the archive lie about that size."""
    bomb = package(paragraph("KẾ HOẠCH") + "<!--" + " " * expanded_bytes + "-->")
    return bomb if declared is None else declare_size(bomb, "word/document.xml", declared)

"""What the importer refuses to read, and how fast it reads what it accepts (issue 8).

Reading must be linear: measured (and printed) here, asserted by counting the work per paragraph,
never by timing."""
import io
import time
import zipfile

import docx
import pytest

from services.plans.importer import UnreadableDocument, docx_reader, import_docx, import_file, import_text
from services.plans.importer.limits import MAX_CHARACTERS, MAX_PARAGRAPHS, MAX_PART_BYTES
from services.plans.importer.result import DocumentTooLarge
from tests.support.docx_packages import million_empty_paragraphs, package, paragraph, zip_bomb
from tests.unit.importer.conftest import SEED, fixture_text


def test_a_million_empty_paragraphs_are_refused_after_counting_past_the_limit():
    data = million_empty_paragraphs()
    assert len(data) < 60_000
    started = time.perf_counter()
    with pytest.raises(DocumentTooLarge, match="đoạn văn"):
        import_file("ke-hoach.docx", data)
    print(f"\nrefused {len(data):,} bytes, 1,000,000 paragraphs, in {time.perf_counter() - started:.3f} s")


def test_ten_thousand_paragraphs_are_read_with_one_style_lookup_per_style(monkeypatch):
    """Word's list styles are resolved once per style, not once per paragraph (the old reader
    walked the style chain with freshly compiled XPath for every paragraph: milliseconds each)."""
    resolved = []
    original = docx_reader._StyleNumbering._resolve

    def counted(self, style_id):
        resolved.append(style_id)
        return original(self, style_id)

    monkeypatch.setattr(docx_reader._StyleNumbering, "_resolve", counted)
    word = docx.Document()
    for number in range(10_000):
        word.add_paragraph(f"Nhiệm vụ {number}", style=("List Bullet", "List Number", "Normal", None)[number % 4])
    buffer = io.BytesIO()
    word.save(buffer)
    started = time.perf_counter()
    lines = docx_reader.docx_lines(buffer.getvalue())
    print(f"\nread 10,000 paragraphs in {time.perf_counter() - started:.3f} s")
    assert len(lines) == 10_000
    assert sorted(resolved) == ["ListBullet", "ListNumber"]  # "Normal" is the default: written as no style
    assert [line.text for line in lines[:4]] == ["- Nhiệm vụ 0", "1. Nhiệm vụ 1", "Nhiệm vụ 2", "Nhiệm vụ 3"]


def test_a_part_whose_declared_size_is_over_the_limit_is_not_decompressed():
    bomb = zip_bomb(MAX_PART_BYTES + 1)
    assert len(bomb) < MAX_PART_BYTES // 100
    with pytest.raises(DocumentTooLarge, match="word/document.xml") as refused:
        import_file("ke-hoach.docx", bomb)
    assert "giải nén" in str(refused.value)


@pytest.mark.parametrize("declared", [1_000, MAX_PART_BYTES - 1])
def test_a_part_whose_declared_size_lies_is_read_no_further_than_declared(declared):
    """A zip bomb that declares a small size: decompression stops at the declared size, where the
    checksum does not match, so the file is refused as corrupt with memory bounded by the limit."""
    lying = zip_bomb(64 * 1024 * 1024, declared=declared)
    assert zipfile.ZipFile(io.BytesIO(lying)).getinfo("word/document.xml").file_size == declared
    with pytest.raises(UnreadableDocument, match="tệp bị hỏng"):
        import_file("ke-hoach.docx", lying)


def test_a_large_image_is_never_decompressed():
    """Only the parts with the text are read: a big picture costs nothing."""
    picture = b"\x00" * (MAX_PART_BYTES * 4)
    data = package("".join(paragraph(line) for line in fixture_text(SEED).split("\n")),
                   parts={"word/media/image1.png": picture})
    assert import_docx(data).document == import_text(fixture_text(SEED)).document


def test_a_long_text_file_is_refused_by_its_characters_and_by_its_lines():
    with pytest.raises(DocumentTooLarge, match="ký tự"):
        import_file("ke-hoach.txt", ("Kế hoạch bình đẳng giới. " * (MAX_CHARACTERS // 20)).encode())
    with pytest.raises(DocumentTooLarge, match="dòng"):
        import_file("ke-hoach.txt", b"- x\r\n" * MAX_PARAGRAPHS)
    import_text(fixture_text(SEED) + "\n" * (MAX_PARAGRAPHS - fixture_text(SEED).count("\n") - 1))  # at the limit


def test_a_long_word_file_is_refused_by_its_characters():
    text = "Kế hoạch bình đẳng giới năm 2026. " * 3_000  # 100,000 characters a paragraph
    with pytest.raises(DocumentTooLarge, match="ký tự"):
        import_file("ke-hoach.docx", package(paragraph(text) * (MAX_CHARACTERS // len(text) + 1)))

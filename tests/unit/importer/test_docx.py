"""Word files: built here with python-docx from the text fixtures, they must give the same draft."""
import io
import zipfile

import docx
import pytest

from services.plans.importer import UnreadableDocument, import_docx, import_file, import_text
from services.plans.importer.docx_reader import docx_lines
from tests.unit.importer.conftest import SEED, fixture_text, load_directory

WARD = "ke-hoach-phuong-dong-ngan-2026.txt"


def to_docx(paragraphs, *, header_rows=(), footer_rows=()) -> bytes:
    """A Word file: optional two-column tables before and after the paragraphs, as official documents have."""
    document = docx.Document()
    if header_rows:
        add_two_column_table(document, header_rows)
    for text, style in paragraphs:
        document.add_paragraph(text, style=style)
    if footer_rows:
        add_two_column_table(document, footer_rows)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def add_two_column_table(document, columns) -> None:
    table = document.add_table(rows=1, cols=2)
    for cell, lines in zip(table.rows[0].cells, columns, strict=True):
        cell.paragraphs[0].text = lines[0]
        for line in lines[1:]:
            cell.add_paragraph(line)


def plain(lines):
    return [(line, None) for line in lines]


def test_the_seed_as_word_paragraphs_gives_the_same_draft_and_warnings(son_hai_directory):
    text = fixture_text(SEED)
    data = to_docx(plain(text.split("\n")))  # one paragraph per line, blank ones included: same numbers
    from_word = import_docx(data, directory=son_hai_directory)
    from_text = import_text(text, directory=son_hai_directory)
    assert from_word.document == from_text.document
    # the same warnings, each also naming its Word paragraph (here one per line)
    assert [w.model_copy(update={"paragraph": None}) for w in from_word.warnings] == from_text.warnings
    assert all(w.paragraph == w.line for w in from_word.warnings)


def test_a_warning_in_a_word_file_names_its_line_and_its_paragraph():
    """A soft line break makes two lines of one paragraph: the warning names both numbers."""
    document = docx.Document()
    for text in ["KẾ HOẠCH", "Bình đẳng giới năm 2026 của xã Sơn Hải", "I. NỘI DUNG", "1. Truyền thông"]:
        document.add_paragraph(text)
    paragraph = document.add_paragraph("- Tuyên truyền về bình đẳng giới.")
    paragraph.add_run().add_break()
    paragraph.add_run("Tổ chức hội thi tìm hiểu pháp luật.")
    buffer = io.BytesIO()
    document.save(buffer)
    warning = next(w for w in import_docx(buffer.getvalue()).warnings if w.code == "task_without_bullet")
    assert (warning.line, warning.paragraph) == (6, 5)
    assert warning.action and "dự thảo" in warning.action


def test_header_and_signature_in_tables_are_read_in_place():
    lines = [line for line in fixture_text(WARD).split("\n") if line.strip()]
    heading = lines.index("KẾ HOẠCH")
    recipients = lines.index("Nơi nhận:")
    signature = lines.index("TM. ỦY BAN NHÂN DÂN")
    header_left, header_right = lines[:2], lines[2:heading]
    data = to_docx(plain(lines[heading:recipients]), header_rows=(header_left, header_right),
                   footer_rows=(lines[recipients:signature], lines[signature:]))
    directory = load_directory("directory-dong-ngan.json")
    from_word = import_file("ke-hoach.docx", data, directory=directory)
    assert from_word.document == import_text(fixture_text(WARD), directory=directory).document
    assert from_word.warnings == []


def test_word_automatic_bullets_and_numbers_are_markers():
    """'List Bullet' and 'List Number' paragraphs carry their '-' and '1.' as formatting, not text."""
    lines = [line for line in fixture_text(WARD).split("\n") if line.strip()]
    paragraphs: list[tuple[str, str | None]] = []
    for line in lines:
        if line.startswith(("- ", "* ")):
            paragraphs.append((line[2:], "List Bullet"))
        elif line.startswith(("1. ", "2. ")) and lines.index(line) < lines.index("II. NỘI DUNG THỰC HIỆN"):
            paragraphs.append((line[3:], "List Number"))  # the two subsections of part I: 1., 2.
        else:
            paragraphs.append((line, None))
    result = import_docx(to_docx(paragraphs))
    expected = import_text(fixture_text(WARD)).document
    assert result.document == expected
    assert result.warnings == []


def test_a_docx_that_is_a_corrupt_zip_is_unreadable():
    good = to_docx(plain(["KẾ HOẠCH"]))
    with pytest.raises(UnreadableDocument, match="tệp bị hỏng"):
        import_file("ke-hoach.docx", good[:len(good) // 2])
    with pytest.raises(UnreadableDocument, match="tệp bị hỏng"):
        import_docx(b"PK\x03\x04" + b"\x00" * 100)


def test_a_zip_that_is_not_a_word_file_is_unreadable():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ke-hoach.txt", "KẾ HOẠCH")
    with pytest.raises(UnreadableDocument, match="không phải tệp Word"):
        import_file("ke-hoach.docx", buffer.getvalue())


def test_a_soft_line_break_inside_a_paragraph_is_joined_without_warning():
    document = docx.Document()
    for text in ["KẾ HOẠCH", "Bình đẳng giới năm 2026 của xã Sơn Hải", "I. NỘI DUNG", "1. Truyền thông"]:
        document.add_paragraph(text)
    paragraph = document.add_paragraph("- Tổ chức tuyên truyền về hôn nhân và gia")
    paragraph.add_run().add_break()
    paragraph.add_run("đình trên loa truyền thanh.")
    buffer = io.BytesIO()
    document.save(buffer)
    result = import_docx(buffer.getvalue())
    assert result.document.content_areas[0].tasks[0].text == (
        "Tổ chức tuyên truyền về hôn nhân và gia đình trên loa truyền thanh.")
    assert "line_joined" not in {w.code for w in result.warnings}


def test_a_merged_table_cell_is_read_once():
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    merged = table.cell(0, 0).merge(table.cell(0, 1))
    merged.text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    table.cell(1, 0).text = "Số: 12/KH-UBND"
    table.cell(1, 1).text = "Sơn Hải, ngày 20 tháng 5 năm 2026"
    buffer = io.BytesIO()
    document.save(buffer)
    assert [(line.number, line.text) for line in docx_lines(buffer.getvalue())] == [
        (1, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), (2, "Số: 12/KH-UBND"), (3, "Sơn Hải, ngày 20 tháng 5 năm 2026")]

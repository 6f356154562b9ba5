"""What the importer accepts: file kinds and encodings; what it refuses, and how it says so."""
import codecs
import unicodedata

import pytest

from services.plans.importer import NotAPlan, UnreadableDocument, import_file, import_text
from tests.unit.importer.conftest import fixture_text

WARD = "ke-hoach-phuong-dong-ngan-2026.txt"


@pytest.fixture(scope="module")
def ward_result():
    return import_text(fixture_text(WARD))


@pytest.mark.parametrize("filename, data", [
    ("ke-hoach.txt", fixture_text(WARD).encode("utf-8")),
    ("KE-HOACH.TXT", fixture_text(WARD).encode("utf-8")),
    ("ke-hoach", fixture_text(WARD).encode("utf-8")),
    ("ke-hoach.text", codecs.BOM_UTF8 + fixture_text(WARD).encode("utf-8")),
    ("ke-hoach.txt", fixture_text(WARD).encode("utf-16")),  # with its byte order mark
    ("ke-hoach.txt", codecs.BOM_UTF16_BE + fixture_text(WARD).encode("utf-16-be")),
    ("ke-hoach.txt", fixture_text(WARD).replace("\n", "\r\n").encode("utf-8")),
])
def test_text_files_in_any_unicode_encoding_give_the_same_draft(filename, data, ward_result):
    result = import_file(filename, data)
    assert result.document == ward_result.document
    assert result.warnings == ward_result.warnings


def test_decomposed_unicode_is_normalised_to_nfc(ward_result):
    decomposed = unicodedata.normalize("NFD", fixture_text(WARD))
    assert import_text(decomposed).document == ward_result.document


@pytest.mark.parametrize("filename, data, says", [
    ("ke-hoach.txt", b"", "trống"),
    ("ke-hoach.txt", b"  \r\n\n ", "trống"),
    ("ke-hoach.docx", b"", "trống"),
    ("ke-hoach.txt", bytes(range(256)) * 4, "UTF-8"),
    ("ke-hoach.txt", b"K\xd5 ho\xb9ch\n", "TCVN3"),  # 'Kế hoạch' in the old TCVN3 (ABC) encoding
    ("ke-hoach.txt", b"\x00\x01\x02KE HOACH\x00", "ký tự điều khiển"),
    ("ke-hoach.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), ".doc"),
    ("ke-hoach.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
    ("ke-hoach.docx", b"not a zip at all", ".docx"),
    ("ke-hoach.odt", b"plain text", "không được hỗ trợ"),
])
def test_unreadable_input_is_refused_with_a_vietnamese_reason(filename, data, says):
    with pytest.raises(UnreadableDocument) as error:
        import_file(filename, data)
    assert says in str(error.value)
    assert isinstance(error.value, ValueError)


def test_empty_text_is_unreadable():
    with pytest.raises(UnreadableDocument, match="trống"):
        import_text("\n \n")


def test_a_letter_is_not_a_plan():
    with pytest.raises(NotAPlan) as error:
        import_text(fixture_text("cong-van-son-hai-bao-cao-binh-dang-gioi.txt"))
    assert str(error.value) == ("Văn bản không phải là kế hoạch: không tìm thấy tiêu đề “KẾ HOẠCH” "
                                "(văn bản có vẻ là công văn).")


@pytest.mark.parametrize("text, says", [
    ("Hôm nay trời đẹp.\nChúng tôi đi chơi công viên.\n", "không tìm thấy tiêu đề “KẾ HOẠCH”."),
    ("UBND XÃ SƠN HẢI\n\nQUYẾT ĐỊNH\nVề việc kiện toàn Ban vì sự tiến bộ của phụ nữ\n\nI. THÀNH PHẦN\n- Ông A.\n",
     "(văn bản có vẻ là quyết định)"),
    ("KẾ HOẠCH\nTổ chức Tháng hành động vì bình đẳng giới\n\nCác đơn vị thực hiện nghiêm túc.\n",
     "không có các phần đánh số La Mã"),
    ("KẾ HOẠCH\nTổ chức hội nghị\n\nI. GIỚI THIỆU\nMột đoạn văn.\n", "không có phần nào của một kế hoạch"),
])
def test_texts_without_a_plan_structure_are_not_plans(text, says):
    with pytest.raises(NotAPlan) as error:
        import_text(text)
    assert says in str(error.value)


def test_a_plan_heading_without_a_title_is_not_a_plan():
    with pytest.raises(NotAPlan, match="trích yếu"):
        import_text("KẾ HOẠCH\nI. MỤC ĐÍCH, YÊU CẦU\n- Nâng cao nhận thức.\n")


def test_a_part_beyond_the_model_limits_is_refused_with_the_part_named():
    too_long_funding = fixture_text(WARD).replace("III. KINH PHÍ THỰC HIỆN",
                                                  "III. KINH PHÍ THỰC HIỆN\n" + "Nguồn kinh phí. " * 400)
    with pytest.raises(UnreadableDocument, match="phần kinh phí vượt giới hạn"):
        import_text(too_long_funding)

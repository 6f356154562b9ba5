"""Attachments are what their name says, detected from their content; executables and web pages are
refused under any name. Each case is an attack that got through when only the first bytes were read."""
import io

import openpyxl
import pytest

from services.common.errors import AppError
from services.plans.attachments import DOCX, PDF, PNG, TEXT, XLSX, check, content_disposition
from tests.support.docx_packages import archive, package, paragraph

GOOD_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
GOOD_PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
            b"\x89\x00\x00\x00\x00IEND\xaeB`\x82")
GOOD_DOCX = package(paragraph("Biên bản họp"))
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def workbook() -> bytes:
    buffer = io.BytesIO()
    book = openpyxl.Workbook()
    book.create_sheet("Chỉ tiêu")["A1"] = "Phụ nữ"
    book.save(buffer)
    return buffer.getvalue()


def refusal(filename: str, declared: str, data: bytes) -> tuple[int, str]:
    with pytest.raises(AppError) as refused:
        check(filename, declared, data)
    assert filename.encode() not in refused.value.message.encode()  # never echoed
    return refused.value.status, refused.value.code


@pytest.mark.parametrize("filename,declared,data,detected", [
    ("bien-ban.pdf", "application/pdf", GOOD_PDF, PDF),
    ("anh.PNG", "image/png", GOOD_PNG, PNG),
    ("bao-cao.docx", DOCX, GOOD_DOCX, DOCX),
    ("so-lieu.xlsx", XLSX, workbook(), XLSX),
    ("ghi-chu.txt", "text/plain", "Đã tổ chức 3 buổi tuyên truyền <5 người>.\n".encode(), TEXT),
    ("bien-ban.pdf", "application/octet-stream", GOOD_PDF, PDF),  # curl -F without a type
])
def test_real_files_are_accepted_with_the_type_of_their_content(filename, declared, data, detected):
    assert check(filename, declared, data) == detected


@pytest.mark.parametrize("filename,declared,data,expected", [
    # the attacks
    ("invoice.exe", "application/pdf", b"%PDF-" + EXECUTABLE, (415, "attachment_type")),
    ("invoice.pdf", "application/pdf", b"%PDF-" + EXECUTABLE, (415, "attachment_mismatch")),
    ("ghi-chu.txt", "text/plain", b"<html><body><script>fetch('/v1/cases')</script></body></html>",
     (415, "attachment_dangerous")),
    ("bao-cao.docx", DOCX, archive({"payload.js": "alert(1)"}), (415, "attachment_mismatch")),
    # the same ideas, elsewhere
    ("bao-cao.docx", DOCX, workbook(), (415, "attachment_mismatch")),  # an Office file, but not Word
    ("so-lieu.xlsx", XLSX, GOOD_DOCX, (415, "attachment_mismatch")),
    ("bao-cao.docx", DOCX, package(paragraph("x"), parts={"word/vbaProject.bin": b"\x00"}),
     (415, "attachment_dangerous")),
    ("anh.png", "image/png", EXECUTABLE, (415, "attachment_dangerous")),
    ("ghi-chu.txt", "text/plain", b"\x7fELF\x02\x01\x01" + b"\x00" * 100, (415, "attachment_dangerous")),
    ("ghi-chu.txt", "text/plain", b"#!/bin/sh\nrm -rf /\n", (415, "attachment_dangerous")),
    ("ghi-chu.txt", "text/plain", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
     (415, "attachment_dangerous")),
    ("ghi-chu.txt", "text/plain", b"Xem t\xe1i li\xeau", (415, "attachment_mismatch")),  # not UTF-8
    ("ghi-chu.txt", "text/plain", b"text\x00with\x01controls", (415, "attachment_mismatch")),
    ("anh.png", "image/png", GOOD_PDF, (415, "attachment_mismatch")),
    ("anh.png", "image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, (415, "attachment_mismatch")),  # no chunks
    ("trang.html", "text/html", b"<p>x</p>", (415, "attachment_type")),
    ("anh.svg", "image/svg+xml", b"<svg/>", (415, "attachment_type")),
    ("bien-ban.pdf", "text/html", GOOD_PDF, (415, "attachment_type")),  # declared and named differently
    ("khong-duoi", "application/pdf", GOOD_PDF, (415, "attachment_type")),
    ("rong.pdf", "application/pdf", b"", (400, "attachment_empty")),
])
def test_attacks_are_refused_without_echoing_the_name(filename, declared, data, expected):
    assert refusal(filename, declared, data) == expected


def test_downloads_are_attachments_named_in_utf8_with_an_ascii_fallback():
    assert content_disposition('Biên bản "họp" Đoàn.pdf') == (
        "attachment; filename=\"Bien ban hop Doan.pdf\"; "
        "filename*=UTF-8''Bi%C3%AAn%20b%E1%BA%A3n%20%22h%E1%BB%8Dp%22%20%C4%90o%C3%A0n.pdf")

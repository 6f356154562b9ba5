"""How an administrative document words its header lines (Nghị định 30/2020/NĐ-CP, Phụ lục I).

Pure functions of the report's facts; the assembled report carries their results, so that the
DOCX, the XLSX and the JSON print exactly the same lines.
"""
from __future__ import annotations

import datetime as dt
import unicodedata

from services.common.admin_units import LocalityKind
from services.reporting.report_content import REPORT_SYMBOL

KIND_WORDS = {LocalityKind.COMMUNE: "xã", LocalityKind.WARD: "phường", LocalityKind.SPECIAL_ZONE: "đặc khu"}
BLANK = "      "  # where the văn thư writes the number or the day by hand on an unnumbered draft


def upper(text: str) -> str:
    return unicodedata.normalize("NFC", text.upper())


def issuing_body(kind: LocalityKind, short_name: str) -> str:
    """'UBND xã Sơn Hải', 'UBND phường Đông Ngàn', 'UBND đặc khu Cô Tô'."""
    return f"UBND {KIND_WORDS[kind]} {short_name}"


def issuing_body_lines(kind: LocalityKind, short_name: str) -> list[str]:
    """The header's left column: the committee's full name, in capitals, on two lines."""
    return ["ỦY BAN NHÂN DÂN", upper(f"{KIND_WORDS[kind]} {short_name}")]


def number_line(number: str | None, symbol: str = REPORT_SYMBOL) -> str:
    """'Số: 125/BC-UBND'; an unnumbered draft leaves the number blank."""
    return f"Số: {number}/{symbol}" if number else f"Số:{BLANK}/{symbol}"


def date_words(day: dt.date) -> str:
    """'ngày 05 tháng 12 năm 2026': days below 10 and months below 3 take a leading zero (NĐ 30, Phụ lục I)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_date_line(place: str, day: dt.date | None, year: int) -> str:
    """'Sơn Hải, ngày 05 tháng 12 năm 2026'; undated: 'Sơn Hải, ngày      tháng      năm 2026'."""
    if day is None:
        return f"{place}, ngày{BLANK}tháng{BLANK}năm {year}"
    return f"{place}, {date_words(day)}"


def short_date(day: dt.date) -> str:
    """'14/5/2026', as a citation writes a document's date."""
    return f"{day.day}/{day.month}/{day.year}"


def citation(kind: str, number: str | None, symbol: str | None, day: dt.date | None,
             issuing_body_name: str | None) -> str:
    """'Kế hoạch số 169/KH-UBND ngày 14/5/2026 của UBND tỉnh Bắc Ninh'; the parts a document lacks are left out."""
    words = [kind]
    if number and symbol:
        words.append(f"số {number}/{symbol}")
    elif number:
        words.append(f"số {number}")
    if day is not None:
        words.append(f"ngày {short_date(day)}")
    if issuing_body_name:
        words.append(f"của {issuing_body_name}")
    return " ".join(words)


def report_summary(year: int, kind: LocalityKind, short_name: str) -> str:
    """Trích yếu of the yearly report."""
    return (f"Kết quả thực hiện công tác bình đẳng giới và vì sự tiến bộ của phụ nữ năm {year} "
            f"trên địa bàn {KIND_WORDS[kind]} {short_name}")

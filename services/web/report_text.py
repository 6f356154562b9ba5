"""The commune officer's part of the commune report (sections V-VII): the form's fields, what they become in
reporting's `PUT .../report/text`, and the words the report page shows for the report's state.

A section is written in one textarea, a paragraph per line; reporting keeps it as a list of paragraphs
(at most `MAX_PARAGRAPHS`, each at most `MAX_PARAGRAPH` characters, as `services.reporting.schemas.OfficerTextIn`
says). A PUT replaces the whole text, so what the form does not show (the free text of sections I-IV, the
recipients, the signature) is sent back as the latest version has it.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

MAX_PARAGRAPHS = 50
MAX_PARAGRAPH = 4000


@dataclass(frozen=True)
class Section:
    name: str  # the field of OfficerTextIn, also the form field's name
    label: str


SECTIONS = (
    Section("achievements", "V.1. Kết quả đạt được"),
    Section("shortcomings", "V.2. Tồn tại, hạn chế"),
    Section("causes", "V.3. Nguyên nhân"),
    Section("next_year", "VI. Phương hướng, nhiệm vụ năm sau"),
    Section("proposals", "VII. Đề xuất, kiến nghị"),
)
HINT = f"Mỗi dòng là một đoạn văn; tối đa {MAX_PARAGRAPHS} đoạn, mỗi đoạn tối đa 4.000 ký tự."

STATE_LABELS = {"draft": "Dự thảo", "approved": "Đã được Chủ tịch UBND xã phê duyệt",
                "submitted": "Đã gửi Sở Nội vụ", "accepted": "Sở Nội vụ đã tiếp nhận",
                "returned": "Sở Nội vụ đã trả lại, chờ gửi lại"}
EDITABLE_STATES = {"draft", "returned"}
FORMATS = {"docx": "Văn bản Word (DOCX)", "xlsx": "Phụ lục số liệu (XLSX)"}


def paragraphs_of(text: str) -> list[str]:
    """A textarea's text as paragraphs: one per non-empty line, trimmed, in NFC."""
    normal = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return [line.strip() for line in normal.split("\n") if line.strip()]


def values_of(content: dict[str, Any] | None) -> dict[str, str]:
    """A text version's content as the form's values."""
    content = content or {}
    return {section.name: "\n".join(content.get(section.name) or []) for section in SECTIONS}


def validate(form: dict[str, str]) -> tuple[dict[str, list[str]], dict[str, str]]:
    """The sections' paragraphs from the submitted form, and an error (in Vietnamese) per field that is wrong."""
    sections: dict[str, list[str]] = {}
    errors: dict[str, str] = {}
    for section in SECTIONS:
        paragraphs = paragraphs_of(form.get(section.name, ""))
        too_long = [number for number, text in enumerate(paragraphs, 1) if len(text) > MAX_PARAGRAPH]
        if too_long:
            length = number(len(paragraphs[too_long[0] - 1]))
            errors[section.name] = (f"Đoạn {too_long[0]} dài {length} ký tự, quá {number(MAX_PARAGRAPH)} ký tự "
                                    "cho phép. Hãy chia thành nhiều dòng.")
        elif len(paragraphs) > MAX_PARAGRAPHS:
            errors[section.name] = f"Có {len(paragraphs)} đoạn, quá {MAX_PARAGRAPHS} đoạn cho phép."
        sections[section.name] = paragraphs
    return sections, errors


def body_of(latest: dict[str, Any] | None, sections: dict[str, list[str]]) -> dict[str, Any]:
    """The body of `PUT .../report/text`: the latest version's content with the form's sections in place."""
    body = {key: value for key, value in (latest or {}).items() if value is not None}
    body.update(sections)
    return body


def field_errors(answer: Any) -> dict[str, str]:
    """A service's 422 as errors next to the form's fields (`fields[].field` like `body.achievements.0`)."""
    names = {section.name for section in SECTIONS}
    errors: dict[str, str] = {}
    if isinstance(answer, dict) and isinstance(answer.get("error"), dict):
        for item in answer["error"].get("fields") or []:
            parts = str(item.get("field", "")).split(".")
            found = next((part for part in parts if part in names), None)
            if found and found not in errors:
                errors[found] = "Nội dung không hợp lệ: hãy kiểm tra độ dài của từng đoạn."
    return errors


def number(value: Any) -> str:
    """A figure as Vietnamese print writes it: 2.100; 12,5; an empty value as a dash."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    return f"{float(value):,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".").rstrip("0").rstrip(",")


def percent(rate: float | None) -> str:
    return "—" if rate is None else number(round(rate * 100, 1)) + "%"

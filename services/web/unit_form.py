"""The commune officer's unit directory form: the fields of a unit, the body plans takes (POST .../units to add,
PATCH .../units/<code> to change), and plans' field errors put back next to the form's fields.

Field names: code, name, unit_type, active_from, active_to, and for each contact row i: contact-<i>-role,
contact-<i>-channel, contact-<i>-address. Adding takes every field; changing takes what plans lets change (the
name, the day the unit is dissolved, the contacts): the code, type and founding day stay as registered.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from services.web.service_fields import field_errors

UNIT_TYPES = {
    "department": "Phòng chuyên môn", "office": "Văn phòng HĐND và UBND",
    "service_centre": "Trung tâm cung ứng dịch vụ", "health_station": "Trạm y tế", "school": "Trường học",
    "police": "Công an xã", "front_organisation": "Ủy ban MTTQ", "mass_organisation": "Tổ chức chính trị - xã hội",
    "village": "Thôn, tổ dân phố", "other": "Khác"}
CONTACT_ROLES = {"reporting_officer": "Người báo cáo của đơn vị", "head": "Thủ trưởng đơn vị",
                 "commune_officer": "Công chức văn hoá - xã hội", "commune_leader": "Lãnh đạo UBND xã",
                 "case_worker": "Người xử lý vụ việc"}
CHANNELS = {"in_app": "Trong hệ thống", "email": "Thư điện tử", "sms": "Tin nhắn SMS", "zalo": "Zalo"}
CODE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9 .-]{8,15}$")
FIELDS = ("code", "name", "unit_type", "active_from", "active_to")
# what the form says about a field plans refused without a Vietnamese reason (pydantic's messages are English)
FIELD_PROBLEMS = {"code": "Mã đơn vị chỉ gồm chữ, số, '.', '_' hoặc '-' (tối đa 64 ký tự).",
                  "name": "Vui lòng nhập tên đơn vị (tối đa 300 ký tự).", "unit_type": "Vui lòng chọn loại đơn vị.",
                  "active_from": "Ngày không hợp lệ.", "active_to": "Ngày không hợp lệ.",
                  "contact_points": "Đầu mối liên hệ không hợp lệ.", "contact": "Đầu mối liên hệ không hợp lệ."}


def contact_rows(unit: dict[str, Any] | None, spare: int = 1) -> int:
    """How many contact rows the form shows: the unit's contacts and `spare` empty ones (at least two)."""
    return max(2, len((unit or {}).get("contact_points", [])) + spare)


def values_of(unit: dict[str, Any]) -> dict[str, str]:
    """A unit of plans' directory as the form's values."""
    values = {name: str(unit.get(name) or "") for name in FIELDS}
    for i, contact in enumerate(unit.get("contact_points", [])):
        for part in ("role", "channel", "address"):
            values[f"contact-{i}-{part}"] = contact.get(part) or ""
    return values


def body_of(submitted: dict[str, str], rows: int, *, new: bool) -> tuple[dict[str, Any], dict[str, str]]:
    """(the body for plans, errors by field): POST .../units when `new`, else PATCH .../units/<code>."""
    values = {name: value.strip() for name, value in submitted.items()}
    errors: dict[str, str] = {}
    body: dict[str, Any] = {}
    name = values.get("name", "")
    if not name or len(name) > 300:
        errors["name"] = FIELD_PROBLEMS["name"]
    body["name"] = name
    if new:
        if not CODE.fullmatch(values.get("code", "")):
            errors["code"] = FIELD_PROBLEMS["code"]
        if values.get("unit_type", "") not in UNIT_TYPES:
            errors["unit_type"] = FIELD_PROBLEMS["unit_type"]
        body.update(code=values.get("code", ""), unit_type=values.get("unit_type", ""))
    days = {}
    for field in (("active_from", "active_to") if new else ("active_to",)):
        text = values.get(field, "")
        if text:
            try:
                days[field] = dt.date.fromisoformat(text)
            except ValueError:
                errors[field] = "Vui lòng nhập ngày theo dạng năm-tháng-ngày, ví dụ 2026-06-30."
        body[field] = text or None
    if "active_from" in days and "active_to" in days and days["active_to"] < days["active_from"]:
        errors["active_to"] = "Ngày giải thể không được trước ngày thành lập."
    body["contact_points"] = _contacts(values, rows, errors)
    return body, errors


def _contacts(values: dict[str, str], rows: int, errors: dict[str, str]) -> list[dict[str, Any]]:
    contacts = []
    for i in range(rows):
        role, channel = values.get(f"contact-{i}-role", ""), values.get(f"contact-{i}-channel", "")
        address = values.get(f"contact-{i}-address", "")
        if not (role or channel or address):
            continue
        if role not in CONTACT_ROLES:
            errors[f"contact-{i}-role"] = "Vui lòng chọn vai trò của đầu mối."
        if channel not in CHANNELS:
            errors[f"contact-{i}-channel"] = "Vui lòng chọn kênh liên hệ."
        elif channel == "email" and not EMAIL.fullmatch(address):
            errors[f"contact-{i}-address"] = "Vui lòng nhập địa chỉ thư điện tử của đơn vị, ví dụ vhxh@sonhai.gov.vn."
        elif channel in ("sms", "zalo") and not PHONE.fullmatch(address):
            errors[f"contact-{i}-address"] = "Vui lòng nhập số điện thoại của đơn vị (8–15 chữ số)."
        elif len(address) > 200:
            errors[f"contact-{i}-address"] = "Địa chỉ dài quá 200 ký tự."
        contacts.append({"role": role, "channel": channel, "address": address or None})
    return contacts


def service_errors(answer: Any) -> dict[str, str]:
    """Plans' field errors (`error.fields`) next to the form's fields."""
    return field_errors(answer, _field_of, lambda name: FIELD_PROBLEMS.get(name.split("-")[0], "Giá trị không hợp lệ."))


def _field_of(path: list[str]) -> str | None:
    if path[0] == "contact_points" and len(path) > 2 and path[1].isdigit():
        return f"contact-{path[1]}-{path[2]}"
    return path[0] if path[0] in FIELD_PROBLEMS else None

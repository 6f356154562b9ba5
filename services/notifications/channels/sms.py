"""SMS through a brandname gateway's HTTP API (Vietnamese providers take a POST with number, text and brand).

The URL, the body format (JSON or form), the field names and the credentials are settings (`SMS_*`), so one
channel fits several providers. Many brandname routes accept only unaccented text: with `SMS_STRIP_DIACRITICS`
the text loses its diacritics (đ → d). A text longer than the gateway's limit is split into numbered parts
sent one after another, or shortened, as `SMS_LONG_TEXT` says.
"""
from __future__ import annotations

import json
import unicodedata
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from services.notifications.channels.base import DeliveryError
from services.notifications.channels.http_post import post

# the gateway's names for what it is sent (SMS_FIELDS overrides any of them)
DEFAULT_FIELDS = {"phone": "phone", "text": "message", "brand": "brandname", "username": "username",
                  "password": "password"}


@dataclass(frozen=True)
class SmsSettings:
    url: str
    body_format: str  # json or form
    fields: Mapping[str, str]
    username: str
    password: str
    brand: str
    strip_diacritics: bool
    max_length: int
    long_text: str  # split or shorten
    timeout: float


def strip_diacritics(text: str) -> str:
    """'Đề nghị gửi báo cáo' → 'De nghi gui bao cao' (đ and Đ have no decomposition, so they are mapped)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn"))


def fit(text: str, limit: int, long_text: str) -> list[str]:
    """The text as the gateway takes it: one part, or parts of at most `limit` characters ("(1/3) ..."),
    cut at a space where one is near; or one part shortened with "..."."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return [text]
    if long_text == "shorten":
        return [_cut(text, limit - 3)[0].rstrip() + "..."]
    prefix = len("(9/9) ")
    parts: list[str] = []
    rest = text
    while rest:
        part, rest = _cut(rest, limit - prefix)
        parts.append(part)
    if len(parts) > 9:
        parts = parts[:8] + [_cut(" ".join(parts[8:]), limit - prefix - 3)[0] + "..."]
    return [f"({i}/{len(parts)}) {part}" for i, part in enumerate(parts, 1)]


def _cut(text: str, size: int) -> tuple[str, str]:
    if len(text) <= size:
        return text, ""
    space = text.rfind(" ", size // 2, size + 1)
    at = space if space > 0 else size
    return text[:at].rstrip(), text[at:].lstrip()


class SmsChannel:
    name = "sms"
    contact = "phone"

    def __init__(self, settings: SmsSettings):
        self.settings = settings

    def send(self, address: str | None, content: Mapping[str, Any]) -> str:
        if not address:
            raise DeliveryError("no phone number", permanent=True)
        s = self.settings
        text = strip_diacritics(content["text"]) if s.strip_diacritics else content["text"]
        answers = [self._post(address, part) for part in fit(text, s.max_length, s.long_text)]
        return " | ".join(answers)[:300]

    def _post(self, phone: str, text: str) -> str:
        s = self.settings
        values = {"phone": phone, "text": text, "brand": s.brand, "username": s.username, "password": s.password}
        payload = {s.fields[name]: value for name, value in values.items() if value and s.fields.get(name)}
        if s.body_format == "json":
            body, kind = json.dumps(payload, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8"
        else:
            body, kind = urllib.parse.urlencode(payload).encode("ascii"), "application/x-www-form-urlencoded"
        return post(s.url, body, {"Content-Type": kind}, s.timeout).body

"""Texts of the notifications, in Vietnamese, rendered with Jinja2 (autoescaped for HTML).

Each kind has one template, `kinds/<kind>.txt.j2`, with a block per way it is read: `title` (inbox title,
email subject), `body` (inbox text, the email's text), `sms` (SMS and the Zalo notice's summary). Emails wrap
title and body in `email.txt.j2` and `email.html.j2` (autoescaped: nothing in a context can add markup). Every
kind gets `commune_name`, `year` and `link`; `KINDS` lists what else each one needs, and a missing variable is
an error (StrictUndefined), not an empty space. A recipient's digest emails due together are folded into one
(`digest.txt.j2`, `digest.html.j2`). Both HTML emails extend `layout.html.j2`. Contexts carry no victim data:
case notices name the pseudonymous case code only.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import jinja2

from services.common.clock import VIETNAM

COMMON = ("commune_name", "year", "link")
KINDS: dict[str, tuple[str, ...]] = {
    "plan_issued_unit": ("plan_title", "unit_name", "task_count", "lead", "committee", "deadline"),
    "plan_issued_commune": ("plan_title", "unit_count", "deadline"),
    "plan_amended_unit": ("plan_title", "version", "unit_name", "task_count", "committee", "deadline"),
    "unit_report_returned": ("unit_name", "revision", "reason"),
    "commune_report_approved": (),
    "commune_report_submitted": (),
    "commune_report_accepted": (),
    "commune_report_returned": ("reason",),
    "commune_report_received": ("document_number", "document_date", "revision"),
    "case_urgent": ("case_code", "case_type_name", "risk_name"),
    "case_overdue": ("case_code", "deadline_name", "due_at"),
    "case_escalated": ("case_code", "authority_name", "case_type_name", "risk_name", "escalated_at"),
    "case_referred": ("case_code", "authority_name", "case_type_name", "risk_name", "referred_at"),
    "reminder_before_deadline": ("unit_name", "days_left", "deadline"),
    "reminder_after_deadline": ("unit_name", "deadline"),
    "action_month_start": ("start", "end"),
    "observance_day": ("observance_name", "day"),
    "commune_deadline": ("days_left", "deadline"),
}


def ngay(value: date | str) -> str:
    """A date as Vietnamese documents write it: 20/11/2026."""
    return (date.fromisoformat(value) if isinstance(value, str) else value).strftime("%d/%m/%Y")


def gio(value: datetime | str) -> str:
    """A moment in Vietnam's time: 14:30 20/11/2026."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(VIETNAM).strftime("%H:%M %d/%m/%Y")


_ENVIRONMENT = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent), undefined=jinja2.StrictUndefined,
    autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default_for_string=False, default=False),
    keep_trailing_newline=False)
_ENVIRONMENT.filters.update(ngay=ngay, gio=gio)


@dataclass(frozen=True)
class Rendered:
    kind: str
    title: str
    body: str
    sms: str
    link: str
    commune_name: str


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


def render(kind: str, context: Mapping[str, Any], public_url: str) -> Rendered:
    """The kind's texts for this context (`link` is a path under PUBLIC_URL)."""
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    missing = [key for key in COMMON + KINDS[kind] if key not in context]
    if missing:
        raise ValueError(f"{kind} needs {', '.join(missing)}")
    values = {**context, "link": public_url.rstrip("/") + "/" + str(context["link"]).lstrip("/")}
    template = _ENVIRONMENT.get_template(f"kinds/{kind}.txt.j2")
    blocks = {name: _nfc("".join(block(template.new_context(values))))
              for name, block in template.blocks.items()}
    return Rendered(kind=kind, title=blocks["title"], body=blocks["body"], sms=blocks["sms"], link=values["link"],
                    commune_name=str(context["commune_name"]))


def email(rendered: Rendered) -> dict[str, str]:
    """Subject, plain text and HTML of the email."""
    values = {"title": rendered.title, "body": rendered.body, "link": rendered.link,
              "commune_name": rendered.commune_name, "paragraphs": rendered.body.split("\n")}
    return {"subject": rendered.title,
            "text": unicodedata.normalize("NFC", _ENVIRONMENT.get_template("email.txt.j2").render(values)),
            "html": unicodedata.normalize("NFC", _ENVIRONMENT.get_template("email.html.j2").render(values))}


def digest_email(items: Sequence[Mapping[str, Any]], now: datetime) -> dict[str, str]:
    """One email for several (each with its title, body and link, as `email` content carries them)."""
    values = {"items": items, "commune_name": items[0]["commune_name"], "day": now.astimezone(VIETNAM).date(),
              "title": f"Tổng hợp {len(items)} thông báo"}
    return {"subject": unicodedata.normalize("NFC", f"{values['title']} ngày {ngay(values['day'])}"),
            "text": unicodedata.normalize("NFC", _ENVIRONMENT.get_template("digest.txt.j2").render(values)),
            "html": unicodedata.normalize("NFC", _ENVIRONMENT.get_template("digest.html.j2").render(values))}


def zalo_params(rendered: Rendered) -> dict[str, str]:
    """The parameters of the ZNS templates registered with Zalo (each at most 100 characters)."""
    return {"ten_don_vi": f"UBND {rendered.commune_name}"[:100], "tieu_de": rendered.title[:100],
            "noi_dung": rendered.sms[:100], "duong_dan": rendered.link[:100]}

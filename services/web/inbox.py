"""The inbox's rows from notifications' answer: unread first, newest first within each, with the time as read in
Vietnam."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from services.web.dates import time_text


@dataclass(frozen=True)
class InboxRow:
    id: str
    title: str
    body: str
    urgent: bool
    read: bool
    received: str  # "dd/mm/yyyy hh:mm", Vietnam's time


def rows(items: list[dict[str, Any]]) -> list[InboxRow]:
    made = [InboxRow(item["id"], item["title"], item["body"], bool(item["urgent"]), bool(item["read"]),
                     time_text(item["created_at"])) for item in items]
    stamps = {item["id"]: item["created_at"] for item in items}
    return sorted(made, key=lambda row: (row.read, _negated(stamps[row.id])))


def _negated(text: str) -> float:
    """Newest first: minus the moment's timestamp."""
    moment = dt.datetime.fromisoformat(text)
    return -(moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).timestamp()

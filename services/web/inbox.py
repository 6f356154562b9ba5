"""The inbox's rows from notifications' answer: unread first, newest first within each, with the time as read in
Vietnam."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from services.common.clock import VIETNAM


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
                     _local(item["created_at"])) for item in items]
    stamps = {item["id"]: item["created_at"] for item in items}
    return sorted(made, key=lambda row: (row.read, _negated(stamps[row.id])))


def _when(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _negated(text: str) -> float:
    return -_when(text).timestamp()


def _local(text: str) -> str:
    return _when(text).astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")

"""The commune's notifications as the officer's page lists them: who was told what, and how each channel fared.

Built from notifications' `GET /v1/notifications` (the commune's newest first, at most 500; a commune officer
gets none about a case, and a notification names a role or a unit, never a person). The page shows
`PAGE_SIZE` at a time (`?trang=`), and only the failed ones with `?loi=1`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from services.web.dates import time_text
from services.web.numbers import whole_number
from services.web.roles import ROLE_NAMES

PAGE_SIZE = 20
CHANNELS = {"email": "Thư điện tử", "sms": "Tin nhắn SMS", "zalo": "Zalo", "file": "Tệp (thử nghiệm)",
            "console": "Màn hình (thử nghiệm)", "in_app": "Trong ứng dụng", "webhook": "Hệ thống khác"}
DELIVERY_STATES = {"standby": "Dự phòng", "queued": "Đang chờ gửi", "retrying": "Đang thử lại", "sent": "Đã gửi",
                   "failed": "Gửi thất bại", "given_up": "Đã ngừng thử, không gửi được"}
NOTIFICATION_STATES = {"pending": "Đang gửi", "delivered": "Đã đến nơi", "failed": "Không gửi được"}
FAILED_DELIVERIES = {"failed", "given_up"}


@dataclass(frozen=True)
class DeliveryRow:
    channel: str
    state: str
    failed: bool
    attempts: int
    sent_at: str
    answer: str  # the provider's answer (carries no contact)


@dataclass(frozen=True)
class NotificationRow:
    id: str
    created_at: str
    title: str
    body: str
    recipient: str
    state: str
    failed: bool  # failed on every channel, or on one of them
    urgent: bool
    deliveries: list[DeliveryRow]


@dataclass(frozen=True)
class Listing:
    rows: list[NotificationRow]
    page: int
    pages: int
    total: int
    failed: int


def recipient_of(item: dict[str, Any]) -> str:
    role = ROLE_NAMES.get(item["recipient_role"], item["recipient_role"])
    return f"{role} · {item['recipient_unit']}" if item.get("recipient_unit") else role


def row_of(item: dict[str, Any]) -> NotificationRow:
    deliveries = [DeliveryRow(CHANNELS.get(d["channel"], d["channel"]), DELIVERY_STATES.get(d["status"], d["status"]),
                              d["status"] in FAILED_DELIVERIES, d["attempts"], time_text(d.get("sent_at")),
                              d.get("provider_answer") or "")
                  for d in item["deliveries"]]
    failed = item["status"] == "failed" or any(d.failed for d in deliveries)
    return NotificationRow(item["id"], time_text(item["created_at"]), item["title"], item["body"],
                           recipient_of(item), NOTIFICATION_STATES.get(item["status"], item["status"]), failed,
                           bool(item.get("urgent")), deliveries)


def page_number(text: str) -> int:
    return whole_number(text, 1, 999) or 1


def listing(items: list[dict[str, Any]], page: int, failed_only: bool) -> Listing:
    """One page of the notifications (the failed ones only, if asked), and how many there are."""
    rows = [row_of(item) for item in items]
    failed = sum(1 for row in rows if row.failed)
    if failed_only:
        rows = [row for row in rows if row.failed]
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    page = min(page, pages)
    return Listing(rows[(page - 1) * PAGE_SIZE: page * PAGE_SIZE], page, pages, len(rows), failed)

"""Webhooks: an event POSTed to a subscriber's URL, signed per the Standard Webhooks specification.

The `webhook-id` is the delivery's id, the same on every retry, so a receiver can drop a copy; the
signature (`standardwebhooks`) covers the id, the timestamp and the body, with the subscription's secret.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from standardwebhooks.webhooks import Webhook

from services.notifications.channels.base import DeliveryError
from services.notifications.channels.http_post import post


class WebhookChannel:
    name = "webhook"
    contact = None

    def __init__(self, timeout: float):
        self.timeout = timeout

    def send(self, address: str | None, content: Mapping[str, Any]) -> str:
        if not address:
            raise DeliveryError("no webhook URL", permanent=True)
        body: str = content["body"]
        now = datetime.now(UTC)
        signature = Webhook(content["secret"]).sign(msg_id=content["message_id"], timestamp=now, data=body)
        headers = {"Content-Type": "application/json", "webhook-id": content["message_id"],
                   "webhook-timestamp": str(int(now.timestamp())), "webhook-signature": signature}
        return f"HTTP {post(address, body.encode('utf-8'), headers, self.timeout).status}"

"""Zalo Notification Service (ZNS) over HTTPS: a template registered with Zalo, filled with parameters.

The request is Zalo's: POST {"phone", "template_id", "template_data", "tracking_id"} with the Official
Account's `access_token` header; Zalo answers 200 with `{"error": 0, ...}` on success and a negative error
code otherwise (a refusal of this message). ZNS wants the number as 84xxxxxxxxx.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from services.notifications.channels.base import DeliveryError
from services.notifications.channels.http_post import post

# Zalo's codes that are about our account or its rate, not the message: keep the message and try later
# (-124: access token invalid or expired; -32: request rate exceeded)
RETRYABLE_ERRORS = {-124, -32}


@dataclass(frozen=True)
class ZaloSettings:
    url: str
    access_token: str
    # ZNS template id for each notification kind ("default" for the others)
    template_ids: Mapping[str, str]
    timeout: float


def zns_phone(phone: str) -> str:
    digits = "".join(c for c in phone if c.isdigit())
    return "84" + digits[1:] if digits.startswith("0") else digits


class ZaloChannel:
    name = "zalo"
    contact = "phone"

    def __init__(self, settings: ZaloSettings):
        self.settings = settings

    def template_id(self, kind: str) -> str | None:
        return self.settings.template_ids.get(kind) or self.settings.template_ids.get("default")

    def send(self, address: str | None, content: Mapping[str, Any]) -> str:
        if not address:
            raise DeliveryError("no phone number", permanent=True)
        template_id = self.template_id(content["kind"])
        if not template_id:
            raise DeliveryError(f"no ZNS template for {content['kind']}", permanent=True)
        body = json.dumps({"phone": zns_phone(address), "template_id": template_id,
                           "template_data": content["params"], "tracking_id": content["message_id"]},
                          ensure_ascii=False).encode("utf-8")
        answer = post(self.settings.url, body, {"Content-Type": "application/json; charset=utf-8",
                                                "access_token": self.settings.access_token}, self.settings.timeout)
        try:
            reply = json.loads(answer.body)
            code = int(reply["error"])
        except (ValueError, KeyError, TypeError):
            raise DeliveryError(f"unreadable ZNS answer: {answer.body[:100]}", permanent=False) from None
        if code != 0:
            raise DeliveryError(f"ZNS error {code}: {str(reply.get('message', ''))[:150]}",
                                permanent=code not in RETRYABLE_ERRORS)
        return f"ZNS accepted {str((reply.get('data') or {}).get('msg_id', ''))[:64]}".strip()

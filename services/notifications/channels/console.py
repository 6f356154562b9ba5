"""The console channel (development): prints each notification."""
from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any


class ConsoleChannel:
    name = "console"
    contact = None

    def send(self, address: str | None, content: Mapping[str, Any]) -> str:
        notification = content["notification"]
        recipient = notification["recipient_role"] + (f"/{notification['recipient_unit']}"
                                                      if notification.get("recipient_unit") else "")
        print(f"[thông báo → {recipient} @ {notification['commune_code']}] {notification['title']}: "
              f"{notification['body']}", file=sys.stdout, flush=True)
        return "printed"

"""Delivery channels. The file channel appends one JSON line per notification; console prints it."""
from __future__ import annotations

import json
import sys
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from services.common.config import value_of


class FileChannel:
    name = "file"

    def __init__(self, path: str):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()

    def deliver(self, notification: dict) -> None:
        line = json.dumps(notification, ensure_ascii=False)
        with self._lock, self.path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")

    def already_delivered(self, ids: set[str]) -> set[str]:
        """Which of these notifications the file already holds (asked only for those a dead worker may have
        written: it reads the whole file)."""
        if not ids or not self.path.exists():
            return set()
        found = set()
        with self._lock, self.path.open(encoding="utf-8") as handle:
            for line in handle:
                try:
                    notification_id = json.loads(line).get("id")
                except ValueError:  # a line cut short by a worker killed while writing it
                    continue
                if notification_id in ids:
                    found.add(notification_id)
        return found


class ConsoleChannel:
    name = "console"

    def deliver(self, notification: dict) -> None:
        recipient = notification["recipient_role"] + (f"/{notification['recipient_unit']}"
                                                      if notification.get("recipient_unit") else "")
        print(f"[thông báo → {recipient} @ {notification['commune_code']}] {notification['title']}: "
              f"{notification['body']}", file=sys.stdout, flush=True)


def channel_from_config(config: Mapping[str, Any]):
    kind = value_of("NOTIFICATION_CHANNEL", config).lower()
    if kind == "console":
        return ConsoleChannel()
    if kind == "file":
        return FileChannel(config["NOTIFICATION_FILE"])
    raise ValueError(f"unknown NOTIFICATION_CHANNEL {kind!r}: use file or console")

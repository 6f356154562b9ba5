"""The file channel (development): appends one JSON line per notification."""
from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any


class FileChannel:
    name = "file"
    contact = None

    def __init__(self, path: str):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()

    def send(self, address: str | None, content: Mapping[str, Any]) -> str:
        line = json.dumps(content["notification"], ensure_ascii=False)
        with self._lock, self.path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
        return "written"

    def already_sent(self, notification_ids: set[str]) -> set[str]:
        """Which of these notifications the file already holds (asked only for deliveries a dead worker may
        have written: it reads the whole file)."""
        if not notification_ids or not self.path.exists():
            return set()
        found = set()
        with self._lock, self.path.open(encoding="utf-8") as handle:
            for line in handle:
                try:
                    notification_id = json.loads(line).get("id")
                except ValueError:  # a line cut short by a worker killed while writing it
                    continue
                if notification_id in notification_ids:
                    found.add(notification_id)
        return found


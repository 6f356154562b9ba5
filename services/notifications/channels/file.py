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


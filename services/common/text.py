"""Text no database stores: NUL characters and lone surrogates (which are not valid UTF-8).

JSON allows both (`\u0000`, `\ud800`); PostgreSQL refuses them, so they are refused at the door,
in an HTTP body as in an event, rather than failing later where the value is written.
"""
from __future__ import annotations

NUL = "nul"
SURROGATE = "surrogate"


def unstorable_text(value, path: str = "") -> tuple[str, str] | None:
    """The first (path, NUL or SURROGATE) of a string in `value`, dicts' keys and values and lists'
    items included; None when every string can be stored."""
    pending = [(path, value)]
    while pending:
        where, item = pending.pop()
        if isinstance(item, dict):
            for key, child in item.items():
                pending.append((where, key))
                pending.append((f"{where}.{key}" if where else str(key), child))
        elif isinstance(item, list):
            pending.extend((f"{where}.{index}" if where else str(index), child) for index, child in enumerate(item))
        elif isinstance(item, str):
            if "\x00" in item:
                return where, NUL
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return where, SURROGATE
    return None

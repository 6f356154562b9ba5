"""The difference between two versions of a plan document, as a list of changed paths."""
from __future__ import annotations


def diff(before, after, path: str = "") -> list[dict]:
    """Changes from `before` to `after` (JSON-like values): added, removed or changed, by path.

    Lists are compared position by position: documents are ordered, and a task moved is a change.
    """
    if isinstance(before, dict) and isinstance(after, dict):
        changes = []
        for key in list(before) + [k for k in after if k not in before]:
            child = f"{path}.{key}" if path else str(key)
            if key not in after:
                changes.append({"path": child, "kind": "removed", "before": before[key], "after": None})
            elif key not in before:
                changes.append({"path": child, "kind": "added", "before": None, "after": after[key]})
            else:
                changes.extend(diff(before[key], after[key], child))
        return changes
    if isinstance(before, list) and isinstance(after, list):
        changes = []
        for index in range(max(len(before), len(after))):
            child = f"{path}.{index}"
            if index >= len(after):
                changes.append({"path": child, "kind": "removed", "before": before[index], "after": None})
            elif index >= len(before):
                changes.append({"path": child, "kind": "added", "before": None, "after": after[index]})
            else:
                changes.extend(diff(before[index], after[index], child))
        return changes
    if before != after:
        return [{"path": path, "kind": "changed", "before": before, "after": after}]
    return []


def changed_parts(changes: list[dict]) -> list[str]:
    """Top-level parts touched by the changes, e.g. ['document.organisation', 'report_deadline']."""
    parts = []
    for change in changes:
        head = change["path"].split(".")
        part = ".".join(head[:2]) if head[0] == "document" and len(head) > 1 else head[0]
        if part not in parts:
            parts.append(part)
    return parts

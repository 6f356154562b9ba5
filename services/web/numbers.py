"""Whole numbers typed by people or put in addresses (?nam=, ?trang=, a form's version): plain ASCII digits, a few
of them, or nothing. `str.isdigit` alone lets '²' and 5,000-digit strings through, on which `int()` raises."""
from __future__ import annotations


def whole_number(text: str, low: int, high: int) -> int | None:
    """`text` as an int within [low, high], or None if it is not one (any sign, space or non-ASCII digit)."""
    if not (text.isascii() and text.isdigit() and len(text) <= len(str(high))):
        return None
    value = int(text)
    return value if low <= value <= high else None

"""Small text helpers shared by the importer: NFC, accent folding, tone-mark spelling."""
from __future__ import annotations

import re
import unicodedata

_NON_ALPHANUMERIC = re.compile(r"[^0-9a-z]+")


# Vietnamese has two accepted spellings for the tone mark of "oa", "oe", "uy": the old style puts
# it on the first vowel (hóa, thủy), the new one on the second (hoá, thuỷ). Documents mix both
# (the seed writes "Văn hoá" and "tọa đàm"), so comparisons map them to one spelling. Every pair
# is two NFC characters for two, which keeps positions in the compared text valid in the original.
def _tone_placement_pairs() -> dict[str, str]:
    """'oà' -> 'òa', 'oé' -> 'óe', 'uỷ' -> 'ủy', ... (new style -> old style)."""
    pairs = {}
    for first, second, tones_on_first, tones_on_second in (("o", "a", "òóỏõọ", "àáảãạ"),
                                                          ("o", "e", "òóỏõọ", "èéẻẽẹ"),
                                                          ("u", "y", "ùúủũụ", "ỳýỷỹỵ")):
        for old_first, new_second in zip(tones_on_first, tones_on_second, strict=True):
            pairs[first + new_second] = old_first + second
    return pairs


_TONE_PLACEMENT = _tone_placement_pairs()


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def lower_keeping_length(text: str) -> str:
    """str.lower, except for the rare characters whose lower case is longer (positions must stay valid)."""
    lowered = text.lower()
    if len(lowered) == len(text):  # nearly always: no 'İ' in the text
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def canonical_spelling(text: str) -> str:
    """Lower case, one tone-mark placement: equal for two spellings of the same Vietnamese words."""
    lowered = lower_keeping_length(nfc(text))
    for new_style, old_style in _TONE_PLACEMENT.items():
        lowered = lowered.replace(new_style, old_style)
    return lowered


def fold(text: str) -> str:
    """Accent-insensitive, punctuation-insensitive key: 'Phòng Văn hoá - Xã hội' -> 'phong van hoa xa hoi'."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    without_marks = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return _NON_ALPHANUMERIC.sub(" ", without_marks.lower()).strip()


def contains_phrase(folded_text: str, folded_phrase: str) -> bool:
    """Whole-word containment on folded text."""
    return f" {folded_phrase} " in f" {folded_text} "


def capitalise_first(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def is_upper_case_line(text: str) -> bool:
    """'TM. ỦY BAN NHÂN DÂN', 'KẾ HOẠCH': has letters and none of them lower case."""
    return any(c.isalpha() for c in text) and text == text.upper()


def snippet(text: str, length: int = 60) -> str:
    return text if len(text) <= length else text[:length].rstrip() + "…"

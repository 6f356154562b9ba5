"""Known misspellings of the plans' vocabulary, reported line by line.

This is an explicit list rather than a spell checker: a general Vietnamese dictionary would flag
names, abbreviations and the legal style of these documents, and the mistakes that matter are the
few that recur in the domain's fixed phrases (found in real plans, starting with the Sơn Hải seed).
Each entry is whole words; the tone-mark style (hoá/hóa, uỷ/ủy) does not matter.
"""
from __future__ import annotations

import dataclasses
import re

from services.plans.importer.lines import SourceLine
from services.plans.importer.result import WarningLog
from services.plans.importer.text import canonical_spelling, capitalise_first


@dataclasses.dataclass(frozen=True)
class KnownTypo:
    wrong: str
    right: str
    # words that make 'wrong' correct when they come just before it ('vấn đề tổ chức' is right)
    not_after: tuple[str, ...] = ()

    @property
    def pattern(self) -> re.Pattern:
        return re.compile(rf"(?<!\w){re.escape(canonical_spelling(self.wrong))}(?!\w)")


KNOWN_TYPOS = (
    KnownTypo("phong, chống", "phòng, chống"),
    KnownTypo("Ủy ban nhân xã", "Ủy ban nhân dân xã"),
    KnownTypo("Ủy ban nhân phường", "Ủy ban nhân dân phường"),
    KnownTypo("đề tổ chức", "để tổ chức", not_after=("vấn", "chủ", "tiêu", "đầu", "mệnh", "nan", "tựa")),
)


# compiled once: the check runs on every line of every document
_PATTERNS = [(typo, typo.pattern, {canonical_spelling(w) for w in typo.not_after}) for typo in KNOWN_TYPOS]


def report_typos(sources: list[SourceLine], log: WarningLog) -> None:
    for source in sources:
        spelled = canonical_spelling(source.text)  # same length as the text: positions carry over
        for typo, pattern, not_after in _PATTERNS:
            for match in pattern.finditer(spelled):
                previous_word = spelled[:match.start()].split()[-1:]
                if previous_word and previous_word[0] in not_after:
                    continue
                found = source.text[match.start():match.end()]
                expected = capitalise_first(typo.right) if found[:1].isupper() else typo.right
                log.add(source.number, "typo_suspected",
                        f"Nghi viết sai chính tả: “{found}”, đúng là “{expected}”.", expected=expected, found=found)

"""The plan's targets (CHỈ TIÊU): each one's value, unit of measure, baseline, and the catalogue
indicator it is ('Tỷ số giới tính khi sinh không vượt quá 109 bé trai/100 bé gái' is NQ28-YT-01)."""
from __future__ import annotations

import re

from services.plans.document import PlanTarget
from services.plans.importer.lines import Line
from services.plans.importer.result import ReferenceIndicator, WarningLog
from services.plans.importer.text import fold, snippet

# Units of measure plans write after a figure, longest first ('lượt người' before 'người').
_UNITS = sorted(("%", "bé trai/100 bé gái", "lượt người", "người", "buổi", "hoạt động", "lớp", "cuộc", "mô hình",
                 "câu lạc bộ", "hộ", "thôn", "tin, bài", "tin bài", "lượt", "đợt", "hội nghị", "trường", "đơn vị",
                 "vụ", "tổ dân phố", "xã", "phường"), key=len, reverse=True)
_NUMBER = r"\d+(?:,\d+)?"
_FIGURE = re.compile(rf"(?<![\d/.,])(?P<value>{_NUMBER})\s*(?P<unit>{'|'.join(re.escape(u) for u in _UNITS)})(?!\w)",
                     re.IGNORECASE)
# '(năm 2025: 80%)', '(năm 2025 đạt 80%)', '(năm 2025 là 112 bé trai/100 bé gái)'
_BASELINE = re.compile(rf"\s*\(\s*năm\s+(?P<year>\d{{4}})\s*(?::|đạt|là)?\s*(?P<value>{_NUMBER})[^)]*\)", re.IGNORECASE)
_MATCHING_SHARE = 0.85  # of an indicator's words a target must contain to be that indicator


def plan_targets(lines: list[Line], catalogue: list[ReferenceIndicator], log: WarningLog) -> list[PlanTarget]:
    targets: list[PlanTarget] = []
    for line in lines:
        text = line.text.rstrip(" ;.")
        baseline = _BASELINE.search(text)
        without_baseline = text[:baseline.start()] + text[baseline.end():] if baseline else text
        figure = _FIGURE.search(without_baseline)
        if figure is None:
            log.add(line.number, "target_without_value",
                    f"Chỉ tiêu “{snippet(text, 50)}” không có số liệu (ví dụ “100%”, “10 buổi”); đã nhập không có giá "
                    "trị mục tiêu, cần bổ sung.", found=snippet(text, 50))
        unit = _canonical_unit(figure["unit"]) if figure else None
        targets.append(PlanTarget(
            number=len(targets) + 1, text=line.text, name=without_baseline.strip(),
            value=_number(figure["value"]) if figure else None, unit_of_measure=unit,
            baseline=_number(baseline["value"]) if baseline else None,
            baseline_year=int(baseline["year"]) if baseline else None,
            indicator_code=_indicator(without_baseline, unit, catalogue)))
    return targets


def _number(written: str) -> float:
    return float(written.replace(",", "."))


def _canonical_unit(written: str) -> str:
    return next(unit for unit in _UNITS if unit.lower() == written.lower())


def _indicator(text: str, unit: str | None, catalogue: list[ReferenceIndicator]) -> str | None:
    """The catalogue indicator whose name the target contains (nearly) word for word, in the same unit."""
    words = set(fold(text).split())
    best, best_share = None, 0.0
    for indicator in catalogue:
        if unit is None or fold(indicator.unit_of_measure) != fold(unit):
            continue
        name_words = fold(indicator.name.split("(")[0]).split()  # '(...)' explains; the name is before it
        share = sum(word in words for word in name_words) / len(name_words) if name_words else 0.0
        if share >= _MATCHING_SHARE and share > best_share:
            best, best_share = indicator.code, share
    return best

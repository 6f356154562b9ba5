"""Post-processing of 'Tổ chức thực hiện': what each entry designates in the commune's unit directory.

Names are compared on a folded key (no accents, no punctuation, abbreviations spelled out, the
'xã'/'phường' suffix dropped), so 'Văn phòng HĐND và UBND xã' is the directory's 'Văn phòng
HĐND và UBND' and 'Trạm Y tế' is 'Trạm y tế xã'.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re

from services.plans.document import ReportingObligation, Task, UnitAssignment, UnitRole, UnitType
from services.plans.importer.result import WarningLog
from services.plans.importer.text import contains_phrase, fold
from services.plans.units import DirectoryUnit

CONFIDENT = 1.0   # the same name once folded
UNCERTAIN = 0.85  # a close name: proposed to the officer, not assigned

_REQUESTED = re.compile(r"^đề nghị\s+", re.IGNORECASE)
# The unit leads when its text says so: 'Chủ trì, phối hợp ...' or '..., chủ trì tham mưu' (a clause that
# starts with 'chủ trì'), 'Là cơ quan thường trực', 'Giao <unit> chủ trì ...', '(chủ trì)' after its name.
# 'Phối hợp với cơ quan chủ trì ...' does not: there 'chủ trì' names another unit.
_LEAD = re.compile(r"(?:^|[;.,:(]\s*)chủ trì\b|\b(?:cơ quan|đơn vị) thường trực\b"
                   r"|(?:^|[;.]\s*)giao\s+[^.;]{1,120}?\s+chủ trì\b", re.IGNORECASE)

# Abbreviations and short names of the same units, spelled out (folded, whole words).
_SPELLED_OUT = (
    ("ubnd", "uy ban nhan dan"),
    ("hdnd", "hoi dong nhan dan"),
    ("ub", "uy ban"),
    ("mttq", "mat tran to quoc"),
    ("ct xh", "chinh tri xa hoi"),
    ("vh xh", "van hoa xa hoi"),
    ("hlhpn", "hoi lien hiep phu nu"),
    ("lhpn", "lien hiep phu nu"),
    ("hoi phu nu", "hoi lien hiep phu nu"),
    ("tncs", "thanh nien cong san"),
    ("ccb", "cuu chien binh"),
    ("tyt", "tram y te"),
    ("thcs", "trung hoc co so"),
    ("thpt", "trung hoc pho thong"),
    ("th", "tieu hoc"),
    ("mn", "mam non"),
    ("ca", "cong an"),
    ("tdp", "to dan pho"),
)

# Folded phrases that tell a unit's type, checked in this order ('van phong' before 'phong').
_TYPE_PHRASES = (
    (UnitType.POLICE, ("cong an",)),
    (UnitType.HEALTH_STATION, ("tram y te", "y te")),
    (UnitType.SCHOOL, ("truong hoc", "truong mam non", "truong tieu hoc", "truong trung hoc", "mam non", "tieu hoc",
                       "trung hoc co so", "trung hoc pho thong", "cac truong")),
    (UnitType.FRONT_ORGANISATION, ("mat tran to quoc",)),
    (UnitType.MASS_ORGANISATION, ("phu nu", "thanh nien", "hoi nong dan", "cuu chien binh", "cong doan",
                                  "chinh tri xa hoi", "doan the", "nguoi cao tuoi", "chu thap do")),
    (UnitType.OFFICE, ("van phong",)),
    (UnitType.SERVICE_CENTRE, ("trung tam",)),
    (UnitType.VILLAGE, ("thon", "to dan pho", "khu pho", "khu dan cu", "xom", "ap")),
)


@dataclasses.dataclass
class UnitEntry:
    """A numbered item of 'Tổ chức thực hiện' as the parser found it."""
    line: int
    number: int   # position after correcting the document's numbering
    heading: str  # as written, without its number
    tasks: list[Task]


@dataclasses.dataclass(frozen=True)
class _Designation:
    unit_type: UnitType
    is_group: bool
    unit_codes: list[str]


def unit_key(name: str, locality_name: str = "") -> str:
    """Folded name without the locality suffix: 'Trạm Y tế xã Sơn Hải' -> 'tram y te'."""
    key = f" {fold(name)} "
    for short, spelled_out in _SPELLED_OUT:
        key = key.replace(f" {short} ", f" {spelled_out} ")
    locality = fold(locality_name)
    suffix = r"(?:\s+tren dia ban)?\s+(?:xa|phuong|thi tran)" + (rf"(?:\s+{re.escape(locality)})?" if locality else "")
    return re.sub(suffix + r"\s*$", "", key.strip())


_HAMLET = re.compile(r"(?:các\s+)?bản\b", re.IGNORECASE)  # 'bản' folds to 'ban', as in 'Ban Chỉ huy'


def unit_type_of(name: str) -> UnitType:
    if _HAMLET.match(name):
        return UnitType.VILLAGE
    folded = unit_key(name)
    if folded.startswith("phong "):
        return UnitType.DEPARTMENT
    for unit_type, phrases in _TYPE_PHRASES:
        if any(contains_phrase(folded, phrase) for phrase in phrases):
            return unit_type
    return UnitType.OTHER


def similarity(a: str, b: str) -> float:
    return 1.0 if a == b else difflib.SequenceMatcher(None, a, b).ratio()


class UnitMatcher:
    """Maps the unit names written in a plan to the directory units active on the plan's date."""

    def __init__(self, directory: list[DirectoryUnit], locality_name: str, on: dt.date | None,
                 unit_map: dict[str, str] | None = None):
        # Without a date, a unit counts while it has not been dissolved.
        self.units = [u for u in directory if (u.active_on(on) if on else u.active_to is None)]
        self.locality_name = locality_name
        self.enabled = bool(directory)  # no directory given: nothing to match, nothing to warn about
        by_code = {u.code: u for u in directory}
        # the officer's choices: a name as written (compared like names are) -> its directory unit
        self.chosen = {unit_key(name, locality_name): by_code[code] for name, code in (unit_map or {}).items()
                       if code in by_code}

    def assignments(self, entries: list[UnitEntry], reporting: ReportingObligation | None,
                    log: WarningLog) -> list[UnitAssignment]:
        through = reporting.through_unit if reporting else None
        through_key = unit_key(through, self.locality_name) if through else None
        assignments = []
        for entry in entries:
            requested = bool(_REQUESTED.match(entry.heading))
            name = _REQUESTED.sub("", entry.heading)
            designation = self._designate(name, entry.line, log)
            texts = [entry.heading, *(task.text for task in entry.tasks)]
            leads = any(_LEAD.search(text) for text in texts) or (
                through_key is not None and similarity(unit_key(name, self.locality_name), through_key) >= UNCERTAIN)
            assignments.append(UnitAssignment(
                number=entry.number, unit_name=name, unit_type=designation.unit_type,
                unit_codes=designation.unit_codes, is_group=designation.is_group, requested=requested,
                role=UnitRole.LEAD if leads else UnitRole.COORDINATING, tasks=entry.tasks))
        if assignments and not any(a.role is UnitRole.LEAD for a in assignments):
            log.add(entries[0].line, "lead_unit_missing",
                    "Không xác định được đơn vị chủ trì (không đơn vị nào “chủ trì” hoặc là đầu mối nhận báo cáo).")
        return assignments

    def _designate(self, name: str, line: int, log: WarningLog) -> _Designation:
        """The unit the officer chose for this name; 'Các thôn' -> every village; 'Ủy ban MTTQ và các tổ
        chức chính trị - xã hội' -> the Front and every mass organisation; otherwise the one directory unit
        of that name."""
        chosen = self.chosen.get(unit_key(name, self.locality_name))
        if chosen is not None:
            return _Designation(chosen.unit_type, bool(re.match(r"các\s", name, re.IGNORECASE)), [chosen.code])
        if re.match(r"các\s", name, re.IGNORECASE):
            return self._group(name, line, log)
        unit_type = unit_type_of(name)
        codes = []
        head, _, group_part = name.partition(" và các ")
        if group_part and unit_type_of("các " + group_part) is not UnitType.OTHER:
            codes = self._group("các " + group_part, line, log).unit_codes
            name = head
        match = self._match_one(name, line, log)
        if match is not None:
            unit_type, codes = match.unit_type, [match.code, *codes]
        return _Designation(unit_type, False, codes)

    def _group(self, name: str, line: int, log: WarningLog) -> _Designation:
        unit_type = unit_type_of(name)
        codes = [u.code for u in self.units if u.unit_type is unit_type] if unit_type is not UnitType.OTHER else []
        if self.enabled and not codes:
            log.add(line, "unit_not_in_directory",
                    f"Danh mục đơn vị không có đơn vị nào thuộc nhóm “{name}”; nhóm chưa được gán đơn vị.",
                    found=name)
        return _Designation(unit_type, True, codes)

    def _match_one(self, name: str, line: int, log: WarningLog) -> DirectoryUnit | None:
        if not self.enabled:
            return None
        key = unit_key(name, self.locality_name)
        scored = [(similarity(key, unit_key(u.name, self.locality_name)), u) for u in self.units]
        score, best = max(scored, key=lambda pair: pair[0], default=(0.0, None))
        if best is not None and score >= CONFIDENT:
            return best
        if best is not None and score >= UNCERTAIN:
            log.add(line, "unit_name_uncertain",
                    f"Tên đơn vị “{name}” gần giống “{best.name}” trong danh mục nhưng không trùng khớp; "
                    "chưa gán đơn vị, đề nghị kiểm tra.", expected=best.name, found=name)
        else:
            log.add(line, "unit_not_in_directory",
                    f"Không tìm thấy đơn vị “{name}” trong danh mục đơn vị của địa phương; chưa gán đơn vị.",
                    found=name)
        return None

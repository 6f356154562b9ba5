"""Dates in a plan: calendar dates, the reporting obligation and the yearly observances (key dates)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re

from services.plans.document import KeyDate, ReportingObligation
from services.plans.importer.lines import Line
from services.plans.importer.result import WarningLog
from services.plans.importer.text import canonical_spelling, capitalise_first

_NUMERIC_DATE = re.compile(r"(?<![\d/])(?P<day>\d{1,2})\s*[/.-]\s*(?P<month>\d{1,2})\s*[/.-]\s*(?P<year>\d{4})(?!\d)")
_WORDED_DATE = re.compile(r"ngày\s+(?P<day>\d{1,2})\s+tháng\s+(?P<month>\d{1,2})\s+năm\s+(?P<year>\d{4})",
                          re.IGNORECASE)


def _day_of_year(name: str) -> str:
    """'15/11', '15/12/2026' or '15 tháng 12 (năm 2026)': a day and month, a year may follow."""
    return (rf"(?<!\d)(?P<{name}_day>\d{{1,2}})(?:\s*/\s*(?P<{name}_month>\d{{1,2}})(?:\s*/\s*\d{{4}})?(?![\d/])"
            rf"|\s+tháng\s+(?P<{name}_worded_month>\d{{1,2}})(?:\s+năm\s+\d{{4}})?(?!\d))")


# '08/3', '15/11 - 15/12', 'từ ngày 15/11 đến ngày 15/12/2026', '15 tháng 11 đến 15 tháng 12 năm 2026':
# a day or a period of the year (a year written after it, as plans do, changes nothing).
_DAY_MONTH_PERIOD = re.compile(
    _day_of_year("start") + r"(?:\s*(?:-|–|đến)\s*(?:ngày\s+)?" + _day_of_year("end") + ")?", re.IGNORECASE)

# 'trước ngày 20/11', 'chậm nhất ngày 15 tháng 12': 'trước' is due before the day, 'chậm nhất' on it at the latest.
_DEADLINE = re.compile(
    r"(?P<kind>trước|chậm nhất(?: là)?)\s+(?:ngày\s+)?"
    r"(?:(?P<day>\d{1,2})\s*/\s*(?P<month>\d{1,2})(?:\s*/\s*(?P<year>\d{4}))?"
    r"|(?P<worded_day>\d{1,2})\s+tháng\s+(?P<worded_month>\d{1,2})(?:\s+năm\s+(?P<worded_year>\d{4}))?)",
    re.IGNORECASE)
# 'định kỳ 6 tháng, năm', 'định kỳ hằng quý': reports at intervals, with no day written
_PERIOD = r"(?:\d{1,2}\s+tháng|quý|năm|h[àằ]ng (?:quý|năm))"
_PERIODIC = re.compile(rf"định kỳ\s+(?P<periods>{_PERIOD}(?:\s*(?:,|và|hoặc)\s*{_PERIOD})*)", re.IGNORECASE)
_YEARLY = re.compile(r"\bh[àằ]ng năm\b", re.IGNORECASE)
_REPORT_TO = re.compile(
    r"(?:\bvề|\bgửi(?: về)?)\s+(?P<to>(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân|Văn phòng|Phòng|Sở)\b.+?)"
    r"(?=\s*\(|\s+qua\b|\s+trước\b|\s+chậm nhất\b|\s+định kỳ\b|\s+để\b|\s+theo\b|[,;.]|$)",
    re.IGNORECASE)
_THROUGH = re.compile(r"\bqua\s+(?P<through>.+?)(?=\s*\)|\s+trước\b|\s+chậm nhất\b|\s+để\b|[,;]|$)", re.IGNORECASE)
_COMPILED_FOR = re.compile(r"tổng hợp,?\s+(?:và\s+)?báo cáo\s+(?P<for>.+?)(?=\s+theo\b|\s+trước\b|[,;.(]|$)",
                           re.IGNORECASE)
_REPORT_VERB = re.compile(r"\bbáo cáo\b", re.IGNORECASE)
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")


def parse_date(text: str) -> dt.date | None:
    """The first complete date in the text, as '14/5/2026' or 'ngày 14 tháng 5 năm 2026'."""
    matches = [m for m in (_NUMERIC_DATE.search(text), _WORDED_DATE.search(text)) if m]
    if not matches:
        return None
    first = min(matches, key=lambda m: m.start())
    return make_date(int(first["year"]), int(first["month"]), int(first["day"]))


def make_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def sentences(text: str) -> list[str]:
    """Split at '. ' before an upper-case letter (a lower-case start continues the sentence)."""
    result: list[str] = []
    for piece in _SENTENCE_BREAK.split(text):
        if result and not piece[:1].isupper():
            result[-1] = f"{result[-1]} {piece}"
        else:
            result.append(piece)
    return result


# --- reporting obligation --------------------------------------------------------------------------

def is_reporting_sentence(text: str) -> bool:
    """A sentence asking for a report by a deadline or at intervals ('định kỳ 6 tháng, năm')."""
    return any(_REPORT_VERB.search(sentence) and (_DEADLINE.search(sentence) or _PERIODIC.search(sentence))
               for sentence in sentences(text))


def reporting_obligation(candidates: list[Line], default_report_to: str, heading_line: int,
                         log: WarningLog) -> ReportingObligation | None:
    """From the first sentence that asks for a report by a deadline or at intervals."""
    for line in candidates:
        for sentence in sentences(line.text):
            if not _REPORT_VERB.search(sentence):
                continue
            deadline, periodic = _DEADLINE.search(sentence), _PERIODIC.search(sentence)
            if deadline or periodic:
                return _obligation_from(sentence, deadline, periodic, line.number, default_report_to, log)
    log.add(heading_line, "reporting_missing",
            "Không tìm thấy chế độ báo cáo (báo cáo kết quả về UBND trước ngày ...); cần bổ sung hạn báo cáo.")
    return None


def _obligation_from(sentence: str, deadline: re.Match | None, periodic: re.Match | None, line: int,
                     default_report_to: str, log: WarningLog) -> ReportingObligation | None:
    day = month = year = None
    if deadline is not None:
        day = int(deadline["day"] or deadline["worded_day"])
        month = int(deadline["month"] or deadline["worded_month"])
        written_year = deadline["year"] or deadline["worded_year"]
        year = int(written_year) if written_year else None
        if make_date(year or 2024, month, day) is None:  # 2024: a leap year, so 29/2 counts as a real day
            log.add(line, "report_deadline_invalid",
                    f"Hạn báo cáo “{day}/{month}” không phải là ngày có thật; chưa nhập chế độ báo cáo.",
                    found=f"{day}/{month}")
            return None
    elif periodic is not None:
        log.add(line, "report_deadline_missing",
                f"Chế độ báo cáo “định kỳ {periodic['periods']}” không nêu ngày nộp báo cáo; hãy nhập hạn báo cáo "
                "(report_deadline) khi nhập lại văn bản.", found=f"định kỳ {periodic['periods']}")
    report_to = _REPORT_TO.search(sentence)
    if report_to is None:
        log.add(line, "reporting_recipient_missing",
                f"Chế độ báo cáo không nêu nơi nhận báo cáo; tạm ghi “{default_report_to}”.",
                expected=default_report_to)
    through = _THROUGH.search(sentence)
    compiled_for = _COMPILED_FOR.search(sentence)
    # 'Các thôn báo cáo kết quả ...' names who reports; otherwise the model's default (every unit with tasks).
    reporters = sentence[:_REPORT_VERB.search(sentence).start()].strip(" ,")  # type: ignore[union-attr]
    named_reporters = {"reporters": reporters} if reporters.lower().startswith("các ") else {}
    return ReportingObligation(
        report_to=report_to["to"] if report_to else default_report_to,
        through_unit=capitalise_first(through["through"]) if through else None,
        due_day=day, due_month=month, due_year=year,
        due_before=deadline is None or deadline["kind"].lower() == "trước",
        recurring_yearly=bool(_YEARLY.search(sentence)) or (deadline is None and periodic is not None),
        periodic=periodic["periods"] if periodic else None,
        compiled_for=compiled_for["for"] if compiled_for else None,
        text=sentence, **named_reporters)


def report_deadline(obligation: ReportingObligation | None, year: int | None) -> dt.date | None:
    if obligation is None or obligation.due_day is None or obligation.due_month is None:
        return None
    if obligation.due_year is None and year is None:
        return None
    return make_date(obligation.due_year or year or 0, obligation.due_month, obligation.due_day)


# --- key dates -------------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Observance:
    """A yearly day or period the plans refer to, with its fixed date."""
    name: str
    mention: str  # how documents name it, lower case
    start: tuple[int, int]
    end: tuple[int, int] | None = None

    def dates(self) -> str:
        start = f"{self.start[0]:02d}/{self.start[1]:02d}"
        return start if self.end is None else f"{start} - {self.end[0]:02d}/{self.end[1]:02d}"


# The national observances a gender-equality plan refers to. Their dates are fixed by law, so a
# different date written next to one is reported, not taken over.
OBSERVANCES = (
    Observance("Ngày Quốc tế Phụ nữ", "ngày quốc tế phụ nữ", (8, 3)),
    Observance("Ngày Gia đình Việt Nam", "ngày gia đình việt nam", (28, 6)),
    Observance("Ngày Phụ nữ Việt Nam", "ngày phụ nữ việt nam", (20, 10)),
    Observance("Tháng hành động vì bình đẳng giới và phòng ngừa, ứng phó với bạo lực trên cơ sở giới",
               "tháng hành động vì bình đẳng giới", (15, 11), (15, 12)),
)
_MENTIONS = re.compile("|".join(f"(?P<o{i}>{re.escape(canonical_spelling(o.mention))})"
                                for i, o in enumerate(OBSERVANCES)))
_CLAUSE_END = re.compile(r"[;.](?!\d)")
_WINDOW = 160  # characters after a mention in which its date is looked for


def key_dates(lines: list[Line], log: WarningLog) -> list[KeyDate]:
    """The observances mentioned anywhere in the plan, in calendar order."""
    found: dict[Observance, tuple[int, str | None]] = {}  # observance -> (line, date as written)
    for line in lines:
        spelled = canonical_spelling(line.text)  # same length as line.text: positions carry over
        mentions = list(_MENTIONS.finditer(spelled))
        for index, mention in enumerate(mentions):
            observance = OBSERVANCES[int((mention.lastgroup or "o0")[1:])]
            window_end = mentions[index + 1].start() if index + 1 < len(mentions) else len(spelled)
            window = line.text[mention.end():min(window_end, mention.end() + _WINDOW)]
            clause_end = _CLAUSE_END.search(window)
            period = _DAY_MONTH_PERIOD.search(window[:clause_end.start()] if clause_end else window)
            if observance not in found or (found[observance][1] is None and period):
                found[observance] = (line.number, _as_written(period) if period else None)
    for observance, (line_number, written) in found.items():
        if written is not None and _normalised_period(written) != observance.dates():
            log.add(line_number, "key_date_unusual",
                    f"“{observance.name}” là {observance.dates()} hằng năm, văn bản ghi {written}; "
                    f"đã dùng {observance.dates()}.", expected=observance.dates(), found=written)
    return sorted((KeyDate(name=o.name, start_day=o.start[0], start_month=o.start[1],
                           end_day=o.end[0] if o.end else None, end_month=o.end[1] if o.end else None)
                   for o in found), key=lambda k: (k.start_month, k.start_day))


def _as_written(period: re.Match) -> str:
    start = f"{period['start_day']}/{period['start_month'] or period['start_worded_month']}"
    if period["end_day"] is None:
        return start
    return f"{start} - {period['end_day']}/{period['end_month'] or period['end_worded_month']}"


def _normalised_period(written: str) -> str:
    return " - ".join("/".join(f"{int(part):02d}" for part in half.split("/")) for half in written.split(" - "))

"""The front of a plan: issuing body, 'Số:', place and date, the 'KẾ HOẠCH' heading, title, preamble."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re

from services.plans.document import DocumentReference, LocalityType
from services.plans.importer.dates import make_date, parse_date
from services.plans.importer.lines import Line, LineKind
from services.plans.importer.result import NotAPlan, WarningLog
from services.plans.importer.text import canonical_spelling, capitalise_first, fold, is_upper_case_line, snippet

_LOCALITY_TYPES = {"xã": LocalityType.COMMUNE, "phường": LocalityType.WARD,
                   "thị trấn": LocalityType.TOWNSHIP, "đặc khu": LocalityType.SPECIAL_ZONE}
_LOCALITY_WORD = "|".join(_LOCALITY_TYPES)
# Words that end a locality name ('xã Sơn Hải năm 2026', 'XÃ SƠN HẢI NĂM 2026').
_AFTER_NAME = {"năm", "giai", "về", "của", "trên", "trong", "và", "ban", "tỉnh", "huyện", "thành"}

_PLAN_HEADING = re.compile(r"KẾ HOẠCH(?:\s+(?P<title>.*))?")
_OTHER_DOCUMENT_HEADINGS = {"QUYẾT ĐỊNH": "quyết định", "BÁO CÁO": "báo cáo", "TỜ TRÌNH": "tờ trình",
                            "THÔNG BÁO": "thông báo", "CHƯƠNG TRÌNH": "chương trình", "CÔNG VĂN": "công văn",
                            "GIẤY MỜI": "giấy mời", "BIÊN BẢN": "biên bản"}
_LETTER_SUBJECT = re.compile(r"V/v\b", re.IGNORECASE)

_DOCUMENT_NUMBER = re.compile(r"Số\s*:?\s*(?P<number>[^/]*?)\s*/\s*(?P<symbol>\S+)", re.IGNORECASE)
_REAL_NUMBER = re.compile(r"\d+[a-zA-Z]?")
_PLACE_AND_DATE = re.compile(
    r"(?P<place>[^,]{1,80}),\s*ngày\s*(?P<day>\d{1,2})?[\s.…_]*tháng\s*(?P<month>\d{1,2})?[\s.…_]*"
    r"năm\s*(?P<year>\d{4})?\s*", re.IGNORECASE)
# 'UBND XÃ SƠN HẢI', or 'XÃ SƠN HẢI' under an 'ỦY BAN NHÂN DÂN' line of its own
_ISSUING_BODY = re.compile(rf"(?P<authority>(?:UBND|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN)\s+)?"
                           rf"(?P<type>{_LOCALITY_WORD})\s+(?P<name>.+)", re.IGNORECASE)
_LOCALITY_IN_TEXT = re.compile(rf"\b(?P<type>{_LOCALITY_WORD})\s+", re.IGNORECASE)
_YEAR_IN_TITLE = re.compile(r"\bnăm\s+(?P<year>\d{4})\b", re.IGNORECASE)
_PARENT_PLAN = re.compile(r"Kế hoạch\s+(?:số\s+)?(?P<number>\d+[a-zA-Z]?)\s*/\s*(?P<symbol>[\w.-]+)(?P<rest>[^;\n]*)",
                          re.IGNORECASE)
_ISSUED_BY = re.compile(r"\bcủa\s+(?P<body>.+?)(?=\s+về\b|\s+ngày\b|[,;]|$)")
# The parent plan's title runs to the end of its clause: a full stop, ', UBND xã ... ban hành', 'như sau'.
_ABOUT = re.compile(r"\svề\s+(?P<title>.+?)\s*(?:\.\s|\.$|,\s+(?:UBND|Ủy ban|Uỷ ban)\b|,?\s+như sau|$)")


@dataclasses.dataclass(frozen=True)
class Locality:
    type: LocalityType
    name: str
    line: int

    @property
    def issuing_body(self) -> str:
        type_word = next(word for word, value in _LOCALITY_TYPES.items() if value is self.type)
        return f"UBND {type_word} {self.name}"


@dataclasses.dataclass
class Header:
    heading_line: int
    title: str
    title_line: int
    preamble: str
    reference: DocumentReference
    place: str | None
    place_line: int | None
    locality: Locality | None
    year: int | None
    parent_plan: DocumentReference | None


def find_plan_heading(lines: list[Line]) -> int:
    """Index of the 'KẾ HOẠCH' line, which must come before the first Roman-numeral part."""
    first_part = next((i for i, line in enumerate(lines) if line.kind is LineKind.PART_HEADING), None)
    for index, line in enumerate(lines[:first_part]):
        if _PLAN_HEADING.fullmatch(line.text):
            if first_part is None:
                raise NotAPlan("Văn bản có tiêu đề “KẾ HOẠCH” nhưng không có các phần đánh số La Mã "
                               "(I. MỤC ĐÍCH, YÊU CẦU; II. NỘI DUNG ...): không nhận dạng được cấu trúc kế hoạch.")
            return index
    raise NotAPlan(f"Văn bản không phải là kế hoạch: không tìm thấy tiêu đề “KẾ HOẠCH”{_looks_like(lines)}.")


def _looks_like(lines: list[Line]) -> str:
    for line in lines[:40]:
        for heading, kind in _OTHER_DOCUMENT_HEADINGS.items():
            if line.text.startswith(heading) and is_upper_case_line(line.text):
                return f" (văn bản có vẻ là {kind})"
        if _LETTER_SUBJECT.match(line.text):
            return " (văn bản có vẻ là công văn)"
    return ""


def parse_header(lines: list[Line], heading_index: int, first_part_index: int, log: WarningLog) -> Header:
    heading = lines[heading_index]
    front = _parse_front(lines[:heading_index], heading, log)
    title_line, title, preamble_start = _title(lines, heading_index, first_part_index)
    if not title:
        raise NotAPlan("Văn bản có tiêu đề “KẾ HOẠCH” nhưng không có trích yếu (tên kế hoạch).")
    preamble = "\n".join(line.text for line in lines[preamble_start:first_part_index])
    locality = _locality_in(title, title_line) or _locality_in(preamble, title_line) or front.locality
    if locality is None:
        log.add(title_line, "locality_missing",
                "Không xác định được tên xã/phường ban hành kế hoạch (tiêu đề và phần mở đầu không nêu).")
    else:
        _check_front_against(front, locality, log)
    year_match = list(_YEAR_IN_TITLE.finditer(title))
    year = int(year_match[-1]["year"]) if year_match else front.year
    return Header(heading_line=heading.number, title=title, title_line=title_line, preamble=preamble,
                  reference=front.reference, place=front.place, place_line=front.place_line,
                  locality=locality, year=year, parent_plan=_parent_plan(preamble))


@dataclasses.dataclass
class _Front:
    """What the lines above 'KẾ HOẠCH' say."""
    number: str | None = None
    symbol: str | None = None  # set when there is a 'Số:' line, even one without a number
    issue_date: dt.date | None = None
    place: str | None = None
    place_line: int | None = None
    year: int | None = None
    locality: Locality | None = None

    @property
    def reference(self) -> DocumentReference:
        return DocumentReference(number=self.number, symbol=self.symbol, date=self.issue_date, issuing_body=None,
                                 title=None)


def _parse_front(front_lines: list[Line], heading: Line, log: WarningLog) -> _Front:
    """Lines above 'KẾ HOẠCH': issuing body, national motto, 'Số: .../KH-UBND', place and date."""
    front = _Front()
    for line in front_lines:
        text = line.text
        if match := _DOCUMENT_NUMBER.fullmatch(text):
            front.symbol = match["symbol"]
            if _REAL_NUMBER.fullmatch(match["number"]):
                front.number = match["number"]
            else:
                log.add(line.number, "document_number_missing",
                        "Văn bản chưa có số (dòng “Số:” để trống); cần cấp số khi ban hành.", found=text)
        elif match := _PLACE_AND_DATE.fullmatch(text):
            front.place, front.place_line = match["place"].strip(), line.number
            front.year = int(match["year"]) if match["year"] else None
            front.issue_date = _issue_date(match, line.number, log)
        elif (match := _ISSUING_BODY.fullmatch(text)) and (match["authority"] or is_upper_case_line(text)):
            front.locality = Locality(_LOCALITY_TYPES[match["type"].lower()], _name_case(match["name"]), line.number)
        elif not _is_letterhead(text):
            log.add(line.number, "text_not_placed",
                    f"Dòng ở phần đầu văn bản không thuộc thành phần nào đã biết: “{snippet(text)}”.", found=text)
    if front.symbol is None:
        log.add(heading.number, "document_number_missing",
                "Văn bản không có dòng “Số: .../KH-UBND”; cần cấp số khi ban hành.")
    if front.place_line is None:
        log.add(heading.number, "issue_date_missing",
                "Văn bản không có dòng địa danh, ngày tháng năm ban hành (ví dụ “Sơn Hải, ngày 20 tháng 5 năm 2026”).")
    return front


def _issue_date(match: re.Match, line: int, log: WarningLog) -> dt.date | None:
    written = match.string[match.end("place") + 1:].strip()
    if not (match["day"] and match["month"] and match["year"]):
        log.add(line, "issue_date_incomplete",
                f"Ngày ban hành chưa đầy đủ (“{written}”): thiếu "
                + ", ".join(part for part, value in (("ngày", match["day"]), ("tháng", match["month"]),
                                                     ("năm", match["year"])) if not value) + ".",
                expected="ngày … tháng … năm …", found=written)
        return None
    date = make_date(int(match["year"]), int(match["month"]), int(match["day"]))
    if date is None:
        log.add(line, "issue_date_invalid", f"Ngày ban hành “{written}” không phải là ngày có thật.",
                found=written)
    return date


def _is_letterhead(text: str) -> bool:
    """National motto, the superior body, 'DỰ THẢO', separator lines: nothing to import."""
    folded = fold(text)
    return (folded in ("", "uy ban nhan dan", "ubnd")
            or folded.startswith(("cong hoa xa hoi chu nghia viet nam", "doc lap tu do hanh phuc", "du thao",
                                  "ubnd tinh", "uy ban nhan dan tinh", "ubnd huyen", "uy ban nhan dan huyen")))


def _title(lines: list[Line], heading_index: int, first_part_index: int) -> tuple[int, str, int]:
    """(line, title, index where the preamble starts). The title follows 'KẾ HOẠCH' or shares its line;
    a title written in capitals may run over several lines."""
    heading = lines[heading_index]
    heading_match = _PLAN_HEADING.fullmatch(heading.text)
    on_heading_line = heading_match["title"] if heading_match else None
    if on_heading_line:
        return heading.number, on_heading_line, heading_index + 1
    first = heading_index + 1
    if first >= first_part_index:
        return heading.number, "", first
    end = first + 1
    if is_upper_case_line(lines[first].text):
        while end < first_part_index and lines[end].kind is LineKind.TEXT and is_upper_case_line(lines[end].text):
            end += 1
    return lines[first].number, " ".join(line.text for line in lines[first:end]), end


def _name_case(name: str) -> str:
    return name.title() if is_upper_case_line(name) else name


def _locality_in(text: str, line: int) -> Locality | None:
    """'... trên địa bàn xã Sơn Hải năm 2026' -> xã Sơn Hải (the first locality word followed by a name).

    In mixed case the locality word is lower case: 'Xã hội' is not a locality."""
    in_capitals = is_upper_case_line(text)
    for match in _LOCALITY_IN_TEXT.finditer(text):
        if match["type"] != match["type"].lower() and not in_capitals:
            continue
        words = []
        for token in text[match.end():].split():
            word = token.rstrip(",.;:)")
            if not word or word.lower() in _AFTER_NAME or not (word[0].isupper() or word.isdigit()):
                break
            words.append(word)
            if word != token:
                break
        if words:
            return Locality(_LOCALITY_TYPES[match["type"].lower()], _name_case(" ".join(words)), line)
    return None


def _check_front_against(front: _Front, locality: Locality, log: WarningLog) -> None:
    if front.locality is None:
        log.add(1, "issuing_body_missing",
                f"Đầu văn bản không có tên cơ quan ban hành; đã lấy theo nội dung kế hoạch: {locality.issuing_body}.",
                expected=locality.issuing_body)
    elif fold(front.locality.name) != fold(locality.name) or front.locality.type is not locality.type:
        log.add(front.locality.line, "locality_mismatch",
                f"Cơ quan ban hành ở đầu văn bản ({front.locality.issuing_body}) khác với địa bàn nêu trong "
                f"kế hoạch ({locality.issuing_body}).", expected=locality.issuing_body,
                found=front.locality.issuing_body)
    if front.place is None or front.place_line is None or canonical_spelling(front.place) == canonical_spelling(
            locality.name):
        return  # the same name, if need be in the other tone-mark style ('Hoà Bình', 'Hòa Bình')
    if fold(front.place) == fold(locality.name):
        log.add(front.place_line, "place_name_typo",
                f"Địa danh “{front.place}” viết sai; tên địa phương là “{locality.name}”.",
                expected=locality.name, found=front.place)
    else:
        log.add(front.place_line, "place_name_mismatch",
                f"Địa danh “{front.place}” khác tên địa phương ban hành “{locality.name}”.",
                expected=locality.name, found=front.place)


def _parent_plan(preamble: str) -> DocumentReference | None:
    """'Thực hiện Kế hoạch số 169/KH-UBND ngày 14/5/2026 của UBND tỉnh Bắc Ninh về ...'."""
    match = _PARENT_PLAN.search(preamble)
    if match is None:
        return None
    reference = match["rest"]
    issued_by = _ISSUED_BY.search(reference)
    about = _ABOUT.search(reference)
    return DocumentReference(
        number=match["number"], symbol=match["symbol"],
        date=parse_date(reference[:issued_by.start()] if issued_by else reference),
        issuing_body=issued_by["body"] if issued_by else None,
        title=capitalise_first(about["title"]) if about else None)

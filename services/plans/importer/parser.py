"""Step 2 of the import: classified lines -> the plan's structure.

Parts are recognised by their heading text, not their number ('IV. KINH PHÍ' is the funding part
even when the document skipped III). The document's own numbers are only checked, and warned
about; areas, units and tasks are numbered by position.
"""
from __future__ import annotations

import dataclasses
import enum

from services.plans.document import ContentArea, Signature, Task
from services.plans.importer.dates import is_reporting_sentence
from services.plans.importer.header import Header, find_plan_heading, parse_header
from services.plans.importer.lines import Line, LineKind, marker_style, to_roman
from services.plans.importer.result import WarningLog
from services.plans.importer.text import capitalise_first, contains_phrase, fold, is_upper_case_line, snippet
from services.plans.importer.units import UnitEntry

_SIGNATURE_PREFIXES = ("TM.", "KT.", "Q.", "TL.", "TUQ.")
_SIGNATURE_TITLES = ("CHỦ TỊCH", "PHÓ CHỦ TỊCH")
_NOT_A_NAME = ("(", "đã ký", "ký tên")  # '(Đã ký)', '(Ký, ghi rõ họ tên)' between title and name


class PartKind(enum.Enum):
    TARGETS = "targets"            # CHỈ TIÊU; MỤC TIÊU, CHỈ TIÊU
    AIMS = "aims"                  # MỤC ĐÍCH, YÊU CẦU
    PURPOSES = "purposes"          # MỤC ĐÍCH / MỤC TIÊU alone
    REQUIREMENTS = "requirements"  # YÊU CẦU alone
    CONTENT = "content"            # NỘI DUNG (THỰC HIỆN), NHIỆM VỤ VÀ GIẢI PHÁP
    FUNDING = "funding"            # KINH PHÍ (THỰC HIỆN)
    ORGANISATION = "organisation"  # TỔ CHỨC THỰC HIỆN
    REPORTING = "reporting"        # CHẾ ĐỘ BÁO CÁO
    UNKNOWN = "unknown"


def part_kind(heading: str) -> PartKind:
    folded = fold(heading)
    if contains_phrase(folded, "chi tieu"):
        return PartKind.TARGETS
    about_purposes = "muc dich" in folded or "muc tieu" in folded
    if about_purposes and "yeu cau" in folded:
        return PartKind.AIMS
    if about_purposes:
        return PartKind.PURPOSES
    if folded.startswith("yeu cau"):
        return PartKind.REQUIREMENTS
    if "kinh phi" in folded:
        return PartKind.FUNDING
    if "to chuc thuc hien" in folded or "trach nhiem" in folded or "phan cong" in folded:
        return PartKind.ORGANISATION
    if "bao cao" in folded:
        return PartKind.REPORTING
    if "noi dung" in folded or "nhiem vu" in folded or "giai phap" in folded:
        return PartKind.CONTENT
    return PartKind.UNKNOWN


class Numbering:
    """Checks the document's numbering of parts or items and says what it expected.

    After a skip ('II' then 'IV') the document's number is followed from there; after a repeat or
    a step back ('3' then '2') the item is taken as the expected one, so '1, 2, 3, 2, 5' is one
    mistake (at the second '2'), not three.
    """

    def __init__(self, what: str, log: WarningLog, *, roman: bool = False):
        self.what, self.log, self.roman = what, log, roman
        self.expected = 1
        self.seen: set[int] = set()

    def _show(self, value: int) -> str:
        return to_roman(value) if self.roman else str(value)

    def check(self, line: Line) -> None:
        found, what = line.value or 0, self.what
        expected = self._show(self.expected)
        if found > self.expected:
            if self.expected == 1:
                message = f"Đánh số {what} bắt đầu từ “{line.marker}.” thay vì “{expected}.”."
            else:
                message = (f"Đánh số {what} không liên tục: sau {what} “{self._show(self.expected - 1)}.” là {what} "
                           f"“{line.marker}.”, thiếu {what} “{expected}.”. Đã nhập tiếp theo thứ tự.")
            self.log.add(line.number, "numbering_skipped", message, expected=expected, found=line.marker)
        elif found < self.expected:
            repeated = found in self.seen
            self.log.add(line.number, "numbering_repeated" if repeated else "numbering_out_of_order",
                         f"Số thứ tự {what} “{line.marker}.” {'bị lặp lại' if repeated else 'không đúng thứ tự'}, "
                         f"vị trí này là {what} “{expected}.”; đã đánh số lại theo vị trí.",
                         expected=expected, found=line.marker)
            found = self.expected
        self.seen.add(found)
        self.expected = found + 1


class TaskList:
    """The tasks of one content area or unit, and their sub-items.

    The first item sets the tasks' marker ('-', '+', 'a)', '1.1.', Word's list ...). An item with
    another marker is a sub-item of the task before it when that task announces them (it ends
    with ':') or has some in that style already; in a Word list, an item one level in is a sub-item. Otherwise
    it is one more task: writers mix '-' and '•' without meaning anything by it. A paragraph
    without a marker is a task, warned."""

    _SUB_ITEM_KINDS = (LineKind.BULLET, LineKind.PLUS_BULLET, LineKind.LETTERED, LineKind.SUB_NUMBERED)

    def __init__(self, tasks: list[Task], code_prefix: str, log: WarningLog):
        self.tasks, self.code_prefix, self.log = tasks, code_prefix, log
        self.task_style: tuple[LineKind, str | None] | None = None
        self.task_level: int | None = None
        self.sub_style: tuple[LineKind, str | None] | None = None

    def add(self, line: Line) -> None:
        if not line.text:
            return
        current = self.tasks[-1] if self.tasks else None
        if current is not None and self._is_sub_item(line, current):
            current.sub_items.append(line.text)
            return
        if line.kind is LineKind.TEXT:
            self.log.add(line.number, "task_without_bullet",
                         f"Đoạn “{snippet(line.text, 50)}” không có gạch đầu dòng; đã nhập là một nhiệm vụ.",
                         expected="- ", found=snippet(line.text, 50))
        if self.task_style is None:
            self.task_style, self.task_level = marker_style(line), line.level
        self.tasks.append(Task(code=f"{self.code_prefix}.{len(self.tasks) + 1}", text=line.text))

    def _is_sub_item(self, line: Line, current: Task) -> bool:
        if line.level is not None and self.task_level is not None:
            return line.level > self.task_level
        if marker_style(line) == self.task_style or line.kind not in self._SUB_ITEM_KINDS:
            return False
        if current.sub_items:  # the task's list goes on in the style it started with
            return marker_style(line) == self.sub_style
        self.sub_style = marker_style(line)
        return current.text.endswith(":")


@dataclasses.dataclass
class Body:
    purposes: list[str] = dataclasses.field(default_factory=list)
    requirements: list[str] = dataclasses.field(default_factory=list)
    content_areas: list[ContentArea] = dataclasses.field(default_factory=list)
    funding_paragraphs: list[str] = dataclasses.field(default_factory=list)
    unit_entries: list[UnitEntry] = dataclasses.field(default_factory=list)
    reporting_lines: list[Line] = dataclasses.field(default_factory=list)
    target_lines: list[Line] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Tail:
    closing_lines: list[Line] = dataclasses.field(default_factory=list)
    recipients: list[str] = dataclasses.field(default_factory=list)
    signature: Signature = dataclasses.field(default_factory=lambda: Signature())


@dataclasses.dataclass
class ParsedPlan:
    header: Header
    body: Body
    tail: Tail


def parse(lines: list[Line], log: WarningLog) -> ParsedPlan:
    heading_index = find_plan_heading(lines)
    first_part = next(i for i, line in enumerate(lines) if line.kind is LineKind.PART_HEADING)
    tail_start = next((i for i in range(first_part, len(lines)) if _starts_tail(lines[i])), len(lines))
    header = parse_header(lines, heading_index, first_part, log)
    body_parser = _BodyParser(log)
    for line in lines[first_part:tail_start]:
        body_parser.feed(line)
    return ParsedPlan(header, body_parser.body, _parse_tail(lines[tail_start:], lines[-1].number, log))


class _BodyParser:
    """Walks the Roman-numeral parts, sending each line to the handler of the part it is in."""

    def __init__(self, log: WarningLog):
        self.log = log
        self.body = Body()
        self.parts = Numbering("phần", log, roman=True)
        self.items = Numbering("mục", log)
        self.kind = PartKind.UNKNOWN
        self.part_title = ""
        self.aims_target: list[str] = self.body.purposes
        self.tasks: TaskList | None = None      # of the current content area or unit
        self.in_reporting_item = False          # 'n. Chế độ báo cáo' inside Tổ chức thực hiện
        self.in_objectives = False              # '1. Mục tiêu chung' inside MỤC TIÊU, CHỈ TIÊU

    def feed(self, line: Line) -> None:
        if line.kind is LineKind.PART_HEADING:
            self._start_part(line)
        elif self.kind in (PartKind.AIMS, PartKind.PURPOSES, PartKind.REQUIREMENTS):
            self._aims(line)
        elif self.kind is PartKind.TARGETS:
            self._targets(line)
        elif self.kind is PartKind.CONTENT:
            self._content(line)
        elif self.kind is PartKind.FUNDING:
            self.body.funding_paragraphs.append(line.text)
        elif self.kind is PartKind.ORGANISATION:
            self._organisation(line)
        elif self.kind is PartKind.REPORTING:
            self.body.reporting_lines.append(line)
        # lines of an unknown part were reported once, at its heading

    def _start_part(self, line: Line) -> None:
        self.parts.check(line)
        self.items = Numbering("mục", self.log)
        self.kind, self.part_title, self.tasks = part_kind(line.text), line.text, None
        self.in_reporting_item = self.in_objectives = False
        self.aims_target = self.body.requirements if self.kind is PartKind.REQUIREMENTS else self.body.purposes
        if self.kind is PartKind.UNKNOWN:
            self.log.add(line.number, "part_not_recognised",
                         f"Phần “{line.marker}. {line.text}” không thuộc cấu trúc kế hoạch (mục đích, yêu cầu; "
                         "nội dung; kinh phí; tổ chức thực hiện); nội dung phần này chưa được nhập.",
                         found=f"{line.marker}. {line.text}")

    def _aims(self, line: Line) -> None:
        if line.kind is LineKind.NUMBERED:
            self.items.check(line)
            subsection = part_kind(line.text)
            if len(line.text.split()) <= 4 and subsection in (PartKind.PURPOSES, PartKind.REQUIREMENTS, PartKind.AIMS):
                self.aims_target = self.body.requirements if subsection is PartKind.REQUIREMENTS else self.body.purposes
                return
        if line.text:
            self.aims_target.append(line.text)

    def _targets(self, line: Line) -> None:
        """'1. Mục tiêu chung' (its paragraphs are purposes), '2. Chỉ tiêu cụ thể' (one target per item)."""
        if line.kind is LineKind.NUMBERED and len(line.text.split()) <= 5:
            self.items.check(line)
            self.in_objectives = part_kind(line.text) is not PartKind.TARGETS
        elif self.in_objectives:
            self.body.purposes.append(line.text)
        elif line.text:
            self.body.target_lines.append(line)

    def _content(self, line: Line) -> None:
        if line.kind is LineKind.NUMBERED:
            self.items.check(line)
            self._new_area(self._heading_text(line, f"Nội dung {len(self.body.content_areas) + 1}"))
        else:
            if self.tasks is None:  # tasks straight under the part: one area named after the part
                self.tasks = self._new_area(capitalise_first(self.part_title.lower()))
            self.tasks.add(line)

    def _new_area(self, title: str) -> TaskList:
        area = ContentArea(number=len(self.body.content_areas) + 1, title=title)
        self.body.content_areas.append(area)
        self.tasks = TaskList(area.tasks, f"ND-{area.number}", self.log)
        return self.tasks

    def _organisation(self, line: Line) -> None:
        if line.kind is LineKind.NUMBERED:
            self.items.check(line)
            self.in_reporting_item = fold(line.text).startswith("che do bao cao")
            self.tasks = None if self.in_reporting_item else self._new_unit(line)
        elif self.in_reporting_item or (line.kind is LineKind.TEXT and is_reporting_sentence(line.text)):
            # the reporting obligation as the part's last paragraph, without a heading of its own
            self.body.reporting_lines.append(line)
        elif self.tasks is not None:
            self.tasks.add(line)
        else:
            self.log.add(line.number, "text_not_placed",
                         f"Đoạn “{snippet(line.text)}” đứng trước đơn vị đầu tiên của phần tổ chức thực hiện; "
                         "chưa được nhập.", found=snippet(line.text))

    def _heading_text(self, line: Line, placeholder: str) -> str:
        """The text of a numbered heading; a number standing alone gets a placeholder to fill in."""
        if line.text:
            return line.text
        self.log.add(line.number, "heading_empty",
                     f"Mục “{line.marker}.” không có tên; tạm đặt tên “{placeholder}”, cần sửa lại.",
                     found=f"{line.marker}.")
        return placeholder

    def _new_unit(self, line: Line) -> TaskList:
        """'1. Công an xã: Chủ trì ...' names the unit and its first task on one line."""
        number = len(self.body.unit_entries) + 1
        written_name, colon, first_task = line.text.partition(":")
        name = self._heading_text(dataclasses.replace(line, text=written_name.strip()), f"Đơn vị {number}")
        entry = UnitEntry(line=line.number, number=number, heading=name, tasks=[])
        self.body.unit_entries.append(entry)
        tasks = TaskList(entry.tasks, f"TC-{entry.number}", self.log)
        if colon and first_task.strip():
            tasks.add(Line(line.number, LineKind.BULLET, capitalise_first(first_task.strip())))
        return tasks


def _is_closing(line: Line) -> bool:
    return line.kind is LineKind.TEXT and fold(line.text).startswith("tren day la")


def _is_recipients_heading(line: Line) -> bool:
    return line.kind is LineKind.TEXT and fold(line.text).startswith("noi nhan")


def _is_signature_line(line: Line) -> bool:
    return (line.kind is LineKind.TEXT and is_upper_case_line(line.text)
            and (line.text.startswith(_SIGNATURE_PREFIXES) or line.text in _SIGNATURE_TITLES))


def _starts_tail(line: Line) -> bool:
    return _is_closing(line) or _is_recipients_heading(line) or _is_signature_line(line)


def _looks_like_a_name(text: str) -> bool:
    """'Nguyễn Văn Hải': two to six capitalised words, nothing else."""
    words = text.split()
    return 2 <= len(words) <= 6 and all(word[0].isupper() and word.isalpha() for word in words)


def _parse_tail(lines: list[Line], last_line: int, log: WarningLog) -> Tail:
    """'Trên đây là Kế hoạch ...', 'Nơi nhận:' and the signature block (in either order)."""
    tail = Tail()
    signature: dict[str, str] = {}
    section, last_signature_line = "closing", None
    for line in lines:
        if _is_recipients_heading(line):
            section = "recipients"
            first_recipient = line.text.partition(":")[2].strip(" -")
            if first_recipient:
                tail.recipients.append(first_recipient.rstrip(" ;.,"))
        elif _is_signature_line(line) or (section == "signature" and "title" not in signature
                                          and is_upper_case_line(line.text)):  # 'PHÓ TRƯỞNG BAN' ...
            section, last_signature_line = "signature", line.number
            field = ("on_behalf_of" if line.text.startswith("TM.") else
                     "deputy_for" if line.text.startswith(_SIGNATURE_PREFIXES) else "title")
            signature.setdefault(field, line.text)
        elif section == "closing":
            tail.closing_lines.append(line)
        elif section == "recipients":
            tail.recipients.append(line.text.rstrip(" ;.,"))
        elif section == "signature" and line.text.lower().startswith(_NOT_A_NAME):
            continue
        elif section == "signature" and "signer_name" not in signature and _looks_like_a_name(line.text):
            signature["signer_name"] = line.text
        else:
            log.add(line.number, "text_not_placed", f"Đoạn “{snippet(line.text)}” sau phần chữ ký chưa được nhập.",
                    found=snippet(line.text))
    tail.signature = Signature(**signature)
    if last_signature_line is None:
        log.add(last_line, "signature_missing",
                "Không tìm thấy phần ký ban hành (TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH ...).")
    elif "signer_name" not in signature:
        log.add(last_signature_line, "signer_name_missing",
                "Phần ký ban hành chưa có họ tên người ký.", expected="họ và tên người ký")
    return tail

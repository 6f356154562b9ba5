"""Plans written the ways communes write them: a plan as data, rendered in a chosen layout.

`plans()` draws a plan (a `PlanDocument` plus what an import should say about it), `layouts()` a
way of writing it, `render()` writes it as a .txt or .docx file. The property test imports the file
and compares with the plan it came from. The vocabulary below is taken from real plans (the Sơn Hải
seed and its neighbours); every layout choice is one field of `Layout`, so a failing example reads
as a sentence.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from xml.sax.saxutils import escape

from hypothesis import strategies as st

from services.plans.document import (
    ContentArea,
    DocumentReference,
    Funding,
    FundingAmount,
    FundingSource,
    KeyDate,
    LocalityType,
    PlanDocument,
    PlanTarget,
    ReportingObligation,
    Signature,
    Task,
    UnitAssignment,
    UnitRole,
    UnitType,
)
from services.plans.units import DirectoryUnit
from tests.support.docx_packages import package

LOCALITY_WORDS = {LocalityType.COMMUNE: "xã", LocalityType.WARD: "phường", LocalityType.TOWNSHIP: "thị trấn"}
LOCALITY_NAMES = ("Sơn Hải", "Đông Ngàn", "Tân Lập", "Hòa Bình", "Yên Trung", "Phù Khê")


@dataclasses.dataclass(frozen=True)
class UnitKind:
    code: str
    directory_name: str
    spellings: tuple[str, ...]  # how plans write it (without the locality word)
    unit_type: UnitType
    group_codes: tuple[str, ...] = ()  # a group ('Các thôn') designates these directory units


UNITS = (
    UnitKind("VHXH", "Phòng Văn hóa - Xã hội", ("Phòng Văn hóa - Xã hội", "Phòng VH-XH", "Phòng Văn hoá - Xã hội"),
             UnitType.DEPARTMENT),
    UnitKind("KT", "Phòng Kinh tế", ("Phòng Kinh tế",), UnitType.DEPARTMENT),
    UnitKind("VP", "Văn phòng HĐND và UBND", ("Văn phòng HĐND và UBND",
                                              "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân"), UnitType.OFFICE),
    UnitKind("CA", "Công an", ("Công an", "CA"), UnitType.POLICE),
    UnitKind("TYT", "Trạm y tế", ("Trạm Y tế", "Trạm y tế"), UnitType.HEALTH_STATION),
    UnitKind("THCS", "Trường Trung học cơ sở", ("Trường THCS", "Trường Trung học cơ sở"), UnitType.SCHOOL),
    UnitKind("TH", "Trường Tiểu học", ("Trường TH", "Trường Tiểu học"), UnitType.SCHOOL),
    UnitKind("MN", "Trường Mầm non", ("Trường MN", "Trường Mầm non"), UnitType.SCHOOL),
    UnitKind("MTTQ", "Ủy ban Mặt trận Tổ quốc", ("Ủy ban MTTQ", "Ủy ban Mặt trận Tổ quốc", "UB MTTQ"),
             UnitType.FRONT_ORGANISATION),
    UnitKind("HPN", "Hội Liên hiệp Phụ nữ", ("Hội Liên hiệp Phụ nữ", "HLHPN", "Hội LHPN"), UnitType.MASS_ORGANISATION),
    UnitKind("DTN", "Đoàn Thanh niên", ("Đoàn Thanh niên",), UnitType.MASS_ORGANISATION),
)
VILLAGES = {LocalityType.COMMUNE: ("Các thôn", "Các xóm"), LocalityType.WARD: ("Các tổ dân phố", "Các TDP"),
            LocalityType.TOWNSHIP: ("Các tổ dân phố", "Các khu phố")}
VILLAGE_CODES = ("THON-1", "THON-2", "THON-3")
SCHOOLS = ("Các trường học", "Các trường học trên địa bàn")


def directory() -> list[DirectoryUnit]:
    villages = [DirectoryUnit(code, f"Tổ dân cư số {n}", UnitType.VILLAGE) for n, code in enumerate(VILLAGE_CODES, 1)]
    return [DirectoryUnit(u.code, u.directory_name, u.unit_type) for u in UNITS] + villages


TASKS = (
    "Tham mưu tổ chức tuyên truyền Luật Bình đẳng giới trên hệ thống thông tin cơ sở.",
    "Tổ chức các hoạt động hưởng ứng Tháng hành động vì bình đẳng giới.",
    "Lồng ghép nội dung bình đẳng giới trong các buổi sinh hoạt định kỳ.",
    "Kịp thời phát hiện các trường hợp có nguy cơ bạo lực trên cơ sở giới để xử lý theo quy định.",
    "Bố trí kinh phí thực hiện Kế hoạch trong dự toán ngân sách hằng năm.",
    "Tư vấn về chăm sóc sức khỏe sinh sản và mất cân bằng giới tính khi sinh.",
    "Giáo dục kỹ năng sống, giáo dục giới tính cho học sinh.",
    "Vận động các gia đình xây dựng nếp sống văn hóa, không có bạo lực gia đình.",
    "Rà soát, đánh giá tình hình cán bộ nữ tham gia lãnh đạo, quản lý.",
    "Xác minh, xử lý các vụ việc bạo lực gia đình xảy ra trên địa bàn.",
    "Nhân rộng mô hình địa chỉ tin cậy tại cộng đồng.",
    "Tuyên truyền trên trang thông tin điện tử và mạng xã hội.",
)
SUB_ITEMS = ("Sinh hoạt câu lạc bộ gia đình phát triển bền vững;", "Nói chuyện chuyên đề tại nhà văn hóa;",
             "Thi tìm hiểu pháp luật về bình đẳng giới.")
LEAD_PHRASES = ("Là cơ quan thường trực, chủ trì tham mưu UBND {kind} triển khai thực hiện Kế hoạch.",
                "Chủ trì, phối hợp với các cơ quan, đơn vị liên quan tổ chức triển khai Kế hoạch.",
                "Giao {unit} chủ trì tổng hợp kết quả thực hiện Kế hoạch.")
COORDINATING_PHRASES = ("Phối hợp với {lead} tổ chức các hoạt động truyền thông về bình đẳng giới.",
                        "Phối hợp với cơ quan chủ trì tổng hợp số liệu về bình đẳng giới.")
AREAS = ("Tuyên truyền, phổ biến pháp luật về bình đẳng giới", "Phòng ngừa, ứng phó với bạo lực trên cơ sở giới",
         "Nâng cao năng lực quản lý nhà nước về bình đẳng giới")


@dataclasses.dataclass(frozen=True)
class TargetKind:
    name: str
    unit: str
    indicator_code: str | None  # the national reference indicator it is
    wording: str  # {value}{unit} placed in the name


TARGETS = (
    TargetKind("cán bộ, công chức xã được tập huấn về bình đẳng giới", "%", None, "Phấn đấu {v}{u} {n}"),
    TargetKind("buổi tuyên truyền về bình đẳng giới tại cộng đồng", "buổi", None, "Tổ chức ít nhất {v} {u} {n}"),
    TargetKind("Tỷ số giới tính khi sinh", "bé trai/100 bé gái", "NQ28-YT-01", "{n} không vượt quá {v} {u}"),
    TargetKind("Tỷ lệ lao động nữ làm công hưởng lương", "%", "NQ28-KT-01", "{n} đạt {v}{u}"),
    TargetKind("thôn, tổ dân phố có mô hình phòng, chống bạo lực gia đình", "%", None, "Phấn đấu {v}{u} {n}"),
)
REFERENCE_INDICATORS = (("NQ28-YT-01", "Tỷ số giới tính khi sinh (số bé trai trên 100 bé gái sinh ra sống, không "
                                       "vượt quá)", "bé trai/100 bé gái"),
                        ("NQ28-KT-01", "Tỷ lệ lao động nữ làm công hưởng lương", "%"),
                        ("BDG-CS-02", "Số cán bộ, công chức được tập huấn, bồi dưỡng về bình đẳng giới", "người"))


@dataclasses.dataclass(frozen=True)
class Expected:
    """What importing a rendering must give besides the document: the deadline and warning codes."""
    report_deadline: dt.date | None
    warning_codes: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class Layout:
    file_type: str            # txt | docx
    header_in_table: bool     # docx: issuing body and date in a two-column table, signature too
    task_marker: str          # '-', '+', '*', '•', 'a)', '1.1.', 'word-bullet', 'word-number'
    deadline_wording: str     # numeric | worded (for a day and month)
    reporting_place: str      # closing | organisation_paragraph | organisation_item | own_part
    action_month_wording: str  # year_at_end | worded | short
    spelling: int             # which spelling of each unit name (modulo the spellings it has)
    with_locality_word: bool  # 'Công an xã' or 'Công an'
    tracked_changes: bool     # docx: an insertion, a deletion and a comment in the tasks
    page_header: bool         # docx: a running header and a page-number footer
    targets_heading: str = "CHỈ TIÊU"  # or 'MỤC TIÊU, CHỈ TIÊU' with the general objective first


def layouts() -> st.SearchStrategy[Layout]:
    return st.builds(
        Layout, file_type=st.sampled_from(["txt", "docx"]), header_in_table=st.booleans(),
        task_marker=st.sampled_from(["-", "+", "*", "•", "a)", "1.1.", "word-bullet", "word-number"]),
        deadline_wording=st.sampled_from(["numeric", "worded"]),
        reporting_place=st.sampled_from(["closing", "organisation_paragraph", "organisation_item", "own_part"]),
        action_month_wording=st.sampled_from(["year_at_end", "worded", "short"]),
        spelling=st.integers(0, 2), with_locality_word=st.booleans(), tracked_changes=st.booleans(),
        page_header=st.booleans(), targets_heading=st.sampled_from(["CHỈ TIÊU", "MỤC TIÊU, CHỈ TIÊU"]))


@st.composite
def plans(draw) -> tuple[PlanDocument, Expected]:
    year = draw(st.integers(2025, 2030))
    kind = draw(st.sampled_from(list(LOCALITY_WORDS)))
    name = draw(st.sampled_from(LOCALITY_NAMES))
    word = LOCALITY_WORDS[kind]
    chosen = draw(st.lists(st.sampled_from(UNITS), min_size=2, max_size=6, unique=True))
    if draw(st.booleans()):  # the schools as one group rather than one by one
        chosen = [u for u in chosen if u.unit_type is not UnitType.SCHOOL] + [
            UnitKind("", "", SCHOOLS, UnitType.SCHOOL, ("THCS", "TH", "MN"))]  # directory order
    chosen.append(UnitKind("", "", VILLAGES[kind], UnitType.VILLAGE, VILLAGE_CODES))
    lead = draw(st.integers(0, len(chosen) - 1))
    pool = draw(st.permutations(TASKS))
    organisation, used = [], 0
    for number, unit in enumerate(chosen, start=1):
        count = draw(st.integers(1, 3))
        texts, used = list(pool[used:used + count]), used + count
        if used >= len(pool):
            pool, used = draw(st.permutations(TASKS)), 0
        role = UnitRole.LEAD if number - 1 == lead else UnitRole.COORDINATING
        tasks = [Task(code=f"TC-{number}.{n}", text=text) for n, text in enumerate(texts, start=1)]
        organisation.append(UnitAssignment(
            number=number, unit_name=unit.spellings[0], unit_type=unit.unit_type,
            unit_codes=list(unit.group_codes or (unit.code,)), is_group=bool(unit.group_codes), role=role,
            tasks=tasks))
    if draw(st.booleans()):  # a task that announces its sub-items
        entry = organisation[draw(st.integers(0, len(organisation) - 1))]
        entry.tasks[-1] = entry.tasks[-1].model_copy(update={
            "text": "Tổ chức các hoạt động truyền thông, gồm:", "sub_items": list(SUB_ITEMS[:draw(st.integers(2, 3))])})
    areas = [ContentArea(number=n, title=title, tasks=[Task(code=f"ND-{n}.{t}", text=text) for t, text in
                                                       enumerate(draw(st.permutations(TASKS))[:2], start=1)])
             for n, title in enumerate(draw(st.lists(st.sampled_from(AREAS), min_size=1, max_size=3, unique=True)),
                                       start=1)]
    targets = []
    for number, target in enumerate(draw(st.lists(st.sampled_from(TARGETS), max_size=3, unique=True)), start=1):
        value = draw(st.sampled_from([5, 10, 25, 60, 100, 109])) if target.unit != "%" else draw(
            st.sampled_from([50, 80, 95, 100]))
        baseline = draw(st.none() | st.sampled_from([3, 40, 70, 112]))
        targets.append(PlanTarget(number=number, text="-", name=target.name, value=value,
                                  unit_of_measure=target.unit, baseline=baseline,
                                  baseline_year=year - 1 if baseline is not None else None,
                                  indicator_code=target.indicator_code))
    amounts = [FundingAmount(amount_vnd=amount, source=source) for amount, source in draw(st.lists(
        st.tuples(st.sampled_from([35_000_000, 12_500_000, 100_000_000, 8_000_000]),
                  st.sampled_from([f"ngân sách {word}", "xã hội hóa"])), max_size=2, unique_by=lambda a: a[1]))]
    deadline = draw(st.sampled_from(["yearly", "dated", "periodic"]))
    day, month = draw(st.sampled_from([(20, 11), (10, 11), (15, 12), (30, 11)]))
    through = organisation[lead] if draw(st.booleans()) else None
    reporting = ReportingObligation(
        report_to=f"UBND {word}", through_unit=None if through is None else through.unit_name,
        due_day=None if deadline == "periodic" else day, due_month=None if deadline == "periodic" else month,
        due_year=year if deadline == "dated" else None, recurring_yearly=deadline != "dated",
        periodic="6 tháng, năm" if deadline == "periodic" else None, compiled_for="Sở Nội vụ")
    signature = draw(st.sampled_from([
        Signature(on_behalf_of="TM. ỦY BAN NHÂN DÂN", deputy_for="KT. CHỦ TỊCH", title="PHÓ CHỦ TỊCH",
                  signer_name="Nguyễn Văn Hải"),
        Signature(on_behalf_of="TM. ỦY BAN NHÂN DÂN", title="CHỦ TỊCH", signer_name="Trần Thị Lan")]))
    document = PlanDocument(
        issuing_body=f"UBND {word} {name}", locality_type=kind, locality_name=name,
        reference=DocumentReference(number=str(draw(st.integers(1, 200))), symbol="KH-UBND",
                                    date=dt.date(year, draw(st.integers(1, 6)), draw(st.integers(1, 28))),
                                    issuing_body=f"UBND {word} {name}"),
        place=name, title=f"Thực hiện công tác bình đẳng giới trên địa bàn {word} {name} năm {year}",
        purposes=["Nâng cao nhận thức về bình đẳng giới."], requirements=["Bám sát thực tiễn địa phương."],
        targets=targets, content_areas=areas,
        funding=Funding(sources=[FundingSource.STATE_BUDGET], amounts=amounts),
        organisation=organisation, reporting=reporting,
        key_dates=[KeyDate(name="Ngày Quốc tế Phụ nữ", start_day=8, start_month=3),
                   KeyDate(name="Tháng hành động vì bình đẳng giới và phòng ngừa, ứng phó với bạo lực trên cơ sở giới",
                           start_day=15, start_month=11, end_day=15, end_month=12)],
        recipients=["Sở Nội vụ (b/c)", f"TT Đảng ủy, HĐND {word} (b/c)", "Như mục V", "Lưu: VT"],
        signature=signature)
    expected = Expected(report_deadline=None if deadline == "periodic" else dt.date(year, month, day),
                        warning_codes=("report_deadline_missing",) if deadline == "periodic" else ())
    return document, expected


# --- rendering --------------------------------------------------------------------------------------
@dataclasses.dataclass
class Paragraph:
    text: str
    list_kind: str | None = None  # 'bullet' | 'number' (Word numbering); the text then has no marker
    level: int = 0
    tracked: bool = False          # wrap in a tracked insertion next to a tracked deletion


def render(document: PlanDocument, layout: Layout) -> tuple[str, bytes]:
    header, body, closing_tail = _front(document, layout), _body(document, layout), _tail(document, layout)
    if layout.file_type == "txt":
        lines = [line for block in (header, body, closing_tail) for line in _flat(block)]
        return "ke-hoach.txt", ("\n\n".join(p.text for p in lines) + "\n").encode("utf-8")
    return "ke-hoach.docx", _docx(header, body, closing_tail, layout)


def _flat(block) -> list[Paragraph]:
    if isinstance(block, Table):
        return [p for column in block.columns for p in column]
    return list(block)


@dataclasses.dataclass
class Table:
    columns: list[list[Paragraph]]


def _front(document: PlanDocument, layout: Layout) -> list:
    word = LOCALITY_WORDS[document.locality_type]
    date = document.reference.date
    assert date is not None
    left = [Paragraph("UBND HUYỆN YÊN PHONG" if document.locality_type is LocalityType.TOWNSHIP else "ỦY BAN NHÂN DÂN"),
            Paragraph(f"{word} {document.locality_name}".upper()),
            Paragraph(f"Số: {document.reference.number}/{document.reference.symbol}")]
    if document.locality_type is LocalityType.TOWNSHIP:
        left[0:2] = [Paragraph(f"UBND {word} {document.locality_name}".upper())]
    right = [Paragraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), Paragraph("Độc lập - Tự do - Hạnh phúc"),
             Paragraph(f"{document.place}, ngày {date.day:02d} tháng {date.month} năm {date.year}")]
    title = [Paragraph("KẾ HOẠCH"), Paragraph(document.title),
             Paragraph(f"Thực hiện Kế hoạch số 169/KH-UBND ngày 14/5/{date.year} của UBND tỉnh Bắc Ninh, UBND {word} "
                       f"{document.locality_name} ban hành Kế hoạch như sau:")]
    if layout.file_type == "docx" and layout.header_in_table:
        return [Table([left, right]), *title]
    return [*left, *right, *title]


def _body(document: PlanDocument, layout: Layout) -> list[Paragraph]:
    kind = LOCALITY_WORDS[document.locality_type]
    out = [Paragraph("I. MỤC ĐÍCH, YÊU CẦU"), Paragraph("1. Mục đích"),
           *(Paragraph(f"- {p}") for p in document.purposes),
           Paragraph("2. Yêu cầu"), *(Paragraph(f"- {r}") for r in document.requirements)]
    part = 2
    if document.targets and layout.targets_heading == "CHỈ TIÊU":
        out.append(Paragraph(f"{_roman(part)}. CHỈ TIÊU"))
    elif document.targets:
        out += [Paragraph(f"{_roman(part)}. MỤC TIÊU, CHỈ TIÊU"), Paragraph("1. Mục tiêu chung"),
                Paragraph("Thu hẹp khoảng cách giới trên các lĩnh vực của đời sống xã hội."),
                Paragraph("2. Chỉ tiêu cụ thể")]
    if document.targets:
        out += [Paragraph(f"- {_target_text(t)}") for t in document.targets]
        part += 1
    out.append(Paragraph(f"{_roman(part)}. NỘI DUNG THỰC HIỆN"))
    for area in document.content_areas:
        out.append(Paragraph(f"{area.number}. {area.title}"))
        out += _tasks(area.tasks, area.number, layout)
    part += 1
    out.append(Paragraph(f"{_roman(part)}. KINH PHÍ THỰC HIỆN"))
    out.append(Paragraph(_funding_text(document.funding, kind)))
    part += 1
    out.append(Paragraph(f"{_roman(part)}. TỔ CHỨC THỰC HIỆN"))
    for entry, (unit, tasks) in zip(document.organisation, written_units(document, layout), strict=True):
        out.append(Paragraph(f"{entry.number}. {unit}"))
        out += _tasks(tasks, entry.number, layout)
    reporting = _reporting_sentence(document, layout)
    if layout.reporting_place == "organisation_paragraph":
        out.append(Paragraph(reporting))
    elif layout.reporting_place == "organisation_item":
        out += [Paragraph(f"{len(document.organisation) + 1}. Chế độ báo cáo"), Paragraph(reporting)]
    elif layout.reporting_place == "own_part":
        out += [Paragraph(f"{_roman(part + 1)}. CHẾ ĐỘ BÁO CÁO"), Paragraph(reporting)]
    return out


def written_units(document: PlanDocument, layout: Layout) -> list[tuple[str, list[Task]]]:
    """Each unit's name and tasks as the rendering writes them: the lead states its role in a task of
    its own, and every second coordinating unit says with whom it coordinates."""
    kind = LOCALITY_WORDS[document.locality_type]
    lead = next(u for u in document.organisation if u.role is UnitRole.LEAD)
    written = []
    for entry, unit in zip(document.organisation, _written_names(document, layout), strict=True):
        tasks = list(entry.tasks)
        if entry.role is UnitRole.LEAD:
            phrase = LEAD_PHRASES[(entry.number + layout.spelling) % len(LEAD_PHRASES)]
            tasks.insert(0, Task(code="TC-1.1", text=phrase.format(kind=kind, unit=unit)))
        elif entry.number % 2 == 0:
            phrase = COORDINATING_PHRASES[(entry.number // 2) % len(COORDINATING_PHRASES)]
            tasks.append(Task(code="TC-1.1", text=phrase.format(lead=lead.unit_name)))
        written.append((unit, tasks))
    return written


def expected_tasks(document: PlanDocument, layout: Layout) -> list[list[str]]:
    return [[task.text for task in tasks] for _, tasks in written_units(document, layout)]


def _written_names(document: PlanDocument, layout: Layout) -> list[str]:
    kind = LOCALITY_WORDS[document.locality_type]
    names = []
    for entry in document.organisation:
        spellings = next(u.spellings for u in (*UNITS, *_groups()) if u.spellings[0] == entry.unit_name)
        name = spellings[layout.spelling % len(spellings)]
        names.append(f"{name} {kind}" if layout.with_locality_word and not entry.is_group else name)
    return names


def _groups() -> list[UnitKind]:
    return [UnitKind("", "", SCHOOLS, UnitType.SCHOOL)] + [UnitKind("", "", v, UnitType.VILLAGE)
                                                          for v in VILLAGES.values()]


def _tasks(tasks: list[Task], number: int, layout: Layout) -> list[Paragraph]:
    out = []
    marker = layout.task_marker
    if layout.file_type == "txt":  # a text file has no list formatting: the markers are typed
        marker = {"word-bullet": "-", "word-number": "a)"}.get(marker, marker)
    for index, task in enumerate(tasks, start=1):
        tracked = layout.tracked_changes and index == 1
        if marker == "word-bullet":
            out.append(Paragraph(task.text, "bullet", tracked=tracked))
        elif marker == "word-number":
            out.append(Paragraph(task.text, "number", tracked=tracked))
        else:
            written = {"a)": f"{chr(96 + index)})", "1.1.": f"{number}.{index}."}.get(marker, marker)
            out.append(Paragraph(f"{written} {task.text}", tracked=tracked))
        sub_marker = {"-": "+", "+": "-", "*": "+", "•": "-", "a)": "+", "1.1.": "-"}.get(marker)
        for item in task.sub_items:
            out.append(Paragraph(item, "bullet", level=1) if sub_marker is None else Paragraph(f"{sub_marker} {item}"))
    return out


def _target_text(target: PlanTarget) -> str:
    wording = next(t.wording for t in TARGETS if t.name == target.name)
    value = _number(target.value)
    text = wording.format(v=value, u=target.unit_of_measure, n=target.name)
    text = text[0].upper() + text[1:]
    if target.baseline is not None:
        separator = "" if target.unit_of_measure == "%" else " "
        text += f" (năm {target.baseline_year}: {_number(target.baseline)}{separator}{target.unit_of_measure})"
    return text + "."


def _number(value: float | None) -> str:
    return f"{value:g}".replace(".", ",")


def _funding_text(funding: Funding, kind: str) -> str:
    if not funding.amounts:
        return f"Kinh phí thực hiện Kế hoạch từ nguồn ngân sách {kind} bố trí trong dự toán hằng năm."
    parts = []
    for position, amount in enumerate(funding.amounts):
        millions = amount.amount_vnd / 1_000_000
        written = (f"{amount.amount_vnd:,} đồng".replace(",", ".") if position % 2 == 0
                   else f"{_number(millions)} triệu đồng")
        parts.append(f"{written} từ nguồn {amount.source}")
    return "Tổng kinh phí thực hiện Kế hoạch: " + "; ".join(parts) + "."


def _reporting_sentence(document: PlanDocument, layout: Layout) -> str:
    reporting = document.reporting
    assert reporting is not None
    through = f" (qua {reporting.through_unit})" if reporting.through_unit else ""
    if reporting.periodic:
        when = f"định kỳ {reporting.periodic}"
        return (f"Các cơ quan, đơn vị báo cáo kết quả thực hiện {when} về {reporting.report_to}{through} để tổng "
                f"hợp báo cáo {reporting.compiled_for}.")
    if reporting.due_year:
        when = f"trước ngày {reporting.due_day}/{reporting.due_month}/{reporting.due_year}"
    elif layout.deadline_wording == "worded":
        when = f"trước ngày {reporting.due_day} tháng {reporting.due_month} hằng năm"
    else:
        when = f"trước ngày {reporting.due_day}/{reporting.due_month} hằng năm"
    return (f"Các cơ quan, đơn vị báo cáo kết quả thực hiện về {reporting.report_to}{through} {when} để tổng hợp "
            f"báo cáo {reporting.compiled_for}.")


def _tail(document: PlanDocument, layout: Layout) -> list:
    assert document.reference.date is not None
    year = document.reference.date.year
    action_month = {"year_at_end": f"từ ngày 15/11 đến ngày 15/12/{year}",
                    "worded": f"từ ngày 15 tháng 11 đến ngày 15 tháng 12 năm {year}",
                    "short": "(15/11 - 15/12)"}[layout.action_month_wording]
    closing = (f"Trên đây là Kế hoạch thực hiện công tác bình đẳng giới năm {year}, trong đó trọng tâm là Ngày Quốc "
               f"tế Phụ nữ 08/3 và Tháng hành động vì bình đẳng giới {action_month}.")
    if layout.reporting_place == "closing":
        closing += " " + _reporting_sentence(document, layout)
    recipients = [Paragraph("Nơi nhận:"), *(Paragraph(f"- {r};") for r in document.recipients)]
    signature = document.signature
    signing = [Paragraph(line) for line in (signature.on_behalf_of, signature.deputy_for, signature.title) if line]
    signing += [Paragraph("(Đã ký)"), Paragraph(signature.signer_name or "")]
    if layout.file_type == "docx" and layout.header_in_table:
        return [Paragraph(closing), Table([recipients, signing])]
    return [Paragraph(closing), *recipients, *signing]


def _roman(value: int) -> str:
    return ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")[value - 1]


# --- Word ---------------------------------------------------------------------------------------------
_NUMBERING = ('<?xml version="1.0" encoding="UTF-8"?><w:numbering xmlns:w="http://schemas.openxmlformats.org/'
              'wordprocessingml/2006/main">'
              '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/>'
              '</w:lvl><w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/><w:lvlText w:val="o"/></w:lvl></w:abstractNum>'
              '<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>'
              '<w:lvlText w:val="%1)"/></w:lvl><w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/><w:lvlText w:val="-"/>'
              '</w:lvl></w:abstractNum>{nums}</w:numbering>')


def _docx(header: list, body: list[Paragraph], tail: list, layout: Layout) -> bytes:
    numbered_lists = 0
    xml = []
    previous_numbered = False
    for block in (*header, *body, *tail):
        if isinstance(block, Table):
            cells = "".join(f"<w:tc>{''.join(_paragraph_xml(p, None) for p in column)}</w:tc>"
                            for column in block.columns)
            xml.append(f"<w:tbl><w:tr>{cells}</w:tr></w:tbl>")
            previous_numbered = False
            continue
        num_id = None
        if block.list_kind == "bullet":
            num_id = 1
        elif block.list_kind == "number":
            if not previous_numbered:  # each unit's tasks are a list of their own: a), b) ... again
                numbered_lists += 1
            num_id = 1 + numbered_lists
        previous_numbered = block.list_kind == "number" or (previous_numbered and block.level > 0)
        xml.append(_paragraph_xml(block, num_id))
    nums = '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>' + "".join(
        f'<w:num w:numId="{1 + n}"><w:abstractNumId w:val="1"/></w:num>' for n in range(1, numbered_lists + 1))
    parts: dict[str, bytes | str] = {"word/numbering.xml": _NUMBERING.replace("{nums}", nums)}
    relationships = {"rId1": ("numbering", "numbering.xml")}
    if layout.page_header:
        parts["word/header1.xml"] = _header_part("hdr", "Kế hoạch bình đẳng giới - bản điện tử")
        parts["word/footer1.xml"] = _header_part("ftr", "Trang 1")
        relationships |= {"rId2": ("header", "header1.xml"), "rId3": ("footer", "footer1.xml")}
        xml.append('<w:sectPr><w:headerReference w:type="default" r:id="rId2"/>'
                   '<w:footerReference w:type="default" r:id="rId3"/></w:sectPr>')
    return package("".join(xml), parts=parts, document_relationships=relationships)


def _paragraph_xml(paragraph: Paragraph, num_id: int | None) -> str:
    properties = (f'<w:pPr><w:numPr><w:ilvl w:val="{paragraph.level}"/><w:numId w:val="{num_id}"/></w:numPr></w:pPr>'
                  if num_id is not None else "")
    text = escape(paragraph.text)
    if not paragraph.tracked:
        return f'<w:p>{properties}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'
    # the accepted text is the paragraph's: half of it typed before, half inserted, a deleted word and a comment
    half = len(text) // 2
    while half < len(text) and text[half] not in " ":
        half += 1
    return (f'<w:p>{properties}<w:commentRangeStart w:id="0"/><w:r><w:t xml:space="preserve">{text[:half]}</w:t></w:r>'
            '<w:del w:id="1" w:author="Cán bộ" w:date="2026-05-01T00:00:00Z"><w:r><w:delText xml:space="preserve">'
            ' (bỏ đoạn này)</w:delText></w:r></w:del>'
            '<w:ins w:id="2" w:author="Cán bộ" w:date="2026-05-01T00:00:00Z"><w:r><w:t xml:space="preserve">'
            f'{text[half:]}</w:t></w:r></w:ins><w:commentRangeEnd w:id="0"/>'
            '<w:r><w:commentReference w:id="0"/></w:r></w:p>')


def _header_part(tag: str, text: str) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?><w:{tag} xmlns:w="http://schemas.openxmlformats.org/'
            f'wordprocessingml/2006/main"><w:p><w:r><w:t>{escape(text)}</w:t></w:r></w:p></w:{tag}>')

"""A realistic commune report (Sơn Hải, 2026) built directly as the content model, for tests of what reads
it (the DOCX and XLSX renderers, the JSON Schema) without running the season that would assemble it.

`example_commune_report()` gives a submitted first revision: 14 units (one late, one returned and
revised, one missing), the plan's six content areas, indicators with and without targets (one whose
target is a ceiling), GBV figures with hidden cells, the officer's assessment. Pass keyword arguments
to replace top-level fields, e.g. `example_commune_report(state=ReportState.DRAFT, submission=None)`.
"""
from __future__ import annotations

import datetime as dt
import uuid

from services.common.events.contracts import TargetDirection
from services.reporting import wording
from services.reporting.report_content import (
    TASK_STATUS_LABELS,
    UNIT_STATE_LABELS,
    AssessmentSection,
    AttachmentNote,
    Cell,
    CommuneReport,
    Completeness,
    ContentAreaResult,
    DocumentHeader,
    DocumentReference,
    FigureRow,
    GbvSection,
    IndicatorRow,
    IndicatorsSection,
    IndicatorValue,
    KeyDate,
    LeadershipSection,
    Locality,
    LocalityKind,
    NarrativeSection,
    OfficerText,
    ReportState,
    ResultsSection,
    ReturnNote,
    SignatureBlock,
    Submission,
    TaskCounts,
    TaskResult,
    TaskStatus,
    UnitCompleteness,
    UnitIndicatorValue,
    UnitReportState,
    UnitTaskOutcome,
)

UTC = dt.UTC
YEAR = 2026
SUBMITTED_AT = dt.datetime(2026, 12, 5, 2, 30, tzinfo=UTC)
DEADLINE = dt.date(2026, 11, 20)

# unit code, name, role, state, revision
UNITS = [
    ("VHXH", "Phòng Văn hoá - Xã hội", "lead", UnitReportState.ON_TIME, 1),
    ("KT", "Phòng Kinh tế", "coordinating", UnitReportState.ON_TIME, 1),
    ("VP", "Văn phòng HĐND và UBND", "coordinating", UnitReportState.ON_TIME, 2),
    ("TTDV", "Trung tâm cung ứng dịch vụ sự nghiệp công", "coordinating", UnitReportState.LATE, 1),
    ("TYT", "Trạm y tế xã", "coordinating", UnitReportState.ON_TIME, 1),
    ("MN", "Trường Mầm non Sơn Hải", "coordinating", UnitReportState.ON_TIME, 1),
    ("TH", "Trường Tiểu học Sơn Hải", "coordinating", UnitReportState.ON_TIME, 1),
    ("THCS", "Trường THCS Sơn Hải", "coordinating", UnitReportState.ON_TIME, 1),
    ("MTTQ", "Ủy ban MTTQ", "coordinating", UnitReportState.ON_TIME, 1),
    ("HPN", "Hội Liên hiệp Phụ nữ", "coordinating", UnitReportState.ON_TIME, 1),
    ("DTN", "Đoàn Thanh niên", "coordinating", UnitReportState.RETURNED, 1),
    ("THON-DONG", "Thôn Đông", "coordinating", UnitReportState.ON_TIME, 1),
    ("THON-DOAI", "Thôn Đoài", "coordinating", UnitReportState.MISSING, None),
    ("THON-TRUNG", "Thôn Trung", "coordinating", UnitReportState.ON_TIME, 1),
]
NAMES = {code: name for code, name, *_ in UNITS}

AREAS = [
    (1, "Triển khai hiệu quả các chương trình, kế hoạch, chiến lược quốc gia về bình đẳng giới và phòng, chống "
        "bạo lực trên cơ sở giới"),
    (2, "Đẩy mạnh truyền thông, phổ biến, giáo dục chính sách, pháp luật về bình đẳng giới"),
    (3, "Nâng cao năng lực và hiệu quả quản lý nhà nước về bình đẳng giới và công tác vì sự tiến bộ của phụ nữ"),
    (4, "Tăng cường phối hợp liên ngành trong thực hiện các nhiệm vụ về bình đẳng giới"),
    (5, "Tổ chức các hoạt động hưởng ứng Tháng hành động vì bình đẳng giới"),
    (6, "Tăng cường công tác phối hợp liên ngành nhằm thực hiện tốt công tác vì sự tiến bộ của phụ nữ và phòng "
        "ngừa, ứng phó với bạo lực trên cơ sở giới"),
]

# task code, content area (None: not linked), text, [(unit, status, summary)]
TASKS = [
    ("TC-VHXH.1", 1, "Chủ trì, phối hợp với các cơ quan, đơn vị liên quan tham mưu Ủy ban nhân dân xã tổ chức "
                     "triển khai thực hiện Kế hoạch",
     [("VHXH", TaskStatus.DONE, "Đã tham mưu UBND xã ban hành Kế hoạch và 02 văn bản hướng dẫn các thôn.")]),
    ("TC-VHXH.3", 2, "Triển khai các hoạt động tuyên truyền, nâng cao nhận thức về Luật Bình đẳng giới",
     [("VHXH", TaskStatus.DONE, "Tổ chức 12 buổi tuyên truyền tại các thôn với 1.240 lượt người tham dự.")]),
    ("TC-TTDV.1", 2, "Đổi mới các hình thức và phương tiện truyền thông, đẩy mạnh ứng dụng nền tảng số",
     [("TTDV", TaskStatus.DONE, "Phát 48 tin, bài trên hệ thống truyền thanh và trang thông tin điện tử xã.")]),
    ("TC-VHXH.2", 3, "Tham mưu hướng dẫn, tổ chức thực hiện các quy định về đào tạo nguồn cán bộ nữ",
     [("VHXH", TaskStatus.IN_PROGRESS, "Đã rà soát quy hoạch cán bộ nữ; kế hoạch đào tạo trình năm 2027.")]),
    ("TC-KT.1", 3, "Tham mưu bố trí kinh phí thực hiện Kế hoạch trong dự toán ngân sách",
     [("KT", TaskStatus.DONE, "Bố trí 35.000.000 đồng từ ngân sách xã.")]),
    ("TC-VP.1", 4, "Tăng cường công tác tuyên truyền, phổ biến, giáo dục Nhân dân thực hiện chính sách, pháp luật "
                   "về bình đẳng giới",
     [("VP", TaskStatus.DONE, "Đăng tải 15 văn bản pháp luật về bình đẳng giới trên cổng thông tin xã.")]),
    ("TC-TYT.1", 4, "Tổ chức các hoạt động truyền thông tư vấn về bình đẳng giới trong chăm sóc sức khỏe sinh sản",
     [("TYT", TaskStatus.DONE, "Tư vấn cho 320 cặp vợ chồng trong độ tuổi sinh đẻ.")]),
    ("TC-MTTQ.4", 5, "Tổ chức các hoạt động hưởng ứng Tháng hành động vì bình đẳng giới",
     [("MTTQ", TaskStatus.DONE, "Phối hợp tổ chức lễ phát động Tháng hành động ngày 15/11/2026."),
      ("HPN", TaskStatus.DONE, "Tổ chức hội thi “Gia đình hạnh phúc” với 8 đội tham gia."),
      ("DTN", TaskStatus.NOT_REPORTED, "")]),
    ("TC-MTTQ.3", 6, "Kịp thời phát hiện, phản ánh các hành vi vi phạm pháp luật liên quan đến bạo lực gia đình",
     [("MTTQ", TaskStatus.IN_PROGRESS, "Tiếp nhận và chuyển 3 phản ánh đến Công an xã.")]),
    ("TC-TH.1", None, "Lồng ghép tuyên truyền về bình đẳng giới trong công tác giảng dạy và hoạt động ngoại khoá",
     [("MN", TaskStatus.DONE, "Lồng ghép vào 4 chủ đề của chương trình giáo dục mầm non."),
      ("TH", TaskStatus.DONE, "Tổ chức 2 buổi ngoại khoá cho học sinh khối 4, 5."),
      ("THCS", TaskStatus.NOT_STARTED, "Chưa bố trí được thời gian trong học kỳ I.")]),
    ("TC-THON.1", None, "Tăng cường công tác tuyên truyền, vận động nhân dân thực hiện tốt các quy định của pháp "
                        "luật về bình đẳng giới trong các cuộc họp, sinh hoạt cộng đồng",
     [("THON-DONG", TaskStatus.DONE, "Lồng ghép vào 4 cuộc họp thôn."),
      ("THON-DOAI", TaskStatus.NOT_REPORTED, ""),
      ("THON-TRUNG", TaskStatus.DONE, "Lồng ghép vào 3 cuộc họp thôn.")]),
]


def _task(code: str, text: str, outcomes: list) -> TaskResult:
    statuses = {status for _, status, _ in outcomes}
    if statuses == {TaskStatus.DONE}:
        status = TaskStatus.DONE
    elif statuses == {TaskStatus.NOT_REPORTED}:
        status = TaskStatus.NOT_REPORTED
    elif statuses <= {TaskStatus.NOT_STARTED, TaskStatus.NOT_REPORTED}:
        status = TaskStatus.NOT_STARTED
    else:
        status = TaskStatus.IN_PROGRESS
    return TaskResult(
        task_code=code, text=text, lead_unit_code="VHXH" if code.startswith("TC-VHXH") else None, status=status,
        status_label=TASK_STATUS_LABELS[status],
        outcomes=[UnitTaskOutcome(unit_code=unit, unit_name=NAMES[unit], status=s, status_label=TASK_STATUS_LABELS[s],
                                  summary=summary, revision=None if s is TaskStatus.NOT_REPORTED else 1)
                  for unit, s, summary in outcomes])


def _results() -> ResultsSection:
    tasks = [(area, _task(code, text, outcomes)) for code, area, text, outcomes in TASKS]
    counted = [task.status for _, task in tasks]
    return ResultsSection(
        content_areas=[ContentAreaResult(number=number, title=title,
                                         planned=[f"Nội dung {number} của Kế hoạch."],
                                         tasks=[task for area, task in tasks if area == number])
                       for number, title in AREAS],
        other_tasks=[task for area, task in tasks if area is None],
        task_counts=TaskCounts(total=len(counted), **{s.value: counted.count(s) for s in TaskStatus}),
        free_text=["Các cơ quan, đơn vị cơ bản hoàn thành nhiệm vụ được giao theo Kế hoạch."])


def _indicators() -> IndicatorsSection:
    rows = [
        IndicatorRow(indicator_code="BDG-CS-01", name="Số lượt người được tuyên truyền, phổ biến pháp luật về bình "
                     "đẳng giới và phòng, chống bạo lực trên cơ sở giới", unit_of_measure="lượt người",
                     value_type="count", sex_disaggregated=True, baseline=1100, baseline_year=2025, target=1200,
                     result=IndicatorValue(value=1240, female=720, male=520), met=True, met_label="Đạt",
                     units=[UnitIndicatorValue(unit_code="VHXH", unit_name=NAMES["VHXH"], value=1000, female=580,
                                               male=420),
                            UnitIndicatorValue(unit_code="HPN", unit_name=NAMES["HPN"], value=240, female=140,
                                               male=100)]),
        IndicatorRow(indicator_code="BDG-CS-02", name="Số cán bộ, công chức được tập huấn, bồi dưỡng về bình đẳng "
                     "giới", unit_of_measure="người", value_type="count", sex_disaggregated=True, target=30,
                     result=IndicatorValue(value=24, female=15, male=9), met=False, met_label="Không đạt",
                     units=[UnitIndicatorValue(unit_code="VHXH", unit_name=NAMES["VHXH"], value=24, female=15,
                                               male=9)]),
        IndicatorRow(indicator_code="NQ28-YT-01", name="Tỷ số giới tính khi sinh (số bé trai trên 100 bé gái sinh ra "
                     "sống, không vượt quá)", unit_of_measure="bé trai/100 bé gái", value_type="number",
                     sex_disaggregated=False, baseline=112.0, baseline_year=2025, target=111.0,
                     direction=TargetDirection.AT_MOST, result=IndicatorValue(value=110.4), met=True, met_label="Đạt",
                     units=[UnitIndicatorValue(unit_code="TYT", unit_name=NAMES["TYT"], value=110.4)]),
        IndicatorRow(indicator_code="BDG-CS-03", name="Số hoạt động hưởng ứng Tháng hành động vì bình đẳng giới",
                     unit_of_measure="hoạt động", value_type="count", sex_disaggregated=False,
                     result=IndicatorValue(value=6), met=None, met_label="Chưa đánh giá",
                     units=[UnitIndicatorValue(unit_code="MTTQ", unit_name=NAMES["MTTQ"], value=6)]),
    ]
    return IndicatorsSection(rows=rows, met=2, not_met=1, not_assessed=1)


def _row(key: str, label: str, value: int | None) -> FigureRow:
    return FigureRow(key=key, label=label, value=value, suppressed=value is None)


def _gbv() -> GbvSection:
    return GbvSection(
        note="Chỉ tính các vụ việc mà người bị hại đồng ý sử dụng thông tin cho mục đích thống kê. Số liệu từ 1 đến "
             "4 được ẩn (ký hiệu *), kèm theo ô cần ẩn thêm để không thể suy ra ô đã ẩn từ tổng số.",
        total_cases=Cell(value=12, suppressed=False),
        by_case_type=[_row("domestic_violence_physical", "Bạo lực gia đình - thân thể", 7),
                      _row("domestic_violence_psychological", "Bạo lực gia đình - tinh thần", None),
                      _row("domestic_violence_economic", "Bạo lực gia đình - kinh tế", None),
                      _row("sexual_harassment", "Quấy rối tình dục", 0)],
        by_gbvims_type=[_row("physical_assault", "Tấn công thể chất", 7),
                        _row("psychological_abuse", "Lạm dụng tâm lý, tình cảm", None),
                        _row("denial_of_resources", "Từ chối tiếp cận nguồn lực, cơ hội hoặc dịch vụ", None)],
        victims_by_sex=[_row("female", "Nữ", 10), _row("male", "Nam", None), _row("unknown", "Không rõ", None)],
        victims_by_age_band=[_row("0-11", "Dưới 12 tuổi", 0), _row("12-17", "Từ 12 đến 17 tuổi", None),
                             _row("18-24", "Từ 18 đến 24 tuổi", None), _row("25-59", "Từ 25 đến 59 tuổi", 8),
                             _row("60+", "Từ 60 tuổi trở lên", None), _row("unknown", "Không rõ", 0)],
        measures=[_row("no_contact_order", "Cấm tiếp xúc", 5), _row("shelter", "Tạm lánh tại địa chỉ tin cậy", None)],
        referrals=[_row("health_facility", "Cơ sở y tế", None), _row("social_work_centre", "Trung tâm công tác xã hội",
                                                                     None)],
        escalated=Cell(value=6, suppressed=False),
        escalations_by_outcome=[_row("accepted", "Đã tiếp nhận", None), _row("done", "Đã giải quyết xong", None),
                                _row("rejected", "Từ chối", 0), _row("pending", "Chờ trả lời", 0)])


def _completeness() -> Completeness:
    units = []
    for code, name, role, state, revision in UNITS:
        submitted = None if state is UnitReportState.MISSING else dt.datetime(2026, 11, 12, 3, 0, tzinfo=UTC)
        if state is UnitReportState.LATE:
            submitted = dt.datetime(2026, 11, 23, 8, 15, tzinfo=UTC)
        units.append(UnitCompleteness(
            unit_code=code, unit_name=name, role=role, state=state, state_label=UNIT_STATE_LABELS[state],
            revision=revision, first_submitted_at=submitted,
            last_submitted_at=(dt.datetime(2026, 11, 18, 1, 0, tzinfo=UTC) if revision == 2 else submitted),
            returns=([ReturnNote(revision=1, returned_at=dt.datetime(2026, 11, 14, 2, 0, tzinfo=UTC),
                                 reason="Thiếu số liệu phân tách theo giới tính.")] if code in ("VP", "DTN") else []),
            attachments=([AttachmentNote(name="bien-ban-tuyen-truyen.pdf", size=182_344)] if code == "VHXH" else [])))
    states = [u.state for u in units]
    on_time, late = states.count(UnitReportState.ON_TIME), states.count(UnitReportState.LATE)
    return Completeness(deadline=DEADLINE, expected=len(units), submitted=on_time + late, on_time=on_time, late=late,
                        missing=states.count(UnitReportState.MISSING), returned=states.count(UnitReportState.RETURNED),
                        reporting_rate=round((on_time + late) / len(units), 4),
                        on_time_rate=round(on_time / len(units), 4), units=units)


def example_commune_report(**changes) -> CommuneReport:
    kind, short_name = LocalityKind.COMMUNE, "Sơn Hải"
    number, day = "125", dt.date(2026, 12, 5)
    plan = DocumentReference(kind="Kế hoạch", number="45", symbol="KH-UBND", date=dt.date(2026, 5, 28),
                             issuing_body="UBND xã Sơn Hải", title="Triển khai thực hiện công tác bình đẳng giới và vì "
                             "sự tiến bộ của phụ nữ trên địa bàn xã Sơn Hải năm 2026",
                             citation=wording.citation("Kế hoạch", "45", "KH-UBND", dt.date(2026, 5, 28),
                                                       "UBND xã Sơn Hải"))
    parent = DocumentReference(kind="Kế hoạch", number="169", symbol="KH-UBND", date=dt.date(2026, 5, 14),
                               issuing_body="UBND tỉnh Bắc Ninh",
                               citation=wording.citation("Kế hoạch", "169", "KH-UBND", dt.date(2026, 5, 14),
                                                         "UBND tỉnh Bắc Ninh"))
    fields = dict(
        report_id=uuid.UUID("5f0e8a52-6a3c-4d2e-9b7c-2f4c1a0b9e11"),
        commune=Locality(commune_code="07543", commune_name="Xã Sơn Hải", kind=kind, short_name=short_name,
                         province_code="24", province_name="Bắc Ninh"),
        year=YEAR, plan_id=uuid.UUID("0c3b9d1e-8f2a-4b6c-a1d3-7e5f9b2c4d60"), state=ReportState.SUBMITTED, revision=1,
        generated_at=SUBMITTED_AT,
        header=DocumentHeader(issuing_body=wording.issuing_body(kind, short_name),
                              issuing_body_lines=wording.issuing_body_lines(kind, short_name), number=number,
                              number_line=wording.number_line(number), place=short_name, date=day,
                              place_date_line=wording.place_date_line(short_name, day, YEAR),
                              summary=wording.report_summary(YEAR, kind, short_name)),
        leadership=LeadershipSection(plan=plan, plan_version=1, implements=[parent], units_assigned=len(UNITS),
                                     tasks_assigned=len(TASKS), report_deadline=DEADLINE,
                                     key_dates=[KeyDate(name="Tháng hành động vì bình đẳng giới",
                                                        start=dt.date(2026, 11, 15), end=dt.date(2026, 12, 15)),
                                                KeyDate(name="Ngày Quốc tế Phụ nữ", start=dt.date(2026, 3, 8))],
                                     free_text=["UBND xã đã quán triệt Kế hoạch tới các cơ quan, đơn vị và các thôn."]),
        results=_results(),
        indicators=_indicators(),
        gbv=_gbv(),
        assessment=AssessmentSection(
            achievements=["Công tác tuyên truyền được đẩy mạnh, nhận thức của Nhân dân về bình đẳng giới được nâng "
                          "lên.", "Các vụ việc bạo lực gia đình được phát hiện, xử lý kịp thời."],
            shortcomings=["Một số đơn vị báo cáo chậm; Thôn Đoài chưa gửi báo cáo."],
            causes=["Cán bộ phụ trách ở thôn kiêm nhiệm nhiều việc."]),
        next_year=NarrativeSection(heading=f"VI. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {YEAR + 1}",
                                   paragraphs=["Tiếp tục triển khai Chiến lược quốc gia về bình đẳng giới."]),
        proposals=NarrativeSection(heading="VII. ĐỀ XUẤT, KIẾN NGHỊ",
                                   paragraphs=["Đề nghị Sở Nội vụ tổ chức tập huấn cho cán bộ cấp xã."]),
        completeness=_completeness(),
        recipients=["Sở Nội vụ tỉnh Bắc Ninh;", "TT Đảng ủy, HĐND xã;", "Chủ tịch, các PCT UBND xã;",
                    "Lưu: VT, VHXH."],
        signature=SignatureBlock(deputy_for="KT. CHỦ TỊCH", title="PHÓ CHỦ TỊCH", signer_name="Nguyễn Văn An"),
        officer_text=OfficerText(version=3, edited_by="can-bo-xa", edited_at=dt.datetime(2026, 12, 1, 9, 0,
                                                                                         tzinfo=UTC)),
        submission=Submission(submitted_at=SUBMITTED_AT, submitted_by="chu-tich-xa",
                              province_deadline=dt.date(2026, 12, 15), late=False),
    )
    fields.update(changes)
    return CommuneReport(**fields)

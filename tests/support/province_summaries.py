"""A realistic province summary (Bắc Ninh, 2026) built directly as the content model, for tests of what reads it
(the province XLSX and DOCX renderers) without running the season that would assemble it.

`example_province_summary()` gives the 99 communes of Bắc Ninh from the official list of administrative units, in
every report status in turn (accepted, submitted late, submitted, returned, approved, draft, without a plan; Sơn Hải
accepted at its second revision), indicators summed by sex, GBV figures with hidden cells. Pass keyword arguments
to replace top-level fields.
"""
from __future__ import annotations

import datetime as dt

from services.common import admin_units
from services.reporting import province_summary, wording
from services.reporting.province_content import (
    COMMUNE_REPORT_STATUS_LABELS,
    PROVINCE_REPORT_SYMBOL,
    CommuneReportStatus,
    CommuneSummary,
    IndicatorTotal,
    ProvinceDocumentHeader,
    ProvinceLocality,
    ProvinceSummary,
    UnitReportCounts,
)
from services.reporting.report_content import (
    AssessmentSection,
    Cell,
    FigureRow,
    GbvSection,
    IndicatorValue,
    NarrativeSection,
    SignatureBlock,
)

UTC = dt.UTC
YEAR = 2026
PROVINCE = "24"  # Bắc Ninh
DEADLINE = dt.date(2026, 12, 15)
Status = CommuneReportStatus

# how a commune stands, dealt to Bắc Ninh's communes in turn: plan number (None: no plan), units (expected, on time,
# late, missing, returned), report status, revision submitted last
STANDINGS = [
    ("38", (16, 15, 1, 0, 0), Status.ACCEPTED, 1),
    ("41", (15, 12, 2, 1, 0), Status.LATE, 1),
    ("27", (12, 12, 0, 0, 0), Status.SUBMITTED, 1),
    ("30", (13, 9, 1, 2, 1), Status.RETURNED, 1),
    ("22", (14, 10, 2, 2, 0), Status.APPROVED, None),
    ("19", (12, 5, 0, 7, 0), Status.DRAFT, None),
    (None, (0, 0, 0, 0, 0), Status.NONE, None),
]
SON_HAI = ("07543", ("45", (14, 11, 1, 1, 1), Status.ACCEPTED, 2))
RECEIVED = {Status.SUBMITTED, Status.LATE, Status.ACCEPTED}


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _units(expected: int, on_time: int, late: int, missing: int, returned: int) -> UnitReportCounts:
    return UnitReportCounts(expected=expected, submitted=on_time + late, on_time=on_time, late=late, missing=missing,
                            returned=returned, reporting_rate=_rate(on_time + late, expected),
                            on_time_rate=_rate(on_time, expected))


def _communes() -> list[CommuneSummary]:
    """Every commune of Bắc Ninh in the official list, by code."""
    rows = []
    for index, commune in enumerate(admin_units.communes_of(PROVINCE)):
        plan_number, units, status, revision = (SON_HAI[1] if commune.code == SON_HAI[0]
                                                else STANDINGS[index % len(STANDINGS)])
        submitted = revision is not None
        body = wording.issuing_body(commune.kind, commune.short_name)
        rows.append(CommuneSummary(
            commune_code=commune.code, commune_name=commune.name, kind=commune.kind,
            plan_issued=plan_number is not None,
            plan_citation=(wording.citation("Kế hoạch", plan_number, "KH-UBND", dt.date(2026, 5, 28), body)
                           if plan_number else None),
            units=_units(*units), report_status=status, report_status_label=COMMUNE_REPORT_STATUS_LABELS[status],
            report_revision=revision,
            report_number_line=wording.number_line(str(100 + index)) if submitted else None,
            submitted_at=(dt.datetime(2026, 12, 18 if status is Status.LATE else 10, 2, 0, tzinfo=UTC)
                          if submitted else None),
            late=status is Status.LATE,
            report_url=f"/v1/communes/{commune.code}/years/{YEAR}/report" if submitted else None))
    return rows


def _row(key: str, label: str, value: int | None) -> FigureRow:
    return FigureRow(key=key, label=label, value=value, suppressed=value is None)


def _gbv() -> GbvSection:
    return GbvSection(
        note="Tổng hợp các vụ việc mà người bị hại đồng ý sử dụng thông tin cho mục đích thống kê, từ báo cáo của "
             "các xã, phường, đặc khu. Số liệu từ 1 đến 4 được ẩn (ký hiệu *), kèm theo ô cần ẩn thêm để không thể "
             "suy ra ô đã ẩn từ tổng số.",
        total_cases=Cell(value=57, suppressed=False),
        by_case_type=[_row("domestic_violence_physical", "Bạo lực gia đình - thân thể", 31),
                      _row("domestic_violence_psychological", "Bạo lực gia đình - tinh thần", 14),
                      _row("domestic_violence_economic", "Bạo lực gia đình - kinh tế", None),
                      _row("domestic_violence_sexual", "Bạo lực gia đình - tình dục", None),
                      _row("sexual_harassment", "Quấy rối tình dục", 5)],
        by_gbvims_type=[_row("physical_assault", "Tấn công thể chất", 31),
                        _row("psychological_abuse", "Lạm dụng tâm lý, tình cảm", 14),
                        _row("denial_of_resources", "Từ chối tiếp cận nguồn lực, cơ hội hoặc dịch vụ", None),
                        _row("sexual_assault", "Tấn công tình dục", None),
                        _row("rape", "Hiếp dâm", 0), _row("forced_marriage", "Cưỡng ép kết hôn", 0)],
        victims_by_sex=[_row("female", "Nữ", 49), _row("male", "Nam", 8), _row("unknown", "Không rõ", 0)],
        victims_by_age_band=[_row("0-11", "Dưới 12 tuổi", None), _row("12-17", "Từ 12 đến 17 tuổi", 6),
                             _row("18-24", "Từ 18 đến 24 tuổi", 9), _row("25-59", "Từ 25 đến 59 tuổi", 35),
                             _row("60+", "Từ 60 tuổi trở lên", None), _row("unknown", "Không rõ", 0)],
        measures=[_row("no_contact_order", "Cấm tiếp xúc", 18), _row("shelter", "Tạm lánh tại địa chỉ tin cậy", 11)],
        referrals=[_row("health_facility", "Cơ sở y tế", 9), _row("social_work_centre", "Trung tâm công tác xã hội",
                                                                    None),
                   _row("legal_aid", "Trợ giúp pháp lý", None)],
        escalated=Cell(value=21, suppressed=False),
        escalations_by_outcome=[_row("accepted", "Đã tiếp nhận", 8), _row("done", "Đã giải quyết xong", 11),
                                _row("rejected", "Từ chối", None), _row("pending", "Chờ trả lời", None)])


def _indicators() -> list[IndicatorTotal]:
    return [
        IndicatorTotal(indicator_code="BDG-CS-01", name="Số lượt người được tuyên truyền, phổ biến pháp luật về bình "
                       "đẳng giới và phòng, chống bạo lực trên cơ sở giới", unit_of_measure="lượt người",
                       value_type="count", sex_disaggregated=True, aggregation="sum", communes_reporting=6,
                       result=IndicatorValue(value=8375, female=4910, male=3465), target=7900),
        IndicatorTotal(indicator_code="BDG-CS-02", name="Số cán bộ, công chức được tập huấn, bồi dưỡng về bình đẳng "
                       "giới", unit_of_measure="người", value_type="count", sex_disaggregated=True, aggregation="sum",
                       communes_reporting=5, result=IndicatorValue(value=131, female=78, male=53), target=150),
        IndicatorTotal(indicator_code="NQ28-YT-01", name="Tỷ số giới tính khi sinh (số bé trai trên 100 bé gái sinh "
                       "ra sống)", unit_of_measure="bé trai/100 bé gái", value_type="number", sex_disaggregated=False,
                       aggregation="mean", communes_reporting=6, result=IndicatorValue(value=111.3)),
        IndicatorTotal(indicator_code="NQ28-LD-02", name="Tỷ lệ lao động nữ có việc làm được đào tạo nghề",
                       unit_of_measure="%", value_type="percent", sex_disaggregated=False, aggregation="mean",
                       communes_reporting=4, result=IndicatorValue(value=62.5)),
    ]


def example_province_summary(**changes) -> ProvinceSummary:
    day = dt.date(2026, 12, 28)
    province = admin_units.province(PROVINCE)
    assert province is not None
    communes = _communes()
    fields = dict(
        province=ProvinceLocality(province_code=province.code, province_name=province.name,
                                  short_name=province.short_name, in_words=province.in_words),
        year=YEAR, generated_at=dt.datetime(2026, 12, 28, 1, 0, tzinfo=UTC), province_deadline=DEADLINE,
        header=ProvinceDocumentHeader(
            governing_body_lines=["UBND TỈNH BẮC NINH"], issuing_body="Sở Nội vụ tỉnh Bắc Ninh",
            issuing_body_lines=["SỞ NỘI VỤ"], number="312", symbol=PROVINCE_REPORT_SYMBOL,
            number_line=f"Số: 312/{PROVINCE_REPORT_SYMBOL}", place="Bắc Ninh", date=day,
            place_date_line="Bắc Ninh, ngày 28 tháng 12 năm 2026",
            summary=f"Tổng hợp kết quả thực hiện công tác bình đẳng giới và vì sự tiến bộ của phụ nữ năm {YEAR} "
                    "của các xã, phường trên địa bàn tỉnh"),
        communes=communes,
        totals=province_summary.totals(communes),
        indicators=_indicators(),
        gbv=_gbv(),
        assessment=AssessmentSection(
            achievements=["Phần lớn các xã, phường ban hành kế hoạch đúng thời hạn và tổ chức Tháng hành động."],
            shortcomings=["Một số xã gửi báo cáo chậm, số liệu phân tách theo giới tính chưa đầy đủ."],
            causes=["Cán bộ làm công tác bình đẳng giới ở cấp xã kiêm nhiệm, thay đổi sau sắp xếp đơn vị hành chính."]),
        proposals=NarrativeSection(heading="VI. ĐỀ XUẤT, KIẾN NGHỊ",
                                   paragraphs=["Đề nghị UBND tỉnh bố trí kinh phí tập huấn cho cán bộ cấp xã."]),
        recipients=["UBND tỉnh (để báo cáo);", "Bộ Nội vụ (để báo cáo);", "Giám đốc, các PGĐ Sở;",
                    "Lưu: VT, CTTN."],
        signature=SignatureBlock(on_behalf_of=None, deputy_for="KT. GIÁM ĐỐC", title="PHÓ GIÁM ĐỐC",
                                 signer_name="Trần Thị Bình"),
    )
    fields.update(changes)
    return ProvinceSummary(**fields)

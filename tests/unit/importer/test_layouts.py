"""Plans written differently from the seed: a ward, other units, other deadlines, sub-items, other markers."""
import datetime as dt
import unicodedata

from services.plans.document import FundingSource, LocalityType, UnitRole, UnitType
from services.plans.importer import import_text
from tests.unit.importer.conftest import fixture_text, load_directory


def codes(result):
    return [(w.line, w.code, w.expected, w.found) for w in result.warnings]


def test_a_ward_with_its_residential_groups_and_a_december_deadline():
    result = import_text(fixture_text("ke-hoach-phuong-dong-ngan-2026.txt"),
                         directory=load_directory("directory-dong-ngan.json"))
    document = result.document
    assert codes(result) == []  # a clean document gives no warning at all
    assert (document.locality_type, document.locality_name, document.issuing_body) == (
        LocalityType.WARD, "Đông Ngàn", "UBND phường Đông Ngàn")
    assert (document.reference.number, document.reference.date) == ("45", dt.date(2026, 6, 2))
    parent = document.parent_plan
    assert parent is not None
    assert parent.issuing_body == "Ủy ban nhân dân tỉnh Bắc Ninh"
    assert parent.date == dt.date(2026, 5, 14)
    assert [len(a.tasks) for a in document.content_areas] == [2, 2]  # '*' bullets are tasks
    assert [(u.unit_name, u.unit_type, u.unit_codes, u.is_group, u.requested, u.role)
            for u in document.organisation] == [
        ("Phòng Văn hoá - Xã hội phường", UnitType.DEPARTMENT, ["VHXH"], False, False, UnitRole.LEAD),
        ("Công an phường", UnitType.POLICE, ["CA"], False, False, UnitRole.COORDINATING),
        ("Hội Liên hiệp Phụ nữ phường", UnitType.MASS_ORGANISATION, ["HPN"], False, True, UnitRole.COORDINATING),
        ("Đoàn Thanh niên phường", UnitType.MASS_ORGANISATION, ["DTN"], False, False, UnitRole.COORDINATING),
        # TDP-3 was dissolved before the plan was issued
        ("Các tổ dân phố", UnitType.VILLAGE, ["TDP-1", "TDP-2"], True, False, UnitRole.COORDINATING),
    ]
    reporting = document.reporting
    assert reporting is not None
    assert (reporting.report_to, reporting.through_unit, reporting.compiled_for) == (
        "UBND phường", "Phòng Văn hoá - Xã hội", "Sở Nội vụ")
    assert reporting.reporters == "Các cơ quan, đơn vị và các tổ dân phố"
    assert result.report_deadline == dt.date(2026, 12, 15)
    assert [k.name for k in document.key_dates] == [
        "Ngày Quốc tế Phụ nữ", "Ngày Phụ nữ Việt Nam",
        "Tháng hành động vì bình đẳng giới và phòng ngừa, ứng phó với bạo lực trên cơ sở giới"]
    assert document.funding.sources == [FundingSource.STATE_BUDGET]
    assert document.signature.title == "CHỦ TỊCH" and document.signature.deputy_for is None
    assert document.signature.signer_name == "Trần Thị Lan"


def test_lettered_items_and_plus_bullets_become_sub_items():
    result = import_text(fixture_text("ke-hoach-xa-tan-lap-2026-muc-con.txt"))
    document = result.document
    assert codes(result) == []
    first_area, second_area = document.content_areas
    assert [(t.code, t.sub_items) for t in first_area.tasks] == [
        ("ND-1.1", ["Sinh hoạt câu lạc bộ gia đình phát triển bền vững;",
                    "Nói chuyện chuyên đề tại nhà văn hoá thôn."]),
        ("ND-1.2", ["Tài liệu dành cho nam giới và trẻ em trai;", "Tài liệu dành cho người cao tuổi."]),
    ]
    # lettered items straight under an area are its tasks; '+' under them are their sub-items
    assert [(t.text, t.sub_items) for t in second_area.tasks] == [
        ("Hỗ trợ phụ nữ tiếp cận nguồn vốn vay ưu đãi.", []),
        ("Dạy nghề ngắn hạn cho lao động nữ nông thôn:", ["Nghề may công nghiệp;", "Nghề chế biến nông sản."]),
    ]
    police, culture, villages = document.organisation
    # '1. Công an xã: Chủ trì ...': the unit and its first task on one line
    assert police.unit_name == "Công an xã" and police.unit_type is UnitType.POLICE
    assert [t.text for t in police.tasks] == [
        "Chủ trì phối hợp xác minh, xử lý các vụ việc bạo lực trên cơ sở giới.",
        "Hướng dẫn các thôn tổ chức tuyên truyền về phòng, chống bạo lực gia đình."]
    assert culture.tasks[0].sub_items == ["Kế hoạch hưởng ứng Tháng hành động vì bình đẳng giới;",
                                         "Báo cáo sơ kết, tổng kết công tác bình đẳng giới."]
    # the unit that 'chủ trì' and the unit reports go through both lead
    assert [u.role for u in document.organisation] == [UnitRole.LEAD, UnitRole.LEAD, UnitRole.COORDINATING]
    assert villages.is_group and villages.unit_type is UnitType.VILLAGE
    reporting = document.reporting
    assert reporting is not None
    assert (reporting.due_day, reporting.due_month, reporting.due_before, reporting.recurring_yearly) == (
        30, 11, False, False)  # 'chậm nhất ngày 30 tháng 11 năm 2026': on that day at the latest, this year
    assert document.funding.sources == [FundingSource.STATE_BUDGET, FundingSource.OTHER_LAWFUL]
    assert document.parent_plan is not None
    assert document.parent_plan.title == ("Triển khai thực hiện công tác bình đẳng giới và vì sự tiến bộ "
                                          "của phụ nữ tỉnh Bắc Ninh năm 2026")


def test_other_units_matched_uncertainly_or_not_at_all():
    result = import_text(fixture_text("ke-hoach-xa-hoa-binh-2027-don-vi-khac.txt"),
                         directory=load_directory("directory-hoa-binh.json"))
    document = result.document
    assert codes(result) == [
        (24, "key_date_unusual", "20/10", "20/11"),
        (32, "unit_name_uncertain", "Trung tâm cung ứng dịch vụ sự nghiệp công", "Trung tâm dịch vụ sự nghiệp công xã"),
        (36, "unit_not_in_directory", None, "Ban Chỉ huy Quân sự xã"),
        (48, "unit_not_in_directory", None, "Các tổ dân phố"),
        (62, "signer_name_missing", "họ và tên người ký", None),
    ]
    assert [(u.unit_type, u.unit_codes, u.role) for u in document.organisation] == [
        (UnitType.SERVICE_CENTRE, [], UnitRole.COORDINATING),  # close, proposed in the warning, not assigned
        (UnitType.OTHER, [], UnitRole.COORDINATING),
        (UnitType.MASS_ORGANISATION, ["HPN"], UnitRole.LEAD),  # 'Hội Phụ nữ' is the Hội Liên hiệp Phụ nữ
        (UnitType.MASS_ORGANISATION, ["DTN"], UnitRole.COORDINATING),
        (UnitType.VILLAGE, [], UnitRole.COORDINATING),
    ]
    # separate parts for purposes and requirements, a part of its own for reporting
    assert len(document.purposes) == 1 and len(document.requirements) == 2
    reporting = document.reporting
    assert reporting is not None
    assert (reporting.report_to, reporting.through_unit, reporting.due_day, reporting.due_month) == (
        "Văn phòng HĐND và UBND xã", None, 10, 12)
    assert reporting.compiled_for == "UBND xã" and reporting.recurring_yearly
    assert result.year == 2027 and result.report_deadline == dt.date(2027, 12, 10)
    assert document.parent_plan is None
    assert document.signature.signer_name is None


def test_a_township_with_capital_title_and_the_signature_before_the_recipients():
    result = import_text(fixture_text("ke-hoach-thi-tran-cho-2024.txt"),
                         directory=load_directory("directory-thi-tran-cho.json"), year_hint=2025)
    document = result.document
    assert codes(result) == [
        (2, "document_number_missing", None, "Số: /KH-UBND"),
        (8, "year_mismatch", "2025", "2024"),
        (18, "numbering_skipped", "2", "3"),
    ]
    assert (document.locality_type, document.issuing_body, result.year) == (
        LocalityType.TOWNSHIP, "UBND thị trấn Chờ", 2024)
    assert document.title == "THỰC HIỆN CÔNG TÁC BÌNH ĐẲNG GIỚI TRÊN ĐỊA BÀN THỊ TRẤN CHỜ NĂM 2024"
    assert document.parent_plan is not None
    assert (document.parent_plan.number, document.parent_plan.issuing_body) == ("25", "UBND huyện Yên Phong")
    assert [a.title for a in document.content_areas] == ["Tuyên truyền về bình đẳng giới",
                                                         "Phòng, chống bạo lực gia đình"]
    # '3) Chế độ báo cáo' inside Tổ chức thực hiện is the reporting obligation, not a unit
    assert [(u.unit_name, u.unit_codes) for u in document.organisation] == [
        ("Phòng Văn hoá Thông tin thị trấn", ["VHTT"]), ("Trạm Y tế thị trấn", ["TYT"])]
    assert document.reporting is not None
    assert (document.reporting.reporters, document.reporting.report_to, document.reporting.due_day) == (
        "Các khu phố", "UBND thị trấn", 25)
    assert document.signature.signer_name == "Ngô Văn Tùng"  # '(Đã ký)' is not a name
    assert document.recipients == ["UBND huyện (b/c)", "Lưu: VT"]
    assert [k.name for k in document.key_dates] == ["Ngày Quốc tế Phụ nữ"]


def test_every_warning_message_is_vietnamese_in_nfc():
    vietnamese_letters = set("ăâđêôơưàáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ")
    for name in ("ke-hoach-binh-dang-gioi-2026-son-hai.txt", "ke-hoach-xa-hoa-binh-2027-don-vi-khac.txt",
                 "ke-hoach-thi-tran-cho-2024.txt"):
        result = import_text(fixture_text(name), directory=load_directory("directory-hoa-binh.json"))
        assert result.warnings
        for warning in result.warnings:
            for text in (warning.message, warning.expected or "", warning.found or ""):
                assert unicodedata.is_normalized("NFC", text)
            assert vietnamese_letters & set(warning.message.lower()), warning.message

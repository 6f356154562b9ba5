"""Plan documents and unit directories for tests, built as data (the importer has its own tests)."""
from __future__ import annotations

COMMUNE = "07543"

DIRECTORY = [
    {"code": "VHXH", "name": "Phòng Văn hoá - Xã hội", "unit_type": "department",
     "contact_points": [{"role": "reporting_officer", "channel": "in_app"}]},
    {"code": "KT", "name": "Phòng Kinh tế", "unit_type": "department"},
    {"code": "TYT", "name": "Trạm y tế xã", "unit_type": "health_station"},
    {"code": "THON-DONG", "name": "Thôn Đông", "unit_type": "village"},
    {"code": "THON-DOAI", "name": "Thôn Đoài", "unit_type": "village"},
    {"code": "THON-CU", "name": "Thôn Cũ", "unit_type": "village", "active_from": "2010-01-01",
     "active_to": "2025-06-30"},
]


def document(title_suffix: str = "", *, due_day: int = 20, due_month: int = 11) -> dict:
    return {
        "issuing_body": "UBND xã Sơn Hải", "locality_type": "xa", "locality_name": "Sơn Hải",
        "reference": {"number": "12", "symbol": "KH-UBND", "date": "2026-05-20", "issuing_body": "UBND xã Sơn Hải"},
        "place": "Sơn Hải",
        "title": "Triển khai thực hiện công tác bình đẳng giới và vì sự tiến bộ của phụ nữ năm 2026" + title_suffix,
        "parent_plan": {"number": "169", "symbol": "KH-UBND", "date": "2026-05-14",
                        "issuing_body": "UBND tỉnh Bắc Ninh"},
        "purposes": ["Nâng cao nhận thức về bình đẳng giới."],
        "requirements": ["Bám sát thực tiễn."],
        "content_areas": [{"number": 1, "title": "Truyền thông về bình đẳng giới", "tasks": [
            {"code": "ND-1.1", "text": "Tuyên truyền trên hệ thống thông tin cơ sở."}]}],
        "funding": {"text": "Ngân sách Nhà nước.", "sources": ["state_budget"]},
        "organisation": [
            {"number": 1, "unit_name": "Phòng Văn hoá - Xã hội", "unit_type": "department", "unit_codes": ["VHXH"],
             "role": "lead", "tasks": [{"code": "TC-1.1", "text": "Chủ trì tham mưu triển khai Kế hoạch."},
                                       {"code": "TC-1.2", "text": "Tuyên truyền phòng, chống bạo lực gia đình."}]},
            {"number": 2, "unit_name": "Trạm y tế xã", "unit_type": "health_station", "unit_codes": ["TYT"],
             "role": "coordinating", "tasks": [{"code": "TC-2.1", "text": "Tư vấn sức khỏe sinh sản."}]},
            {"number": 3, "unit_name": "Các thôn", "unit_type": "village", "unit_codes": ["THON-DONG", "THON-DOAI"],
             "is_group": True, "role": "coordinating",
             "tasks": [{"code": "TC-3.1", "text": "Kịp thời phát hiện, báo cáo các trường hợp bạo lực."}]},
        ],
        "reporting": {"report_to": "UBND xã", "through_unit": "Phòng Văn hoá - Xã hội", "due_day": due_day,
                      "due_month": due_month, "compiled_for": "Sở Nội vụ"},
        "key_dates": [{"name": "Tháng hành động vì bình đẳng giới", "start_day": 15, "start_month": 11,
                       "end_day": 15, "end_month": 12}],
        "recipients": ["Sở Nội vụ (b/c)", "Lưu: VT"],
        "signature": {"on_behalf_of": "TM. ỦY BAN NHÂN DÂN", "deputy_for": "KT. CHỦ TỊCH", "title": "PHÓ CHỦ TỊCH",
                      "signer_name": "Nguyễn Văn A"},
    }


INDICATOR_TARGETS = [
    {"indicator_code": "BDG-CS-01", "target": 2000, "reported_by_units": ["VHXH"]},
    {"indicator_code": "BDG-CS-03", "target": 5, "reported_by_tasks": ["TC-1.2"]},
]



def seed_text(year: int = 2026) -> str:
    """The commune's real plan (samples/, the seed document), as of `year`: its title and text say that year's."""
    from pathlib import Path

    seed = Path(__file__).resolve().parents[2] / "samples" / "ke-hoach-binh-dang-gioi-2026-son-hai.txt"
    return seed.read_text(encoding="utf-8").replace("năm 2026", f"năm {year}")


def seed_docx(year: int = 2026) -> bytes:
    """The seed document as a Word file (a paragraph per line), as an officer would upload it."""
    import io

    import docx

    document = docx.Document()
    for line in seed_text(year).splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

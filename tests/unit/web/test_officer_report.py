"""The commune officer's report form (sections V-VII) and the notifications list, as pure functions."""
from services.web import dates, notifications_sent, report_text


def test_a_textarea_becomes_paragraphs_one_per_line_in_nfc():
    decomposed = "Phu\u0323 nư\u0303"  # NFD
    assert report_text.paragraphs_of(f"  Một.\r\n\r\n{decomposed}\n \n") == ["Một.", "Phụ nữ"]


def test_validation_names_the_field_and_the_paragraph_that_is_too_long():
    sections, errors = report_text.validate({"achievements": "Ngắn.\n" + "x" * 4001, "causes": "Do.\n" * 51})
    assert errors["achievements"].startswith("Đoạn 2 dài 4.001 ký tự, quá 4.000 ký tự")
    assert errors["causes"] == "Có 51 đoạn, quá 50 đoạn cho phép."
    assert "proposals" not in errors and sections["proposals"] == []
    assert report_text.validate({"achievements": "x" * 4000})[1] == {}


def test_the_body_keeps_what_the_form_does_not_show():
    latest = {"leadership": ["Tự viết."], "achievements": ["Cũ."], "recipients": None,
              "signature": {"title": "CHỦ TỊCH"}}
    body = report_text.body_of(latest, {"achievements": ["Mới."], "proposals": []})
    assert body == {"leadership": ["Tự viết."], "achievements": ["Mới."], "proposals": [],
                    "signature": {"title": "CHỦ TỊCH"}}
    assert report_text.values_of(latest)["achievements"] == "Cũ."


def test_a_services_field_errors_land_next_to_the_sections():
    answer = {"error": {"fields": [{"field": "body.causes.3", "problem": "too long"}, {"field": "signature"}]}}
    assert list(report_text.field_errors(answer)) == ["causes"]
    assert report_text.field_errors(None) == {}


def test_figures_and_times_print_the_vietnamese_way():
    assert [report_text.number(v) for v in (2100.0, 12.5, None, True, 1234.56)] == [
        "2.100", "12,5", "—", "Có", "1.234,56"]
    assert report_text.percent(0.75) == "75%" and report_text.percent(None) == "—"
    assert dates.time_text("2026-11-30T00:32:00+00:00") == "30/11/2026 07:32"
    assert dates.date_text("2026-11-20") == "20/11/2026" and dates.time_text("không phải") == ""


def notification(number: int, status: str = "delivered", channel_status: str = "sent") -> dict:
    return {"id": f"n{number}", "created_at": "2026-11-30T00:00:00Z", "title": f"Thông báo {number}", "body": "…",
            "recipient_role": "unit_reporter", "recipient_unit": "VHXH", "status": status, "urgent": False,
            "deliveries": [{"channel": "email", "status": channel_status, "attempts": 1, "sent_at": None,
                            "provider_answer": None}]}


def test_notifications_are_listed_twenty_a_page_and_failed_ones_stand_out():
    items = [notification(n) for n in range(45)] + [notification(99, "delivered", "given_up")]
    first = notifications_sent.listing(items, 1, failed_only=False)
    assert (len(first.rows), first.pages, first.total, first.failed) == (20, 3, 46, 1)
    assert first.rows[0].recipient == "Người báo cáo của đơn vị · VHXH"
    assert first.rows[0].deliveries[0].channel == "Thư điện tử"
    last = notifications_sent.listing(items, 99, failed_only=False)  # past the end: the last page
    assert (last.page, len(last.rows), last.rows[-1].failed) == (3, 6, True)
    failed = notifications_sent.listing(items, 1, failed_only=True)
    assert [row.id for row in failed.rows] == ["n99"] and failed.rows[0].deliveries[0].failed
    assert notifications_sent.page_number("abc") == 1 and notifications_sent.page_number("2") == 2

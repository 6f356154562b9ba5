"""Every template: formal Vietnamese in NFC, the commune, dd/mm/yyyy, the link; never a victim's details."""
import unicodedata
from datetime import UTC, date, datetime

import pytest

from services.notifications import templates

# a case as the cases service holds it: the victim's details must never reach a message
VICTIM = {"victim_name": "Nguyễn Thị Hoà", "victim_phone": "0987654321", "victim_address": "thôn Đông, xóm 3",
          "victim_birth_date": "12/03/1990", "narrative": "bị chồng đánh gãy tay"}
CASE = {"case_code": "VV26-ABCDEFGH", "case_type_name": "bạo lực gia đình (thể chất)", "risk_name": "cao",
        "deadline_name": "xác minh", "due_at": datetime(2026, 11, 2, 20, 30, tzinfo=UTC),
        "authority_name": "Công an xã", "escalated_at": datetime(2026, 11, 3, 1, 0, tzinfo=UTC),
        "referred_at": datetime(2026, 11, 3, 2, 0, tzinfo=UTC)}
EVERYTHING = {
    **VICTIM, **CASE, "commune_name": "xã Sơn Hải", "year": 2026, "link": "/cases/VV26-ABCDEFGH",
    "plan_title": "Kế hoạch thực hiện công tác bình đẳng giới năm 2026", "unit_name": "Trạm y tế", "task_count": 3,
    "lead": False, "committee": "UBND xã Sơn Hải", "deadline": date(2026, 11, 20), "unit_count": 14, "version": 2,
    "revision": 1, "reason": "Thiếu số liệu chỉ tiêu", "days_left": 7, "start": date(2026, 11, 15),
    "end": date(2026, 12, 15), "observance_name": "Ngày Quốc tế Phụ nữ", "day": date(2026, 3, 8),
    "document_number": "12/BC-UBND", "document_date": date(2026, 12, 10)}


@pytest.mark.parametrize("kind", sorted(templates.KINDS))
def test_every_kind_renders_without_victim_data_in_nfc_with_the_commune_and_the_link(kind):
    rendered = templates.render(kind, EVERYTHING, "https://binhdang.bacninh.gov.vn/")
    email = templates.email(rendered)
    zalo = templates.zalo_params(rendered)
    texts = [rendered.title, rendered.body, rendered.sms, *email.values(), *zalo.values()]
    for text in texts:
        assert text == unicodedata.normalize("NFC", text)
        for detail in VICTIM.values():
            assert detail not in text
    assert "Sơn Hải" in rendered.body
    assert "https://binhdang.bacninh.gov.vn/cases/VV26-ABCDEFGH" in email["html"] + email["text"]
    assert "{{" not in rendered.body and "None" not in rendered.body
    if "deadline" in templates.KINDS[kind]:
        assert "20/11/2026" in rendered.body


def test_html_is_escaped_and_plain_text_is_not():
    context = {**EVERYTHING, "plan_title": 'Kế hoạch <script>alert("x")</script> & "BĐG"'}
    rendered = templates.render("plan_issued_unit", context, "http://localhost")
    email = templates.email(rendered)
    assert "<script>" not in email["html"] and "&lt;script&gt;" in email["html"]
    assert '<script>alert("x")</script>' in email["text"]


def test_case_times_are_shown_in_vietnam_time():
    rendered = templates.render("case_overdue", EVERYTHING, "http://localhost")
    assert "03:30 03/11/2026" in rendered.body


def test_a_missing_variable_is_an_error_not_a_blank():
    with pytest.raises(ValueError, match="deadline"):
        templates.render("reminder_before_deadline", {"commune_name": "xã Sơn Hải", "year": 2026, "link": "/",
                                                      "unit_name": "Trạm y tế", "days_left": 7}, "http://localhost")
    with pytest.raises(ValueError):
        templates.render("no_such_kind", EVERYTHING, "http://localhost")


def test_every_kind_has_a_title_a_body_and_an_sms_and_every_file_is_a_kind():
    from pathlib import Path
    folder = Path(templates.__file__).parent / "kinds"
    assert {p.name.removesuffix(".txt.j2") for p in folder.glob("*.txt.j2")} == set(templates.KINDS)
    for kind in templates.KINDS:
        rendered = templates.render(kind, EVERYTHING, "http://localhost")
        assert rendered.title and rendered.body and rendered.sms


def test_a_digest_lists_each_notice_with_its_link_escaped_in_html():
    items = [{"title": f"Thông báo {n} <b>", "body": "Nội dung", "link": f"http://localhost/plans/{n}",
              "commune_name": "xã Sơn Hải"} for n in range(2)]
    digest = templates.digest_email(items, datetime(2026, 11, 13, 1, 0, tzinfo=UTC))
    assert digest["subject"] == "Tổng hợp 2 thông báo ngày 13/11/2026"
    assert "1. Thông báo 0 <b>" in digest["text"] and "2. Thông báo 1 <b>" in digest["text"]
    assert "&lt;b&gt;" in digest["html"] and "http://localhost/plans/1" in digest["html"]


def test_webhooks_forward_exactly_the_event_types_the_service_receives():
    from services.notifications.webhook_subscriptions import FORWARDED_EVENT_TYPES
    from services.ops.topology import subscriptions

    received = {entrypoint.event_type for cls, _, entrypoint in subscriptions() if cls.name == "notifications"}
    assert set(FORWARDED_EVENT_TYPES) == received

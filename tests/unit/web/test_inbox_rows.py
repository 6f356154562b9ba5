"""The inbox's rows (unread first, newest first within each, times in Vietnam); the report page's helpers."""
import datetime as dt

from services.web.inbox import rows
from services.web.unit_report_form import deadline_note, size_text


def item(id_: str, at: str, read: bool) -> dict:
    return {"id": id_, "template": "t", "title": id_, "body": "b", "urgent": False, "created_at": at, "read": read}


def test_unread_first_then_newest_first():
    made = rows([item("a", "2026-11-02T02:00:00+00:00", True), item("b", "2026-11-01T02:00:00+00:00", False),
                 item("c", "2026-11-03T02:00:00+00:00", False), item("d", "2026-11-04T02:00:00+00:00", True)])
    assert [row.id for row in made] == ["c", "b", "d", "a"]
    assert made[0].received == "03/11/2026 09:00"


def test_deadline_note_and_sizes():
    assert deadline_note("2026-11-20", dt.date(2026, 11, 15)) == "Hạn: trước ngày 20/11/2026 (còn 5 ngày)"
    assert "đã quá hạn" in deadline_note("2026-11-20", dt.date(2026, 11, 20))
    assert [size_text(n) for n in (10, 2048, 3 * 1024 * 1024)] == ["10 byte", "2,0 KB", "3,0 MB"]

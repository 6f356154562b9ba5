"""The unit reporter's attachments: a file sent with the report or added to the current report, listed with a
download proxied through the web; a rejected file's message next to the file field, nothing else lost; another
unit's file is not found; the task deadlines on the page."""
import re

import pytest

from services.common.roles import Role
from tests.integration.web.conftest import COMMUNE, OFFICER
from tests.integration.web.test_unit_reporter import filled

pytestmark = pytest.mark.integration

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00" + b"\x00" * 200


def send(browser, form: dict, file: tuple | None = None):
    files = {"file": file} if file else {"file": ("", b"", "application/octet-stream")}
    return browser.http.post(browser.base + "/bao-cao", data=form, files=files, allow_redirects=False, timeout=30)


def reports_of(plans, plan_id) -> list[dict]:
    return plans.call("GET", f"/v1/plans/{plan_id}/unit-reports", OFFICER).json()["items"]


def test_the_form_is_multipart_and_each_task_shows_its_deadline(reporter):
    page = reporter.get("/bao-cao").text
    assert 'enctype="multipart/form-data"' in page
    assert '<label for="tep-bao-cao">Tệp đính kèm báo cáo (không bắt buộc)</label>' in page
    assert page.count('class="task-deadline">Hạn: trước ngày 20/11/2026') == 2  # TC-1.1 and TC-1.2


def test_a_file_sent_with_the_report_is_listed_and_downloaded_through_the_web(reporter, plans, plan_id):
    sent = send(reporter, filled(reporter), ("Báo cáo tháng 10.pdf", PDF, "application/pdf"))
    assert sent.status_code == 303, sent.text
    report = reports_of(plans, plan_id)[0]
    assert [a["filename"] for a in report["attachments"]] == ["Báo cáo tháng 10.pdf"]
    page = reporter.get("/bao-cao?da-gui=1").text
    link = f'/bao-cao/{report["id"]}/tep/{report["attachments"][0]["id"]}'
    assert f'href="{link}"' in page and ">Báo cáo tháng 10.pdf</a>" in page
    download = reporter.get(link)
    assert download.status_code == 200 and download.content == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"].startswith('attachment; filename="Bao cao thang 10.pdf"')
    assert "filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20th%C3%A1ng%2010.pdf" in download.headers["Content-Disposition"]
    assert download.headers["Cache-Control"] == "no-store"


def test_a_file_added_to_the_current_report(reporter, plans, plan_id):
    assert send(reporter, filled(reporter)).status_code == 303
    page = reporter.get("/bao-cao").text
    assert "Báo cáo này chưa có tệp đính kèm." in page
    added = send(reporter, {"csrf_token": reporter.csrf("/bao-cao"), "action": "attach"},
                 ("so-lieu.txt", "Số liệu tháng 10".encode(), "text/plain"))
    assert added.status_code == 303 and added.headers["Location"].endswith("/bao-cao?da-dinh-kem=1")
    assert "Đã đính kèm tệp vào báo cáo." in reporter.get("/bao-cao?da-dinh-kem=1").text
    report = reports_of(plans, plan_id)[0]
    assert [a["filename"] for a in report["attachments"]] == ["so-lieu.txt"]
    nothing = send(reporter, {"csrf_token": reporter.csrf("/bao-cao"), "action": "attach"})
    assert nothing.status_code == 422
    assert '<p class="error" id="loi-tep-them">Vui lòng chọn một tệp để đính kèm.</p>' in nothing.text


def test_a_rejected_file_shows_the_services_message_next_to_the_file_field(reporter, plans, plan_id):
    form = filled(reporter, **{"summary-TC-1.2": "Đã tổ chức 5 buổi."})
    refused = send(reporter, form, ("hoa-don.pdf", EXE, "application/pdf"))
    assert refused.status_code == 415
    assert re.search(r'<p class="error" id="loi-tep-bao-cao">Không nhận tệp chạy được[^<]*</p>', refused.text)
    assert 'aria-describedby="goi-y-tep-bao-cao loi-tep-bao-cao"' in refused.text
    assert ">Đã tổ chức 5 buổi.</textarea>" in refused.text  # what was written is still there
    assert "Đã gửi báo cáo, nhưng tệp đính kèm chưa được nhận." in refused.text
    report = reports_of(plans, plan_id)[0]
    assert report["attachments"] == []
    added = send(reporter, {"csrf_token": reporter.csrf("/bao-cao"), "action": "attach"},
                 ("danh-sach.docx", b"not a zip", "application/octet-stream"))
    assert added.status_code == 415
    assert re.search(r'<p class="error" id="loi-tep-them">Nội dung tệp không phải \.docx\.</p>', added.text)
    assert reports_of(plans, plan_id)[0]["attachments"] == []


def test_without_the_csrf_token_no_file_is_attached(reporter, plans, plan_id):
    assert send(reporter, filled(reporter)).status_code == 303
    refused = send(reporter, {"action": "attach"}, ("a.txt", b"abc", "text/plain"))
    assert refused.status_code == 403
    assert reports_of(plans, plan_id)[0]["attachments"] == []


def test_another_units_file_is_not_found(web, reporter, plans, plan_id):
    assert send(reporter, filled(reporter), ("a.txt", b"abc", "text/plain")).status_code == 303
    report = reports_of(plans, plan_id)[0]
    link = f'/bao-cao/{report["id"]}/tep/{report["attachments"][0]["id"]}'
    web.add("bao-cao-tyt", Role.UNIT_REPORTER, commune=COMMUNE, unit="TYT")
    other = web.browser()
    other.sign_in("bao-cao-tyt")
    assert other.get(link).status_code == 404
    assert other.get(f'/bao-cao/{report["id"]}/tep/{"0" * 36}').status_code == 404
    web.add("can-bo-xa", Role.COMMUNE_OFFICER, commune=COMMUNE)
    officer = web.browser()
    officer.sign_in("can-bo-xa")
    assert officer.get(link).status_code == 404

"""The commune officer's report to Sở Nội vụ (/bao-cao-xa, its preview and documents) and the notifications sent
(/thong-bao-da-gui), against the running web, plans, reporting and notifications (plans' events reach reporting
and notifications over RabbitMQ, in a virtual host of this test's own)."""
from __future__ import annotations

import io
import re
import zipfile

import docx
import openpyxl
import pytest

from services.common.roles import Role
from services.notifications.service import NotificationsService
from services.plans.service import PlansService
from services.reporting.service import ReportingService
from tests.integration.web.conftest import COMMUNE, OFFICER, Clock, issue_plan, start_web
from tests.support.broker import private_vhost
from tests.support.service_http import free_port, start_service, token
from tests.support.waiting import wait_until

pytestmark = pytest.mark.integration

REPORT = f"/v1/communes/{COMMUNE}/years/2026/report"
LEADER = token("commune_leader", COMMUNE, subject="chu-tich-xa")
TASKS = {"VHXH": ["TC-1.1", "TC-1.2"], "TYT": ["TC-2.1"], "THON-DONG": ["TC-3.1"], "THON-DOAI": ["TC-3.1"]}
# the commune office's contact: the officer's notifications go to it by email (to an SMTP port nobody listens on)
OFFICE = {"code": "VP", "name": "Văn phòng HĐND và UBND", "unit_type": "office", "contact_points": [
    {"role": "commune_officer", "channel": "email", "address": "vanphong@sonhai.gov.vn"}]}
ACHIEVEMENTS = "Các đơn vị hoàn thành nhiệm vụ được giao đúng tiến độ."


class Stack:
    def __init__(self, browser, web, plans, reporting, notifications):
        self.browser, self.web, self.plans, self.reporting, self.notifications = (
            browser, web, plans, reporting, notifications)

    def versions(self) -> list:
        return self.reporting.call("GET", REPORT + "/text/versions", OFFICER).json()["items"]


@pytest.fixture
def stack(container_factory, postgres, tmp_path):
    with private_vhost("web-report") as amqp_uri:
        plans_container, plans = start_service(container_factory, PlansService, postgres.create("plans"), amqp_uri,
                                               tmp_path / "p")
        reporting_container, reporting = start_service(container_factory, ReportingService,
                                                       postgres.create("reporting"), amqp_uri, tmp_path / "r")
        # one attempt per delivery: the email channel, unreachable, gives up at once
        notifications_container, notifications = start_service(
            container_factory, NotificationsService, postgres.create("notifications"), amqp_uri, tmp_path / "n",
            NOTIFICATION_CHANNELS="file,email", NOTIFICATION_FILE=str(tmp_path / "channel.jsonl"),
            SMTP_HOST="127.0.0.1", SMTP_PORT=str(free_port()), NOTIFICATION_MAX_ATTEMPTS="1")
        containers = (plans_container, reporting_container, notifications_container)
        assert plans.call("POST", f"/v1/communes/{COMMUNE}/units", OFFICER, json=OFFICE).status_code == 201
        plan_id = issue_plan(plans)
        for unit, tasks in TASKS.items():
            body: dict = {"tasks": [{"task_code": t, "status": "done", "summary": f"{unit} đã làm {t}."}
                                    for t in tasks]}
            if unit == "VHXH":
                body["indicator_values"] = [{"indicator_code": "BDG-CS-01", "female": 1200, "male": 900}]
            sent = plans.call("POST", f"/v1/plans/{plan_id}/unit-reports", token("unit_reporter", COMMUNE, unit),
                              json=body)
            assert sent.status_code == 201, sent.text
        wait_until(lambda: reporting.call("GET", REPORT, OFFICER).json().get("completeness", {}).get(
            "submitted") == 4, timeout=30)
        web = start_web(postgres.create("web"), tmp_path, Clock(), WEB_API_URLS=(
            f"plans={plans.base},reporting={reporting.base},notifications={notifications.base}"))
        web.add("can-bo-xa", Role.COMMUNE_OFFICER, commune=COMMUNE)
        browser = web.browser()
        assert browser.sign_in("can-bo-xa").status_code == 303
        yield Stack(browser, web, plans, reporting, notifications)
        if web.server is not None:
            web.server.kill()
        for container in containers:  # before their virtual host goes
            container.stop()


def save(browser, form: dict, year: int = 2026):
    page = f"/bao-cao-xa?nam={year}"
    version = re.search(r'name="text_version" value="(\d+)"', browser.get(page).text)
    assert version, "no text version in the form"
    return browser.post(page, {"csrf_token": browser.csrf(page), "text_version": version.group(1), **form})


def test_the_officer_writes_the_assessment_previews_the_report_and_downloads_its_documents(stack):
    browser = stack.browser
    page = browser.get("/bao-cao-xa?nam=2026")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "Dự thảo" in page.text and "4/4" in page.text
    assert '<label for="achievements">V.1. Kết quả đạt được' in page.text
    assert "Chưa có văn bản để tải về" in page.text and "Chủ tịch UBND xã phê duyệt" in page.text

    # a paragraph over 4,000 characters: refused next to its field, nothing saved
    too_long = save(browser, {"achievements": "a" * 4001, "proposals": "Đề nghị tập huấn."})
    assert too_long.status_code == 422
    assert 'aria-invalid="true"' in too_long.text
    assert re.search(r'id="loi-achievements">Đoạn 1 dài 4\.001 ký tự, quá 4\.000', too_long.text)
    assert "Đề nghị tập huấn." in too_long.text  # what was written stays in the form
    assert stack.versions() == []

    saved = save(browser, {"achievements": ACHIEVEMENTS + "\r\n\r\nPhụ nữ tham gia đông đảo.",
                           "proposals": "Đề nghị Sở Nội vụ mở lớp tập huấn."})
    assert (saved.status_code, saved.headers["Location"]) == (303, "/bao-cao-xa?nam=2026&da-luu=1")
    shown = browser.get("/bao-cao-xa?nam=2026&da-luu=1")
    assert "Đã lưu nội dung báo cáo (phiên bản 1)." in shown.text
    assert [v["content"]["achievements"] for v in stack.versions()] == [[ACHIEVEMENTS, "Phụ nữ tham gia đông đảo."]]

    # someone saved meanwhile (through the API): the form's older version is refused, nothing overwritten
    meanwhile = {**stack.versions()[-1]["content"], "causes": ["Nguyên nhân khách quan."]}
    assert stack.reporting.call("PUT", REPORT + "/text", OFFICER, json=meanwhile,
                                headers={"If-Match": '"1"'}).status_code == 200
    stale = browser.post("/bao-cao-xa?nam=2026", {"csrf_token": browser.csrf("/bao-cao-xa?nam=2026"),
                                                  "text_version": "1", "achievements": "Bản cũ."})
    assert stale.status_code == 409 and "phiên bản 2" in stale.text and "Chưa lưu gì" in stale.text
    assert len(stack.versions()) == 2

    preview = browser.get("/bao-cao-xa/xem-truoc?nam=2026")
    assert preview.status_code == 200
    for text in (ACHIEVEMENTS, "Nguyên nhân khách quan.", "V. ĐÁNH GIÁ CHUNG", "VII. ĐỀ XUẤT, KIẾN NGHỊ",
                 "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "III. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", "VHXH đã làm TC-1.1.",
                 "Trạm y tế xã (TYT)", "2.100", "1.200"):
        assert text in preview.text, text

    # the leader approves and submits: the documents exist from then on
    assert stack.reporting.call("POST", REPORT + "/approval", LEADER).status_code == 201
    assert stack.reporting.call("POST", REPORT + "/submission", LEADER,
                                json={"document_number": "125"}).status_code == 201
    page = browser.get("/bao-cao-xa?nam=2026")
    assert "Đã gửi Sở Nội vụ" in page.text and 'name="text_version"' not in page.text
    assert '/bao-cao-xa/tai-ve/2026/1/docx' in page.text and '/bao-cao-xa/tai-ve/2026/1/xlsx' in page.text
    word = browser.get("/bao-cao-xa/tai-ve/2026/1/docx")
    assert word.status_code == 200
    assert word.headers["Content-Type"] == \
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert word.headers["Content-Disposition"] == f'attachment; filename="bao-cao-{COMMUNE}-2026-lan-1.docx"'
    assert word.headers["Cache-Control"] == "no-store"
    assert word.content[:2] == b"PK" and "word/document.xml" in zipfile.ZipFile(io.BytesIO(word.content)).namelist()
    assert ACHIEVEMENTS in "\n".join(p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs)
    annex = browser.get("/bao-cao-xa/tai-ve/2026/1/xlsx")
    assert annex.status_code == 200 and annex.headers["Content-Type"].endswith("spreadsheetml.sheet")
    assert openpyxl.load_workbook(io.BytesIO(annex.content)).sheetnames
    assert browser.get("/bao-cao-xa/tai-ve/2026/2/docx").status_code == 404  # no such revision
    assert browser.get("/bao-cao-xa/tai-ve/2026/1/pdf").status_code == 404

    # another commune's officer: its own commune has no report, and this one's documents are not reachable
    stack.web.add("can-bo-xa-khac", Role.COMMUNE_OFFICER, commune="07531")
    other = stack.web.browser()
    assert other.sign_in("can-bo-xa-khac").status_code == 303
    theirs = other.get("/bao-cao-xa?nam=2026")
    assert theirs.status_code == 200 and ACHIEVEMENTS not in theirs.text and "chưa có" in theirs.text.lower()
    assert other.get("/bao-cao-xa/tai-ve/2026/1/docx").status_code == 404
    assert ACHIEVEMENTS not in other.get("/bao-cao-xa/xem-truoc?nam=2026").text


def test_the_form_needs_its_csrf_token_and_other_roles_have_no_report_pages(stack):
    browser = stack.browser
    refused = browser.post("/bao-cao-xa?nam=2026", {"text_version": "0", "achievements": "Không có mã."})
    assert refused.status_code == 403 and stack.versions() == []
    stack.web.add("bao-cao", Role.UNIT_REPORTER, commune=COMMUNE, unit="VHXH")
    reporter = stack.web.browser()
    reporter.sign_in("bao-cao")
    for path in ("/bao-cao-xa", "/bao-cao-xa/xem-truoc?nam=2026", "/bao-cao-xa/tai-ve/2026/1/docx",
                 "/thong-bao-da-gui"):
        assert reporter.get(path).status_code == 404, path
    assert stack.web.browser().get("/bao-cao-xa").status_code == 303  # not signed in: to the sign-in page
    nav = browser.get("/")
    assert 'href="/bao-cao-xa">Báo cáo của xã' in nav.text and 'href="/thong-bao-da-gui">Thông báo đã gửi' in nav.text


def test_the_notifications_sent_show_each_channel_and_stand_out_when_they_failed(stack):
    def given_up() -> bool:
        items = stack.notifications.call("GET", "/v1/notifications", OFFICER).json()["items"]
        return any(d["status"] == "given_up" for n in items for d in n["deliveries"])
    wait_until(given_up, timeout=60)
    page = stack.browser.get("/thong-bao-da-gui")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert 'class="notification failed"' in page.text and "Lỗi gửi" in page.text
    assert "Đã ngừng thử, không gửi được" in page.text and "Tệp (thử nghiệm)" in page.text
    assert "Công chức văn hoá - xã hội" in page.text and "Người báo cáo của đơn vị · VHXH" in page.text
    assert "vanphong@sonhai.gov.vn" not in page.text  # contacts stay masked
    failed = stack.browser.get("/thong-bao-da-gui?loi=1")
    assert failed.status_code == 200 and failed.text.count('<li class="notification failed"') == \
        failed.text.count('<li class="notification')
    assert stack.browser.get("/thong-bao-da-gui?trang=99").status_code == 200

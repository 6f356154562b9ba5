"""The case worker, on a phone: a password, then the TOTP code the role requires; the cases list; the intake form
(an error, then a case taken in); the case file closed, opened again from the list with the reason prompt; a
no-contact order requested and the case escalated to the commune police.

Every request's URL and every page's title is written to `seen.json` in the output folder, for the test to check
that the victim's name (`VICTIM_NAME`, typed here) appears in none."""
import json

import pyotp
from playwright.sync_api import Page

from tests.browser.journeys.journey import Journey

VICTIM_NAME = "Nguyễn Thị Hồng Vân"


def run(journey: Journey, page: Page, site: dict) -> None:
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    account = site["accounts"]["case_worker"]
    page.goto(journey.base + "/dang-nhap")
    page.get_by_label("Tên đăng nhập").fill(account["username"])
    page.get_by_label("Mật khẩu").fill(account["password"])
    page.keyboard.press("Enter")
    page.wait_for_url("**/dang-nhap/ma-xac-thuc")
    journey.look(page, "ma-xac-thuc")
    page.get_by_label("Mã xác thực").fill(pyotp.TOTP(account["totp_secret"]).now())
    page.keyboard.press("Enter")
    page.wait_for_url(journey.base + "/")

    page.get_by_role("link", name="Vụ việc", exact=True).click()
    page.wait_for_url("**/vu-viec")
    journey.look(page, "vu-viec")

    page.get_by_role("link", name="Tiếp nhận vụ việc", exact=True).click()
    page.wait_for_url("**/vu-viec/moi")
    journey.look(page, "vu-viec-moi")
    page.locator("#case_type").select_option("domestic_violence_physical")
    page.locator("#intake_channel").select_option("village_head")
    page.locator("#victim-full_name").fill(VICTIM_NAME)
    page.locator("#victim-address").fill("Xóm Trại, thôn Bắc")
    page.locator("#consent-services").check()
    page.locator("#consent-sharing").check()
    page.locator("#risk_assessment-threats_to_kill").check()
    page.locator("#risk_assessment-victim_fears_for_life").check()
    page.get_by_role("button", name="Lưu vụ việc").click()  # no sex, no incident, no count: errors next to them
    page.locator("#loi-victim-sex").wait_for()
    journey.look(page, "vu-viec-moi-loi")
    page.locator("#victim-sex").select_option("female")
    page.locator("#risk_assessment-previous_incidents").fill("2")
    page.locator("#incident-incident_type").select_option("domestic_violence_physical")
    page.locator("#incident-perpetrator_relationship").select_option("spouse")
    page.locator("#incident-narrative").fill("Bị chồng đánh, đe dọa giết.")
    page.get_by_role("button", name="Lưu vụ việc").click()
    page.wait_for_url("**/vu-viec/VV*?da-luu=tiep-nhan")
    journey.look(page, "vu-viec-da-tiep-nhan")
    code = page.url.split("/vu-viec/")[1].split("?")[0]

    page.get_by_role("button", name="Đóng hồ sơ").click()  # the file closes: opening it again asks why
    page.wait_for_url("**/vu-viec")
    page.get_by_role("link", name=code).click()
    page.wait_for_url(f"**/vu-viec/{code}")
    journey.look(page, "vu-viec-ly-do")
    page.locator("#reason").select_option("ho-tro")
    page.get_by_role("button", name="Mở hồ sơ").click()
    page.get_by_role("heading", name="Người bị hại", exact=True).wait_for()

    page.locator("#measure-kind").select_option("no_contact_order")
    page.get_by_role("button", name="Thêm biện pháp").click()
    page.wait_for_url("**?da-luu=bien-phap#bien-phap")
    page.locator("#referral-kind").select_option("escalation")
    page.locator("#referral-authority").select_option("commune_police")
    page.locator("#referral-reason").fill("Nguy cơ cao, cần công an xã can thiệp.")
    page.get_by_role("button", name="Gửi yêu cầu chuyển").click()
    page.wait_for_url("**?da-luu=chuyen-gui#chuyen-gui")
    journey.look(page, "vu-viec-chi-tiet")

    titles = [seen["title"] for seen in journey.pages.values()]
    (journey.output / "seen.json").write_text(json.dumps({"urls": urls, "titles": titles}, ensure_ascii=False),
                                              encoding="utf-8")

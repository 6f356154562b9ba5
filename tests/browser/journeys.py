"""The browser journeys, run by tests/browser/test_pages.py in a process of their own: Playwright's synchronous
API cannot run in the test process, which eventlet has monkey-patched.

    python -m tests.browser.journeys <web address> <output folder> <accounts JSON>

drives Debian's Chromium through each journey, saves a screenshot of every page it sees in the output folder,
runs axe-core (vendored: tests/browser/axe.min.js, from the npm package) in each, and prints a JSON object:
page name -> {"screenshot", "title", "url", "violations": serious or critical axe rule ids}.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pyotp
from playwright.sync_api import Page, sync_playwright

AXE = (Path(__file__).resolve().parent / "axe.min.js").read_text(encoding="utf-8")
CHROMIUM = "/usr/bin/chromium"


class Journey:
    def __init__(self, base: str, output: Path):
        self.base, self.output = base, output
        self.pages: dict[str, dict] = {}

    def look(self, page: Page, name: str) -> None:
        """Screenshot the page and check it with axe-core."""
        screenshot = self.output / f"{name}.png"
        page.screenshot(path=str(screenshot), full_page=True)
        page.evaluate(AXE)
        violations = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id)")
        self.pages[name] = {"screenshot": str(screenshot), "title": page.title(), "url": page.url,
                            "violations": violations}

    def sign_in(self, page: Page, username: str, password: str) -> None:
        page.goto(self.base + "/dang-nhap")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(password)
        page.keyboard.press("Enter")  # the keyboard is enough


def unit_reporter(journey: Journey, page: Page, account: dict) -> None:
    page.goto(journey.base + "/dang-nhap")
    journey.look(page, "dang-nhap")
    journey.sign_in(page, account["username"], account["password"])
    page.wait_for_url(journey.base + "/")
    journey.look(page, "trang-chinh")
    page.get_by_role("link", name="Báo cáo của đơn vị").click()
    journey.look(page, "bao-cao")
    page.get_by_role("button", name="Gửi báo cáo").click()  # nothing chosen: errors next to the fields
    journey.look(page, "bao-cao-loi")
    for select in page.locator("select").all():
        select.select_option("done")
    page.locator("textarea").first.fill("Đã tổ chức 3 buổi tuyên truyền.")
    for field in page.locator("input[inputmode=decimal]").all():
        field.fill("12")
    page.get_by_role("button", name="Gửi báo cáo").click()
    page.wait_for_url("**/bao-cao?da-gui=1")
    journey.look(page, "bao-cao-da-gui")


def case_worker(journey: Journey, page: Page, account: dict) -> None:
    journey.sign_in(page, account["username"], account["password"])
    page.wait_for_url("**/dang-nhap/ma-xac-thuc")
    journey.look(page, "ma-xac-thuc")
    page.get_by_label("Mã xác thực").fill(pyotp.TOTP(account["totp_secret"]).now())
    page.keyboard.press("Enter")
    page.wait_for_url(journey.base + "/")


def commune_officer(journey: Journey, page: Page, account: dict) -> None:
    journey.sign_in(page, account["username"], account["password"])
    page.wait_for_url(journey.base + "/")
    page.get_by_role("link", name="Tài khoản").click()
    journey.look(page, "tai-khoan")
    page.get_by_role("link", name="Sổ theo dõi báo cáo").click()
    page.get_by_role("cell", name="Phòng Văn hoá - Xã hội (VHXH)").wait_for()
    journey.look(page, "so-theo-doi")


JOURNEYS = {"unit_reporter": unit_reporter, "case_worker": case_worker, "commune_officer": commune_officer}


def main(base: str, output: str, accounts_json: str) -> None:
    journey = Journey(base.rstrip("/"), Path(output))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            for role, account in json.loads(accounts_json).items():
                # a phone's screen: the reporters are often a thôn head on a phone
                context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
                JOURNEYS[role](journey, context.new_page(), account)
                context.close()
        finally:
            browser.close()
    print(json.dumps(journey.pages, ensure_ascii=False))


if __name__ == "__main__":
    main(*sys.argv[1:4])

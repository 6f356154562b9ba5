"""The case worker: a password, then the TOTP code the role requires."""
import pyotp
from playwright.sync_api import Page

from tests.browser.journeys.journey import Journey


def run(journey: Journey, page: Page, site: dict) -> None:
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

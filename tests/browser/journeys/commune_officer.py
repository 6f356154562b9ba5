"""The commune officer: the commune's accounts, the completeness board, and the own password form."""
from playwright.sync_api import Page

from tests.browser.journeys.journey import Journey


def run(journey: Journey, page: Page, site: dict) -> None:
    journey.sign_in(page, site["accounts"]["commune_officer"])
    page.get_by_role("link", name="Tài khoản").click()
    journey.look(page, "tai-khoan")
    page.get_by_role("link", name="Sổ theo dõi báo cáo").click()
    page.get_by_role("cell", name="Phòng Văn hoá - Xã hội (VHXH)").wait_for()
    journey.look(page, "so-theo-doi")
    page.get_by_role("link", name="Đổi mật khẩu").click()
    page.get_by_role("button", name="Đổi mật khẩu").click()  # nothing typed: errors next to the fields
    journey.look(page, "doi-mat-khau")

"""The commune officer: the commune's accounts and the completeness board."""
from playwright.sync_api import Page

from tests.browser.journeys.journey import Journey


def run(journey: Journey, page: Page, site: dict) -> None:
    journey.sign_in(page, site["accounts"]["commune_officer"])
    page.get_by_role("link", name="Tài khoản").click()
    journey.look(page, "tai-khoan")
    page.get_by_role("link", name="Sổ theo dõi báo cáo").click()
    page.get_by_role("cell", name="Phòng Văn hoá - Xã hội (VHXH)").wait_for()
    journey.look(page, "so-theo-doi")

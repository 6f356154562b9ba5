"""The commune chairman: what awaits a decision (an urgent case, a no-contact order decided with a reason given
after the error next to the field), then the commune report of REPORT_YEAR, which the test prepared, approved and
sent to Sở Nội vụ."""
from playwright.sync_api import Page

from tests.browser.journeys.journey import Journey

# an earlier year than the shared site's plan of 2026: approving it locks no report another journey sends
REPORT_YEAR = 2025


def run(journey: Journey, page: Page, site: dict) -> None:
    year = REPORT_YEAR
    journey.sign_in(page, site["accounts"]["commune_leader"])
    page.get_by_role("link", name="Chờ quyết định").click()
    page.get_by_role("heading", name="Đề nghị cấm tiếp xúc chờ quyết định").wait_for()
    journey.look(page, "cho-quyet-dinh")
    order = page.locator("form.order").first
    order.get_by_label("Quyết định").select_option("refused")
    order.get_by_role("button", name="Ghi quyết định").click()  # no reason: the error next to the field
    page.locator("form.order .error").first.wait_for()
    journey.look(page, "cho-quyet-dinh-loi")
    order = page.locator("form.order:has(.error)")
    order.get_by_label("Lý do truy cập vụ việc").fill("Xem xét đề nghị của công an xã.")
    order.get_by_role("button", name="Ghi quyết định").click()
    page.wait_for_url("**xong=quyet-dinh")
    page.goto(f"{journey.base}/cho-quyet-dinh?nam={year}")
    page.get_by_role("link", name=f"Xem và phê duyệt báo cáo năm {year}").click()
    page.get_by_role("heading", name=f"Báo cáo năm {year}").wait_for()
    journey.look(page, "phe-duyet-bao-cao")
    page.get_by_label(f"Tôi đã xem nội dung báo cáo và phê duyệt báo cáo năm {year} của xã").check()
    page.get_by_role("button", name="Phê duyệt").click()
    page.wait_for_url("**xong=phe-duyet")
    page.get_by_label("Số văn bản").fill("125")
    page.get_by_role("button", name="Gửi Sở Nội vụ").click()
    page.wait_for_url("**xong=gui")
    journey.look(page, "phe-duyet-bao-cao-da-gui")

"""Sở Nội vụ's officer: the province's board and its charts, then a commune's submitted report — a return
without a reason is refused next to the field, then the report is accepted."""
from playwright.sync_api import Page

from services.common.admin_units import communes_of, province_of
from tests.browser.journeys.journey import Journey
from tests.support.plan_documents import COMMUNE

PROVINCE = province_of(COMMUNE).code  # type: ignore[union-attr]
# a commune of the province that no other journey uses: the test sends its report of 2026 before the journey
SUBMITTING_COMMUNE = [c.code for c in communes_of(PROVINCE) if c.code != COMMUNE][1]


def run(journey: Journey, page: Page, site: dict) -> None:
    journey.sign_in(page, site["accounts"]["province_officer"])
    page.get_by_role("link", name="Toàn tỉnh").click()
    page.get_by_role("img", name="Số xã theo tỉ lệ đơn vị đã báo cáo, năm 2026").wait_for()
    journey.look(page, "tinh")
    page.locator(f'a[href="/tinh/xa/{SUBMITTING_COMMUNE}?nam=2026"]').click()
    page.get_by_role("button", name="Tiếp nhận báo cáo").wait_for()
    journey.look(page, "tinh-xa")
    page.get_by_label("Loại lý do").select_option("incomplete")
    page.get_by_role("button", name="Trả lại báo cáo").click()
    page.get_by_text("Vui lòng ghi lý do trả lại để xã biết cần sửa gì.").wait_for()
    journey.look(page, "tinh-xa-loi")
    page.get_by_role("button", name="Tiếp nhận báo cáo").click()
    page.locator("dl").get_by_text("Đã tiếp nhận", exact=True).wait_for()
    journey.look(page, "tinh-xa-da-tiep-nhan")

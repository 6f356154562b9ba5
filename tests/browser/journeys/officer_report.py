"""The commune officer's report to Sở Nội vụ: picks the year, writes the assessment (V-VII), previews the report,
then reads the notifications sent in the commune."""
from playwright.sync_api import Page

from tests.browser.journeys.journey import Journey

# the year the test seeded a plan of its own for (tests/browser/test_officer_report.py)
YEAR = "2024"  # the chairman's journey takes 2025, the shared plan is of 2026
ACHIEVEMENTS = "Các đơn vị triển khai đầy đủ nhiệm vụ bình đẳng giới được giao."


def run(journey: Journey, page: Page, site: dict) -> None:
    journey.sign_in(page, site["accounts"]["commune_officer"])
    page.get_by_role("link", name="Báo cáo của xã").click()
    page.get_by_label("Năm báo cáo").fill(YEAR)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/bao-cao-xa?nam={YEAR}")
    page.get_by_label("V.1. Kết quả đạt được").fill(ACHIEVEMENTS)
    page.get_by_label("VII. Đề xuất, kiến nghị").fill("Đề nghị Sở Nội vụ tổ chức tập huấn cho cán bộ thôn.")
    page.get_by_role("button", name="Lưu nội dung").click()
    page.get_by_text("Đã lưu nội dung báo cáo").wait_for()
    journey.look(page, "bao-cao-xa")
    page.get_by_role("link", name="Xem trước toàn văn báo cáo").click()
    page.get_by_text(ACHIEVEMENTS).wait_for()
    journey.look(page, "bao-cao-xa-xem-truoc")
    page.get_by_role("link", name="Thông báo đã gửi").click()
    page.get_by_role("heading", name="Thông báo đã gửi").wait_for()
    journey.look(page, "thong-bao-da-gui")

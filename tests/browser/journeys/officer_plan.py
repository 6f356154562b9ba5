"""The commune officer's plan work: the unit directory (a unit added, then changed after a field error), the
commune's plan document imported from Word, the units it could not match chosen, its warnings read, the draft
corrected and issued. For 2023: a year no other journey issues a plan for (the chairman's seeds 2025, the officer's
report 2024), and earlier than the site's issued 2026 plan, which stays the latest the unit reporter's page shows."""
from playwright.sync_api import Page

from tests.browser.journeys.journey import Journey
from tests.support.plan_documents import seed_docx

YEAR = 2023
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def run(journey: Journey, page: Page, site: dict) -> None:
    journey.sign_in(page, site["accounts"]["commune_officer"])
    units(journey, page)
    plan(journey, page)


def units(journey: Journey, page: Page) -> None:
    page.get_by_role("link", name="Đơn vị", exact=True).click()
    page.get_by_role("cell", name="Phòng Văn hoá - Xã hội", exact=True).wait_for()
    journey.look(page, "don-vi")
    page.get_by_label("Mã đơn vị").fill("VP-UBND")
    page.get_by_label("Tên đơn vị").fill("Văn phòng HĐND và UBND xã")
    page.get_by_label("Loại đơn vị").select_option("office")
    page.get_by_label("Vai trò (đầu mối 1)").select_option("reporting_officer")
    page.get_by_label("Kênh (đầu mối 1)").select_option("email")
    page.get_by_label("Địa chỉ hoặc số điện thoại (đầu mối 1)").fill("vanphong@sonhai.gov.vn")
    page.get_by_role("button", name="Thêm đơn vị").click()
    page.get_by_text("Đã thêm đơn vị VP-UBND.").wait_for()
    page.get_by_role("link", name="VP-UBND").click()
    page.get_by_label("Kênh (đầu mối 2)").select_option("sms")
    page.get_by_label("Vai trò (đầu mối 2)").select_option("head")
    page.get_by_label("Địa chỉ hoặc số điện thoại (đầu mối 2)").fill("số máy bàn")
    page.get_by_role("button", name="Lưu thay đổi").click()
    page.get_by_text("Vui lòng nhập số điện thoại của đơn vị (8–15 chữ số).").wait_for()
    journey.look(page, "don-vi-sua")
    page.get_by_label("Địa chỉ hoặc số điện thoại (đầu mối 2)").fill("0241 3850 123")
    page.get_by_role("button", name="Lưu thay đổi").click()
    page.get_by_text("Đã lưu thay đổi.").wait_for()


def choose_file(page: Page) -> None:
    page.get_by_label("Tệp kế hoạch").set_input_files(
        {"name": f"ke-hoach-{YEAR}.docx", "mimeType": DOCX, "buffer": seed_docx(YEAR)})


def plan(journey: Journey, page: Page) -> None:
    page.get_by_role("link", name="Kế hoạch", exact=True).click()
    journey.look(page, "ke-hoach-danh-sach")
    page.get_by_role("link", name="Nhập kế hoạch từ văn bản (.docx)").click()
    journey.look(page, "ke-hoach-nhap")
    choose_file(page)
    page.get_by_role("button", name="Nhập văn bản").click()
    # the units the directory lacks: the officer matches each to a directory unit and chooses the file again
    page.get_by_text("Đơn vị chưa xác định trong danh mục").wait_for()
    journey.look(page, "ke-hoach-nhap-don-vi")
    for select in page.locator("select[name^='map-']").all():
        select.select_option("VHXH")
    choose_file(page)
    page.get_by_role("button", name="Nhập văn bản").click()
    page.get_by_role("heading", name="Cảnh báo khi đọc văn bản", exact=False).wait_for()
    page.get_by_text(f"Son Hải, ngày tháng năm {YEAR}").first.wait_for()
    journey.look(page, "ke-hoach-nhap-canh-bao")
    page.get_by_role("link", name="Sửa bản dự thảo").click()
    page.get_by_label("Tên kế hoạch").fill(f"Kế hoạch bình đẳng giới xã Sơn Hải năm {YEAR}")
    page.get_by_label("Hạn báo cáo của đơn vị").fill(f"{YEAR}-11-18")
    journey.look(page, "ke-hoach-sua")
    page.get_by_role("button", name="Lưu bản dự thảo").click()
    page.get_by_text("Đã lưu bản dự thảo.").wait_for()
    page.get_by_role("link", name="Ban hành kế hoạch…").click()
    journey.look(page, "ke-hoach-ban-hanh")
    page.get_by_role("button", name="Xác nhận ban hành").click()
    page.get_by_text("Đã ban hành kế hoạch.").wait_for()
    page.get_by_role("heading", name="Các phiên bản").wait_for()
    journey.look(page, "ke-hoach")

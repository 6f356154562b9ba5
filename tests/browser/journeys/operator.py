"""The data center's operator: the operations page (a dead letter the test left in reporting's queue, replayed after
the confirmation the page asks for) and the province staff's accounts."""
from playwright.sync_api import Page, expect

from tests.browser.journeys.journey import Journey


def run(journey: Journey, page: Page, site: dict) -> None:
    journey.sign_in(page, site["accounts"]["operator"])
    page.get_by_role("link", name="Vận hành").click()
    page.get_by_role("heading", name="Tình trạng các dịch vụ").wait_for()
    journey.look(page, "van-hanh")
    letter = page.get_by_role("listitem").filter(has_text="plan.issued.v1").first
    letter.get_by_role("button", name="Phát lại").click()  # without ticking the confirmation
    expect(page.get_by_text("Vui lòng đánh dấu ô xác nhận trước khi phát lại.")).to_be_visible()
    journey.look(page, "van-hanh-chua-xac-nhan")
    letter = page.get_by_role("listitem").filter(has_text="plan.issued.v1").first
    letter.get_by_label("Tôi xác nhận phát lại").check()
    letter.get_by_role("button", name="Phát lại").click()
    expect(page.get_by_text("Đã phát lại 1 sự kiện.")).to_be_visible()
    journey.look(page, "van-hanh-da-phat-lai")
    page.get_by_role("link", name="Tài khoản").click()
    page.get_by_label("Tên đăng nhập").fill("so-noi-vu-moi")
    page.get_by_label("Họ tên").fill("Trần Thị Bình")
    page.get_by_label("Mật khẩu ban đầu (ít nhất 12 ký tự)").fill("mat-khau-ban-dau-2026")
    page.get_by_label("Vai trò").select_option(label="Cán bộ Sở Nội vụ")
    page.get_by_label("Mã tỉnh (cán bộ Sở Nội vụ)").fill(site["province"])
    page.get_by_role("button", name="Tạo tài khoản").click()
    page.get_by_role("heading", name="Đã tạo tài khoản so-noi-vu-moi").wait_for()
    journey.look(page, "tai-khoan-tinh")

"""The unit reporter, on a phone: sign in, the unit's report form, errors next to the fields, a report sent, a file
attached to it, the inbox (a notification marked read)."""
from playwright.sync_api import FilePayload, Page

from tests.browser.journeys.journey import Journey


def run(journey: Journey, page: Page, site: dict) -> None:
    page.goto(journey.base + "/dang-nhap")
    journey.look(page, "dang-nhap")
    journey.sign_in(page, site["accounts"]["unit_reporter"])
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
    attendance = FilePayload(name="danh-sach-tham-du.txt", mimeType="text/plain",
                             buffer="Danh sách người tham dự: 42 người.".encode())
    page.get_by_label("Đính kèm thêm tệp").set_input_files(files=[attendance])
    page.get_by_role("button", name="Đính kèm tệp").click()
    page.wait_for_url("**/bao-cao?da-dinh-kem=1")
    page.get_by_role("link", name="danh-sach-tham-du.txt").wait_for()
    journey.look(page, "bao-cao-dinh-kem")
    page.get_by_role("link", name="Hộp thư").click()
    page.wait_for_url("**/hop-thu")
    journey.look(page, "hop-thu")
    mark = page.get_by_role("button", name="Đánh dấu đã đọc")
    if mark.count():
        mark.first.click()
        page.wait_for_url("**/hop-thu")

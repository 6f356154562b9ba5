"""Sở Nội vụ's pages against the running web, plans and reporting: the province's board with its charts, a
commune's submitted report accepted or returned, its documents and the province's summary downloaded through the
web, and nothing of another province."""
import io
import xml.etree.ElementTree as ET

import docx
import openpyxl
import pytest

from services.common.admin_units import communes_of
from services.common.roles import Role
from tests.integration.web.conftest import COMMUNE, issue_plan, web_before
from tests.support.service_http import token
from tests.support.submitted_reports import report_path, submit_commune_report

pytestmark = pytest.mark.integration

PROVINCE = "24"
REPORT = report_path(COMMUNE)
PAGE = f"/tinh/xa/{COMMUNE}?nam=2026"
SO_NOI_VU = token("province_officer", province=PROVINCE, subject="so-noi-vu")
OTHER_PROVINCE_COMMUNE = communes_of("01")[0].code


@pytest.fixture
def province(postgres, tmp_path, plans, reporting):
    submit_commune_report(plans.base, reporting.base, COMMUNE, issue_plan(plans))
    web = web_before(plans, reporting, postgres, tmp_path)
    web.add("so-noi-vu", Role.PROVINCE_OFFICER, province=PROVINCE)
    web.add("so-noi-vu-ha-noi", Role.PROVINCE_OFFICER, province="01")
    web.add("can-bo-xa", Role.COMMUNE_OFFICER, commune=COMMUNE)
    browser = web.browser()
    assert browser.sign_in("so-noi-vu").status_code == 303
    yield web, browser, reporting
    if web.server is not None:
        web.server.kill()


def test_the_board_lists_every_commune_with_rates_states_and_accessible_charts(province):
    web, browser, _ = province
    page = browser.get("/tinh?nam=2026")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert 'href="/tinh" aria-current="page">Toàn tỉnh</a>' in page.text
    assert page.text.count('href="/tinh/xa/') == len(communes_of(PROVINCE))
    row = page.text.split(f'href="/tinh/xa/{COMMUNE}?nam=2026">')[1].split("</tr>")[0]
    assert "Đã ban hành" in row and "4/4 (100 %)" in row and "Đã gửi, chờ tiếp nhận" in row
    assert "Đã gửi báo cáo: 1" in page.text and "Đã ban hành kế hoạch: 1" in page.text
    svgs = [f"<svg{part.split('</svg>')[0]}</svg>" for part in page.text.split("<svg")[1:]]
    assert len(svgs) == 2
    rates, sexes = (ET.fromstring(svg) for svg in svgs)  # valid XML
    for chart in (rates, sexes):
        assert chart.get("role") == "img" and chart.find("{http://www.w3.org/2000/svg}title") is not None
    texts = [t.text for t in sexes.iter("{http://www.w3.org/2000/svg}text")]
    assert "Nữ: 1.200" in texts and "Nam: 900" in texts
    assert f"{len(communes_of(PROVINCE)) - 1} xã" in [t.text for t in rates.iter("{http://www.w3.org/2000/svg}text")]
    by_name = browser.get("/tinh?nam=2026&sap-xep=ten")
    assert by_name.status_code == 200 and 'class="group"' not in by_name.text
    without_plan = next(c.code for c in communes_of(PROVINCE) if c.code != COMMUNE)
    quiet = browser.get(f"/tinh/xa/{without_plan}?nam=2026")
    assert quiet.status_code == 200 and "Xã chưa ban hành kế hoạch năm 2026." in quiet.text
    assert "Tiếp nhận báo cáo" not in quiet.text


def test_a_return_needs_a_reason_then_the_commune_sees_why(province):
    _, browser, reporting = province
    page = browser.get(PAGE)
    assert page.status_code == 200 and "Tiếp nhận báo cáo" in page.text and "lan-1.docx" in page.text
    empty = browser.post(PAGE, {"csrf_token": browser.csrf(PAGE), "action": "tra-lai", "category": "incomplete",
                                "reason": "  "})
    assert empty.status_code == 422
    assert 'id="loi-reason">Vui lòng ghi lý do trả lại để xã biết cần sửa gì.' in empty.text
    assert reporting.call("GET", REPORT, SO_NOI_VU).json()["state"] == "submitted"  # nothing changed
    returned = browser.post(PAGE, {"csrf_token": browser.csrf(PAGE), "action": "tra-lai", "category": "incomplete",
                                   "reason": "Bổ sung số liệu của Trạm y tế."})
    assert returned.status_code == 303 and returned.headers["Location"].endswith(PAGE)
    history = reporting.call("GET", REPORT + "/transitions", SO_NOI_VU).json()["items"]
    assert (history[-1]["to_state"], history[-1]["reason"]) == ("returned", "Bổ sung số liệu của Trạm y tế.")
    after = browser.get(PAGE)
    assert "Bị trả lại, chờ gửi lại" in after.text and "Bổ sung số liệu của Trạm y tế." in after.text
    assert "Tiếp nhận báo cáo" not in after.text
    again = browser.post(PAGE, {"csrf_token": browser.csrf(PAGE), "action": "tiep-nhan"})
    assert again.status_code == 409 and 'role="alert"' in again.text


def test_accepting_and_the_documents_through_the_web(province):
    _, browser, reporting = province
    accepted = browser.post(PAGE, {"csrf_token": browser.csrf(PAGE), "action": "tiep-nhan"})
    assert accepted.status_code == 303
    assert reporting.call("GET", REPORT, SO_NOI_VU).json()["state"] == "accepted"
    assert "Đã tiếp nhận" in browser.get(PAGE).text
    word = browser.get(f"/tinh/xa/{COMMUNE}/lan-1.docx?nam=2026")
    assert word.status_code == 200 and word.headers["Cache-Control"] == "no-store"
    assert word.headers["Content-Disposition"] == f'attachment; filename="bao-cao-{COMMUNE}-2026-lan-1.docx"'
    assert docx.Document(io.BytesIO(word.content)).tables[0].cell(1, 0).text == "Số: 125/BC-UBND"
    annex = browser.get(f"/tinh/xa/{COMMUNE}/lan-1.xlsx?nam=2026")
    assert "Số: 125/BC-UBND" in openpyxl.load_workbook(io.BytesIO(annex.content))["Tổng hợp"]["A2"].value
    summary = browser.get("/tinh/tong-hop.xlsx?nam=2026")
    assert summary.status_code == 200 and summary.headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert summary.headers["Content-Disposition"] == 'attachment; filename="tong-hop-24-2026.xlsx"'
    openpyxl.load_workbook(io.BytesIO(summary.content))
    report = browser.get("/tinh/tong-hop.docx?nam=2026")
    assert report.status_code == 200 and docx.Document(io.BytesIO(report.content)).paragraphs
    assert browser.get(f"/tinh/xa/{COMMUNE}/lan-7.docx?nam=2026").status_code == 404
    assert browser.get(f"/tinh/xa/{COMMUNE}/lan-1.pdf?nam=2026").status_code == 404


def test_another_province_sees_nothing_and_other_roles_have_no_province_pages(province):
    web, browser, reporting = province
    for path in (f"/tinh/xa/{OTHER_PROVINCE_COMMUNE}?nam=2026", f"/tinh/xa/{OTHER_PROVINCE_COMMUNE}/lan-1.docx",
                 "/tinh/xa/..%2F..?nam=2026"):
        assert browser.get(path).status_code == 404, path
    ha_noi = web.browser()
    assert ha_noi.sign_in("so-noi-vu-ha-noi").status_code == 303
    assert ha_noi.get(PAGE).status_code == 404
    assert ha_noi.get(f"/tinh/xa/{COMMUNE}/lan-1.docx?nam=2026").status_code == 404
    refused = ha_noi.post(PAGE, {"csrf_token": ha_noi.csrf("/tinh?nam=2026"), "action": "tiep-nhan"})
    assert refused.status_code == 404
    assert "Bắc Ninh" not in ha_noi.get("/tinh?nam=2026").text
    officer = web.browser()
    officer.sign_in("can-bo-xa")
    assert officer.get("/tinh").status_code == 404 and officer.get(PAGE).status_code == 404
    assert reporting.call("GET", REPORT, SO_NOI_VU).json()["state"] == "submitted"


def test_a_post_without_the_csrf_token_changes_nothing(province):
    _, browser, reporting = province
    refused = browser.post(PAGE, {"action": "tiep-nhan"})
    assert refused.status_code == 403
    assert reporting.call("GET", REPORT, SO_NOI_VU).json()["state"] == "submitted"

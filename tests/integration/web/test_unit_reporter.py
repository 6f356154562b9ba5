"""The unit reporter's page: the unit's tasks and deadline, the report form, its history, a returned report."""
import pytest

from services.common.roles import Role
from tests.integration.web.conftest import COMMUNE, OFFICER

pytestmark = pytest.mark.integration


def filled(browser, **values) -> dict:
    page = browser.get("/bao-cao").text
    key = page.split('name="idempotency_key" value="')[1].split('"')[0]
    return {"csrf_token": browser.csrf("/bao-cao"), "idempotency_key": key, "status-TC-1.1": "done",
            "summary-TC-1.1": "Đã tham mưu ban hành kế hoạch.", "status-TC-1.2": "in_progress",
            "summary-TC-1.2": "Đã tổ chức 3 buổi.", "female-BDG-CS-01": "820", "male-BDG-CS-01": "640",
            "value-BDG-CS-03": "4", **values}


def test_the_page_shows_the_units_tasks_deadline_and_indicators_by_sex(reporter):
    page = reporter.get("/bao-cao")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    text = page.text
    assert "Chủ trì tham mưu triển khai Kế hoạch." in text and "Hạn báo cáo: 20/11/2026" in text
    assert 'for="female-BDG-CS-01">Nữ' in text and 'for="male-BDG-CS-01">Nam' in text
    assert 'for="value-BDG-CS-03">Giá trị' in text
    assert "Đơn vị chưa gửi báo cáo nào." in text


def test_field_errors_are_shown_next_to_the_field_in_vietnamese(reporter, plans, plan_id):
    refused = reporter.post("/bao-cao", filled(reporter, **{"status-TC-1.1": "", "male-BDG-CS-01": "-3"}))
    assert refused.status_code == 422
    assert '<p class="error" id="loi-status-TC-1.1">Vui lòng chọn tình trạng thực hiện.</p>' in refused.text
    assert '<p class="error" id="loi-male-BDG-CS-01">Vui lòng nhập một số không âm.</p>' in refused.text
    assert 'aria-describedby="loi-male-BDG-CS-01"' in refused.text
    assert plans.call("GET", f"/v1/plans/{plan_id}/unit-reports", OFFICER).json()["items"] == []


def test_a_report_is_sent_once_shown_in_the_history_and_returned_with_its_reason(reporter, plans, plan_id):
    form = filled(reporter)
    sent = reporter.post("/bao-cao", form)
    assert sent.status_code == 303 and sent.headers["Location"].endswith("/bao-cao?da-gui=1")
    assert reporter.post("/bao-cao", {**form, "csrf_token": reporter.csrf("/bao-cao")}).status_code == 303
    reports = plans.call("GET", f"/v1/plans/{plan_id}/unit-reports", OFFICER).json()["items"]
    assert len(reports) == 1, "the form's Idempotency-Key makes a resubmitted form one report"
    assert reports[0]["indicator_values"][0] == {"indicator_code": "BDG-CS-01", "female": 820, "male": 640,
                                                 "value": None}
    after = reporter.get("/bao-cao?da-gui=1").text
    assert "Đã gửi báo cáo." in after and "Đang có hiệu lực" in after and "Gửi muộn." in after
    returned = plans.call("POST", f"/v1/unit-reports/{reports[0]['id']}/return", OFFICER,
                          json={"reason": "Thiếu số liệu tháng 10."})
    assert returned.status_code == 200, returned.text
    page = reporter.get("/bao-cao").text
    assert "Báo cáo lần 1 bị trả lại" in page and "Lý do: Thiếu số liệu tháng 10." in page
    assert ">Đã tổ chức 3 buổi.</textarea>" in page  # ready to revise
    assert reporter.post("/bao-cao", filled(reporter)).status_code == 303
    revisions = plans.call("GET", f"/v1/plans/{plan_id}/unit-reports", OFFICER).json()["items"]
    assert sorted(r["revision"] for r in revisions) == [1, 2]


def test_other_roles_have_no_report_page(web, plan_id):
    web.add("can-bo-xa", Role.COMMUNE_OFFICER, commune=COMMUNE)
    officer = web.browser()
    officer.sign_in("can-bo-xa")
    assert officer.get("/bao-cao").status_code == 404

"""The operator's operations page (/van-hanh), against the running web, plans and reporting in a RabbitMQ vhost of
their own (cases and notifications are not running: the page says so): health and readiness, outbox and queues,
a dead letter in reporting's queue listed by its metadata and replayed, with the confirmation and the CSRF token."""
import re
import uuid

import pytest

from services.common.roles import Role
from services.plans.service import PlansService
from services.reporting.service import ReportingService
from services.web.models import AuditRecord
from tests.integration.web.conftest import COMMUNE, Clock, start_web
from tests.support.broker import private_vhost, put_dead_letter
from tests.support.operations import consuming, plan_of_year
from tests.support.plan_events import plan_issued
from tests.support.service_http import free_port
from tests.support.waiting import wait_until

pytestmark = pytest.mark.integration

CONSUMER = "reporting.on_plan_issued"


@pytest.fixture
def site(container_factory, postgres, tmp_path):
    with (private_vhost("operations-web") as amqp_uri,
          consuming(container_factory, PlansService, postgres.create("plans"), amqp_uri, tmp_path) as plans,
          consuming(container_factory, ReportingService, postgres.create("reporting"), amqp_uri,
                    tmp_path) as reporting):
        nowhere = f"http://127.0.0.1:{free_port()}"
        web = start_web(postgres.create("web"), tmp_path, Clock(), WEB_API_URLS=(
            f"plans={plans.base},reporting={reporting.base},cases={nowhere},notifications={nowhere}"))
        web.add("quan-tri", Role.OPERATOR)
        web.add("can-bo-xa", Role.COMMUNE_OFFICER, commune=COMMUNE)
        web.add("so-noi-vu", Role.PROVINCE_OFFICER, province="24")
        yield web, reporting, amqp_uri
        if web.server is not None:
            web.server.kill()


def signed_in(web, username: str):
    browser = web.browser()
    assert browser.sign_in(username).status_code == 303
    return browser


def replay_form(page: str, event_id: str | None) -> dict:
    """The fields of the page's replay form for `event_id` (None: the whole queue's)."""
    for form in re.findall(r'<form method="post" action="/van-hanh".*?</form>', page, re.S):
        fields = dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', form))
        if fields.get("event_id") == event_id:
            return fields
    raise AssertionError(f"no replay form for {event_id}")


def test_the_operator_sees_every_service_and_replays_a_dead_letter(site):
    web, reporting, amqp_uri = site
    plan_id = uuid.uuid4()
    event_id = put_dead_letter(amqp_uri, CONSUMER, plan_issued(COMMUNE, ["VHXH"], plan_id=plan_id))
    browser = signed_in(web, "quan-tri")
    assert '<a href="/van-hanh"' in browser.get("/").text
    page = browser.get("/van-hanh")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    text = page.text
    assert "<title>Vận hành · Bình Đẳng</title>" in text
    # plans and reporting are up, cases and notifications unreachable
    rows = dict(re.findall(r'<th scope="row">([^<]+?)(?: <span[^>]*>[^<]*</span>)?</th>\s*<td>(.*?)</td>', text, re.S))
    assert rows["Kế hoạch"] == "Có" and rows["Báo cáo"] == "Có" and rows["Trang web"] == "Có"
    assert "Không" in rows["Vụ việc"] and "Không" in rows["Thông báo"]
    # the dead letter, by its metadata only
    assert f"<code>{CONSUMER}.dlq</code>" in text and event_id in text and "plan.issued.v1" in text
    assert "Xử lý lỗi sau các lần thử lại" in text
    assert str(plan_id) not in text  # no body

    form = replay_form(text, event_id)
    unconfirmed = browser.post("/van-hanh", form)
    assert unconfirmed.status_code == 422
    assert re.search(r'aria-invalid="true" aria-describedby="loi-xac-nhan-1"', unconfirmed.text)
    assert 'id="loi-xac-nhan-1">Vui lòng đánh dấu ô xác nhận trước khi phát lại.' in unconfirmed.text
    without_csrf = browser.post("/van-hanh", {**form, "csrf_token": "", "xac_nhan": "1"})
    assert without_csrf.status_code == 403
    assert event_id in browser.get("/van-hanh").text  # still there: nothing was replayed

    replayed = browser.post("/van-hanh", {**form, "xac_nhan": "1"})
    assert replayed.status_code == 303 and replayed.headers["Location"].endswith("/van-hanh?da-phat-lai=1")
    assert "Đã phát lại 1 sự kiện." in browser.get(replayed.headers["Location"]).text
    wait_until(lambda: plan_of_year(reporting, COMMUNE) == str(plan_id), timeout=20)
    assert event_id not in browser.get("/van-hanh").text
    with web.sessionmaker() as session:
        assert session.query(AuditRecord).filter_by(action="dead_letters_replayed", actor="quan-tri").count() == 1


def test_a_whole_queue_is_replayed_and_a_vanished_one_is_the_services_refusal(site):
    web, reporting, amqp_uri = site
    first = put_dead_letter(amqp_uri, CONSUMER, plan_issued(COMMUNE, ["VHXH"], year=2027))
    put_dead_letter(amqp_uri, CONSUMER, plan_issued(COMMUNE, ["VHXH"], year=2028))
    browser = signed_in(web, "quan-tri")
    page = browser.get("/van-hanh").text
    one, everything = replay_form(page, first), replay_form(page, None)
    assert browser.post("/van-hanh", {**everything, "xac_nhan": "1"}).headers["Location"].endswith("da-phat-lai=2")
    gone = browser.post("/van-hanh", {**one, "xac_nhan": "1"})  # already replayed with the others
    assert gone.status_code == 404 and "Hàng đợi thư lỗi không có sự kiện nào mang mã này." in gone.text
    assert "Không có thư lỗi nào." in gone.text


def test_other_roles_find_no_such_page(site):
    web, _, _ = site
    for username in ("can-bo-xa", "so-noi-vu"):
        browser = signed_in(web, username)
        assert browser.get("/van-hanh").status_code == 404
        assert browser.post("/van-hanh", {"csrf_token": browser.csrf("/"), "service": "reporting", "queue": CONSUMER,
                                          "xac_nhan": "1"}).status_code == 404
        assert "/van-hanh" not in browser.get("/").text
    assert web.browser().get("/van-hanh").status_code == 303  # signed out: to the sign-in page


def test_the_operator_manages_province_staff_accounts(site):
    web, _, _ = site
    browser = signed_in(web, "quan-tri")
    page = browser.get("/tai-khoan")
    assert page.status_code == 200 and "so-noi-vu" in page.text
    made = browser.post("/tai-khoan", {"csrf_token": browser.csrf("/tai-khoan"), "username": "so-noi-vu-2",
                                       "display_name": "Cán bộ Sở", "password": "mật-khẩu-đủ-dài-2026",
                                       "role": "province_officer", "unit": "", "province": "24"})
    assert made.status_code == 200 and "Đã tạo tài khoản so-noi-vu-2" in made.text
    # the password the operator gave is changed at the first sign-in, before any page
    assert signed_in(web, "so-noi-vu-2").get("/van-hanh").headers["Location"].endswith("/doi-mat-khau")

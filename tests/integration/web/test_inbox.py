"""The inbox over real HTTP, with plans and notifications running: a plan issued through plans reaches the unit's
inbox through the broker; unread first; marked read; each person sees only their own; roles without an inbox and
other people's notifications are not found; CSRF."""
import pytest

from services.common.roles import Role
from services.notifications.service import NotificationsService
from tests.integration.web.conftest import COMMUNE, Clock, issue_plan, start_web
from tests.support.broker import delete_consumer_queues
from tests.support.service_http import start_service, token
from tests.support.waiting import wait_until

pytestmark = pytest.mark.integration


@pytest.fixture
def notifications(container_factory, postgres, amqp_uri, tmp_path):
    delete_consumer_queues(amqp_uri, "notifications")
    _, api = start_service(container_factory, NotificationsService, postgres.create("notifications"), amqp_uri,
                           tmp_path / "notifications")
    return api


@pytest.fixture
def site(plans, notifications, postgres, tmp_path):
    """The web in front of plans and notifications, with an issued plan that has reached the units' inboxes."""
    running = start_web(postgres.create("web"), tmp_path, Clock(),
                        WEB_API_URLS=f"plans={plans.base},notifications={notifications.base}")
    issue_plan(plans)
    vhxh = token("unit_reporter", COMMUNE, "VHXH")
    wait_until(lambda: notifications.call("GET", "/v1/inbox", vhxh).json()["items"], timeout=30)
    yield running
    if running.server is not None:
        running.server.kill()


def signed_in(site, username: str, role: Role, **where):
    site.add(username, role, **where)
    browser = site.browser()
    assert browser.sign_in(username).status_code == 303
    return browser


def notification_ids(page: str) -> list[str]:
    return [part.split('"')[0] for part in page.split('name="notification_id" value="')[1:]]


def test_the_unit_reads_its_notifications_and_marks_them_read(site):
    reporter = signed_in(site, "bao-cao-vhxh", Role.UNIT_REPORTER, commune=COMMUNE, unit="VHXH")
    assert 'href="/hop-thu"' in reporter.get("/").text  # the navigation link
    page = reporter.get("/hop-thu")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "Bạn có 1 thông báo chưa đọc." in page.text and "Chưa đọc" in page.text
    [unread] = notification_ids(page.text)
    marked = reporter.post("/hop-thu", {"csrf_token": reporter.csrf("/hop-thu"), "notification_id": unread})
    assert marked.status_code == 303 and marked.headers["Location"].endswith("/hop-thu")
    after = reporter.get("/hop-thu").text
    assert "Bạn đã đọc hết thông báo." in after and notification_ids(after) == []
    assert "Nhận lúc" in after


def test_another_persons_notification_and_roles_without_an_inbox_are_not_found(site):
    reporter = signed_in(site, "bao-cao-vhxh", Role.UNIT_REPORTER, commune=COMMUNE, unit="VHXH")
    [unread] = notification_ids(reporter.get("/hop-thu").text)
    officer = signed_in(site, "can-bo-xa", Role.COMMUNE_OFFICER, commune=COMMUNE)
    assert officer.get("/hop-thu").status_code == 200
    refused = officer.post("/hop-thu", {"csrf_token": officer.csrf("/hop-thu"), "notification_id": unread})
    assert refused.status_code == 404
    assert officer.post("/hop-thu", {"csrf_token": officer.csrf("/hop-thu"), "notification_id": "x"}).status_code == 404
    assert "Bạn có 1 thông báo chưa đọc." in reporter.get("/hop-thu").text  # still unread
    operator = signed_in(site, "quan-tri", Role.OPERATOR)
    assert operator.get("/hop-thu").status_code == 404
    assert 'href="/hop-thu"' not in operator.get("/").text


def test_marking_read_needs_the_csrf_token(site):
    reporter = signed_in(site, "bao-cao-vhxh", Role.UNIT_REPORTER, commune=COMMUNE, unit="VHXH")
    [unread] = notification_ids(reporter.get("/hop-thu").text)
    assert reporter.post("/hop-thu", {"notification_id": unread}).status_code == 403
    assert notification_ids(reporter.get("/hop-thu").text) == [unread]

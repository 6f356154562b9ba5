"""The web pages running over real HTTP (eventlet's WSGI server, as `binhdang run web`), in front of a running
plans service, with the accounts in PostgreSQL."""
import datetime as dt
import re

import eventlet
import eventlet.wsgi
import pytest
import requests
from sqlalchemy.orm import sessionmaker

from services.common.db import make_engine
from services.common.roles import Role
from services.ops.topology import consumer_topologies
from services.plans.service import PlansService
from services.reporting.service import ReportingService
from services.web.accounts import NewAccount, bootstrap_account
from services.web.app import WebApp, migrate
from services.web.config import web_config
from tests.support.broker import delete_queues
from tests.support.plan_documents import COMMUNE, DIRECTORY, INDICATOR_TARGETS, document
from tests.support.service_http import free_port, start_service, token

pytestmark = pytest.mark.integration

PASSWORD = "mật-khẩu-đủ-dài-2026"


class Clock:
    """The web's clock, moved by the idle time-out test."""

    def __init__(self):
        self.now = dt.datetime.now(dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


class Web:
    def __init__(self, base: str, database_url: str, clock: Clock):
        self.base, self.database_url, self.clock = base, database_url, clock
        self.server: eventlet.greenthread.GreenThread | None = None
        self.sessionmaker = sessionmaker(make_engine(database_url), expire_on_commit=False)

    def add(self, username: str, role: Role, **where) -> str | None:
        """An account with PASSWORD; its TOTP secret, if its role needs one."""
        with self.sessionmaker.begin() as session:
            account = bootstrap_account(session, NewAccount(username=username, display_name=f"Người {username}",
                                                            password=PASSWORD, role=role, **where),
                                        self.clock())
            return account.totp_secret

    def browser(self) -> "Browser":
        return Browser(self.base)


class Browser:
    """A browser without JavaScript: a cookie jar, no redirects followed."""

    def __init__(self, base: str):
        self.base = base
        self.http = requests.Session()

    def get(self, path: str) -> requests.Response:
        return self.http.get(self.base + path, allow_redirects=False, timeout=30)

    def post(self, path: str, data: dict) -> requests.Response:
        return self.http.post(self.base + path, data=data, allow_redirects=False, timeout=30)

    def upload(self, path: str, data: dict, files: dict) -> requests.Response:
        """A multipart form: `files` maps a field to (filename, bytes)."""
        return self.http.post(self.base + path, data=data, files=files, allow_redirects=False, timeout=60)

    def csrf(self, path: str) -> str:
        match = re.search(r'name="csrf_token" value="([^"]+)"', self.get(path).text)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def sign_in(self, username: str, password: str = PASSWORD) -> requests.Response:
        return self.post("/dang-nhap", {"csrf_token": self.csrf("/dang-nhap"), "username": username,
                                        "password": password})

    @property
    def session_cookie(self) -> str | None:
        return self.http.cookies.get("binhdang_session")


def start_web(database_url: str, tmp_path, clock: Clock, **settings: str) -> Web:
    port = free_port()
    config = web_config({"DATA_DIR": str(tmp_path), "WEB_DATABASE_URL": database_url, "WEB_PORT": str(port),
                         **settings})
    migrate(config)
    server = eventlet.spawn(eventlet.wsgi.server, eventlet.listen(("127.0.0.1", port)), WebApp(config, clock),
                            log_output=False)
    web = Web(f"http://127.0.0.1:{port}", database_url, clock)
    web.server = server
    return web


OFFICER = token("commune_officer", COMMUNE)


def issue_plan(plans) -> str:
    """The sample unit directory and an issued plan of 2026 in the commune, through plans' API: the plan's id."""
    for unit in DIRECTORY:
        assert plans.call("POST", f"/v1/communes/{COMMUNE}/units", OFFICER, json=unit).status_code == 201
    created = plans.call("POST", "/v1/plans", OFFICER, json={
        "commune_code": COMMUNE, "year": 2026, "document": document(), "indicator_targets": INDICATOR_TARGETS})
    plan = created.json()["id"]
    assert plans.call("POST", f"/v1/plans/{plan}/issue", OFFICER).status_code == 200
    return plan


@pytest.fixture
def plans(container_factory, postgres, amqp_uri, tmp_path):
    _, api = start_service(container_factory, PlansService, postgres.create("plans"), amqp_uri, tmp_path)
    return api


@pytest.fixture
def reporting(container_factory, postgres, amqp_uri, tmp_path):
    """A running reporting service on its own database, its queues emptied of other tests' events first."""
    delete_queues(amqp_uri, [t.queue for t in consumer_topologies({}) if t.queue.startswith("reporting.")])
    _, api = start_service(container_factory, ReportingService, postgres.create("reporting"), amqp_uri, tmp_path)
    return api


def web_before(plans, reporting, postgres, tmp_path) -> Web:
    """The web in front of plans and reporting."""
    return start_web(postgres.create("web"), tmp_path, Clock(),
                     WEB_API_URLS=f"plans={plans.base},reporting={reporting.base}")


@pytest.fixture
def web(plans, postgres, tmp_path):
    clock = Clock()
    running = start_web(postgres.create("web"), tmp_path, clock, WEB_API_URLS=f"plans={plans.base}")
    yield running
    if running.server is not None:
        running.server.kill()


@pytest.fixture
def plan_id(plans):
    """The issued plan of 2026 (issue_plan)."""
    return issue_plan(plans)


@pytest.fixture
def reporter(web, plan_id):
    """The unit VHXH's reporter, signed in."""
    web.add("bao-cao-vhxh", Role.UNIT_REPORTER, commune=COMMUNE, unit="VHXH")
    browser = web.browser()
    assert browser.sign_in("bao-cao-vhxh").status_code == 303
    return browser


__all__ = ["COMMUNE", "OFFICER", "PASSWORD", "Browser", "Web", "issue_plan", "start_web", "web_before"]

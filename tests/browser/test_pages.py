"""The pages in Debian's Chromium (Playwright), against the web and plans running as processes: each role's
journey, a screenshot of every page under the test's output folder, and axe-core in every page."""
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.orm import sessionmaker

from services.common.db import make_engine
from services.common.roles import Role
from services.processes import ServiceProcesses, http_json
from services.web.accounts import NewAccount, bootstrap_account
from services.web.app import migrate
from services.web.config import web_config
from tests.support.broker import private_vhost
from tests.support.plan_documents import COMMUNE, DIRECTORY, INDICATOR_TARGETS, document
from tests.support.service_http import free_port, free_ports, token

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "mat-khau-thu-nghiem-2026"
ACCOUNTS = {"unit_reporter": ("bao-cao-vhxh", Role.UNIT_REPORTER, "VHXH"),
            "case_worker": ("can-bo-vu-viec", Role.CASE_WORKER, None),
            "commune_officer": ("can-bo-xa", Role.COMMUNE_OFFICER, None)}


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    # a vhost of its own: the events this test leaves in the queues (plans' for notifications, which does not
    # run here) must not reach the services of the tests after it (the demo's reporting took this plan as its own)
    with private_vhost("browser") as amqp_uri:
        yield from _running(amqp_uri, tmp_path_factory.mktemp("browser"))


def _running(amqp_uri, base):
    # free API and metrics ports: two runs on one machine must not collide on the default metrics ports
    environ = dict(os.environ, AMQP_URI=amqp_uri, DATA_DIR=str(base), LOG_FORMAT="json",
                   **free_ports("plans", "reporting"), WEB_PORT=str(free_port()))
    environ.pop("DATABASE_URL", None)
    migrate(web_config(environ))
    accounts = {}
    with sessionmaker(make_engine(web_config(environ).database_url)).begin() as session:
        for journey, (username, role, unit) in ACCOUNTS.items():
            made = bootstrap_account(session, NewAccount(username, username, PASSWORD, role, COMMUNE, unit),
                                     dt.datetime.now(dt.UTC))
            accounts[journey] = {"username": username, "password": PASSWORD, "totp_secret": made.totp_secret}
    processes = ServiceProcesses(environ, base / "logs", services=("plans", "reporting", "web"))
    processes.start()
    try:
        officer = token("commune_officer", COMMUNE)
        plans = processes.url("plans")
        for entry in DIRECTORY:
            assert http_json("POST", f"{plans}/v1/communes/{COMMUNE}/units", entry, officer)[0] == 201
        status, plan = http_json("POST", f"{plans}/v1/plans", {"commune_code": COMMUNE, "year": 2026,
                                                               "document": document(),
                                                               "indicator_targets": INDICATOR_TARGETS}, officer)
        assert status == 201, plan
        assert http_json("POST", f"{plans}/v1/plans/{plan['id']}/issue", None, officer)[0] == 200
        yield processes.url("web"), accounts
    finally:
        processes.stop()


def test_each_role_journey_in_chromium_with_no_serious_accessibility_violation(running, tmp_path):
    web, accounts = running
    driven = subprocess.run([sys.executable, "-m", "tests.browser.journeys", web, str(tmp_path),
                             json.dumps(accounts)], cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert driven.returncode == 0, driven.stderr[-3000:]
    pages = json.loads(driven.stdout)
    assert set(pages) == {"dang-nhap", "trang-chinh", "bao-cao", "bao-cao-loi", "bao-cao-da-gui", "ma-xac-thuc",
                          "tai-khoan", "so-theo-doi"}
    for name, seen in pages.items():
        assert seen["violations"] == [], f"{name}: {seen['violations']}"
        assert Path(seen["screenshot"]).stat().st_size > 1000
        assert seen["title"].endswith("· Bình Đẳng")
    assert "Đã gửi báo cáo" not in pages["bao-cao-loi"]["title"]

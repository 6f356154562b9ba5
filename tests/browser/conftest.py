"""The site the browser tests drive: the four services and the web running as processes (as `./dev demo` runs
them) in a RabbitMQ vhost of their own, with the sample commune's unit directory, its issued plan of 2026 and an
account for every role; and `drive`, which runs one role's journey in Chromium and checks every page it saw."""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.orm import sessionmaker

from services.common.admin_units import communes_of, province_of
from services.common.config import SERVICE_NAMES
from services.common.db import make_engine
from services.common.roles import Role
from services.processes import ServiceProcesses
from services.web.accounts import NewAccount, bootstrap_account
from services.web.app import migrate
from services.web.config import web_config
from tests.support.broker import private_vhost
from tests.support.plan_documents import COMMUNE
from tests.support.service_http import free_ports
from tests.support.submitted_reports import issue_sample_plan

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "mat-khau-thu-nghiem-2026"
PROVINCE = province_of(COMMUNE).code  # type: ignore[union-attr]
# another commune of the province, with an officer of its own
OTHER_COMMUNE = next(c.code for c in communes_of(PROVINCE) if c.code != COMMUNE)
# journey name -> (username, role, commune, unit, province)
ACCOUNTS = {
    "unit_reporter": ("bao-cao-vhxh", Role.UNIT_REPORTER, COMMUNE, "VHXH", None),
    "commune_officer": ("can-bo-xa", Role.COMMUNE_OFFICER, COMMUNE, None, None),
    "case_worker": ("can-bo-vu-viec", Role.CASE_WORKER, COMMUNE, None, None),
    "commune_leader": ("chu-tich-xa", Role.COMMUNE_LEADER, COMMUNE, None, None),
    "province_officer": ("so-noi-vu", Role.PROVINCE_OFFICER, None, None, PROVINCE),
    "operator": ("quan-tri", Role.OPERATOR, None, None, None),
    "other_commune_officer": ("can-bo-xa-khac", Role.COMMUNE_OFFICER, OTHER_COMMUNE, None, None),
}


@dataclass
class Site:
    web: str
    services: dict[str, str]
    accounts: dict[str, dict]
    plan_id: str
    data_dir: Path
    amqp_uri: str = ""  # the site's RabbitMQ vhost (as the guest administrator)

    def as_json(self) -> str:
        return json.dumps({"web": self.web, "services": self.services, "accounts": self.accounts,
                           "commune": COMMUNE, "province": PROVINCE, "plan_id": self.plan_id})


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    # a vhost of its own: the events these tests leave in the queues must not reach the services of other tests
    with private_vhost("browser") as amqp_uri:
        yield from _site(amqp_uri, tmp_path_factory.mktemp("browser"))


def _site(amqp_uri: str, base: Path):
    # free API and metrics ports: two runs on one machine must not collide on the default ports
    environ = dict(os.environ, AMQP_URI=amqp_uri, DATA_DIR=str(base), LOG_FORMAT="json",
                   **free_ports(*SERVICE_NAMES, "web"))
    environ.pop("DATABASE_URL", None)
    migrate(web_config(environ))
    accounts = {}
    with sessionmaker(make_engine(web_config(environ).database_url)).begin() as session:
        for journey, (username, role, commune, unit, province) in ACCOUNTS.items():
            made = bootstrap_account(session, NewAccount(username, username, PASSWORD, role, commune, unit, province),
                                     dt.datetime.now(dt.UTC))
            accounts[journey] = {"username": username, "password": PASSWORD, "totp_secret": made.totp_secret}
    processes = ServiceProcesses(environ, base / "logs", services=(*SERVICE_NAMES, "web"))
    processes.start(timeout=120)
    try:
        plan_id = issue_sample_plan(processes.url("plans"), COMMUNE)
        yield Site(processes.url("web"), {name: processes.url(name) for name in SERVICE_NAMES}, accounts,
                   plan_id, base, amqp_uri=amqp_uri)
    finally:
        processes.stop()


def drive(role: str, site: Site, output: Path) -> dict[str, dict]:
    """Run the journey of `role` in Chromium; every page it saw has a screenshot, a title of the site's form and
    no serious or critical axe-core violation. Returns page name -> what was seen."""
    driven = subprocess.run([sys.executable, "-m", "tests.browser.journeys", role, site.web, str(output),
                             site.as_json()], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert driven.returncode == 0, driven.stderr[-3000:]
    pages = json.loads(driven.stdout)
    (output / "accessibility.json").write_text(json.dumps(pages, ensure_ascii=False, indent=1), encoding="utf-8")
    for name, seen in pages.items():
        assert seen["violations"] == [], f"{name}: {seen['violations']}"
        assert Path(seen["screenshot"]).stat().st_size > 1000
        assert seen["title"].endswith("· Bình Đẳng"), name
    return pages

"""Every page for every role, over HTTP against the running site (no browser needed): a role's pages answer, any
other role gets a 404 that does not say the page exists, every answer carries the protective headers, and a
case's victim data is absent from every page that is not a case page."""
from __future__ import annotations

import datetime as dt
import re

import pyotp
import pytest
import requests
from sqlalchemy.orm import sessionmaker

from services.common.db import make_engine
from services.common.roles import Role
from services.processes import http_json
from services.web.accounts import NewAccount, bootstrap_account
from services.web.config import web_config
from services.web.pages import MODULES
from tests.browser.conftest import ACCOUNTS, PASSWORD, Site
from tests.support.case_reports import COMMUNE, NARRATIVE, REPORTER, VICTIM, report_body
from tests.support.service_http import token

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

NAV = [link for module in MODULES for link in module.NAV]
CASE_PAGES = "/vu-viec"  # the case worker's pages: the only ones that may show victim data
VICTIM_DATA = [VICTIM["full_name"], VICTIM["phone"], VICTIM["address"], NARRATIVE, REPORTER]


def signed_in(site: Site, username: str, totp_secret: str | None) -> requests.Session:
    """A browser without JavaScript, signed in (with the TOTP code where the account has one)."""
    http = requests.Session()

    def post(path: str, data: dict) -> requests.Response:
        form = http.get(site.web + path, timeout=30).text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', form)
        assert csrf, path
        return http.post(site.web + path, data={"csrf_token": csrf.group(1), **data}, allow_redirects=False,
                         timeout=30)

    answer = post("/dang-nhap", {"username": username, "password": PASSWORD})
    assert answer.status_code == 303, answer.text[:500]
    if totp_secret:
        assert answer.headers["Location"].endswith("/dang-nhap/ma-xac-thuc")
        answer = post("/dang-nhap/ma-xac-thuc", {"code": pyotp.TOTP(totp_secret).now()})
        assert answer.status_code == 303, answer.text[:500]
    assert answer.headers["Location"].endswith("/")
    return http


@pytest.fixture(scope="module")
def browsers(site: Site) -> dict[str, tuple[Role, requests.Session]]:
    """A fresh account of each role (the journeys' accounts are left to the journeys), signed in; and a case of
    the commune with a victim whose data must stay on the case pages."""
    status, case = http_json("POST", f"{site.services['cases']}/v1/cases", report_body(),
                             token("case_worker", COMMUNE))
    assert status == 201, case
    database = web_config({"DATA_DIR": str(site.data_dir)}).database_url
    made = {}
    with sessionmaker(make_engine(database)).begin() as session:
        for journey, (username, role, commune, unit, province) in ACCOUNTS.items():
            account = bootstrap_account(session, NewAccount(f"{username}-kt", f"{username} (kiểm tra)", PASSWORD,
                                                            role, commune, unit, province), dt.datetime.now(dt.UTC))
            made[journey] = (role, account.username, account.totp_secret)
    return {journey: (role, signed_in(site, username, secret)) for journey, (role, username, secret) in made.items()}


def test_each_page_answers_its_roles_and_is_a_404_for_the_others(site, browsers):
    for journey, (role, http) in browsers.items():
        for link in NAV:
            answer = http.get(site.web + link.href, allow_redirects=False, timeout=60)
            if role in link.roles:
                assert answer.status_code == 200, (journey, link.href, answer.status_code)
            else:
                assert answer.status_code == 404, (journey, link.href, answer.status_code)
                assert link.label not in answer.text, (journey, link.href)
            assert answer.headers["Content-Type"].startswith("text/html")


def test_every_answer_is_no_store_unframed_and_from_this_site_only(site, browsers):
    for _, http in browsers.values():
        for link in NAV:
            answer = http.get(site.web + link.href, allow_redirects=False, timeout=60)
            assert answer.headers["Cache-Control"] == "no-store", link.href
            assert answer.headers["X-Frame-Options"] == "DENY"
            assert "default-src 'self'" in answer.headers["Content-Security-Policy"]
            assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]


def test_victim_data_appears_on_no_page_but_the_case_pages(site, browsers):
    for journey, (_, http) in browsers.items():
        for link in NAV:
            if link.href.startswith(CASE_PAGES):
                continue
            answer = http.get(site.web + link.href, timeout=60)
            for value in VICTIM_DATA:
                assert value not in answer.text, (journey, link.href, value)
                assert value not in answer.url


def test_a_page_that_does_not_exist_is_the_same_404_signed_in_or_not(site, browsers):
    _, officer = browsers["commune_officer"]
    for http in (officer, requests.Session()):
        answer = http.get(site.web + "/khong-co-trang-nay", allow_redirects=False, timeout=30)
        assert answer.status_code == 404
        assert "Không tìm thấy trang" in answer.text
        assert answer.headers["Cache-Control"] == "no-store"

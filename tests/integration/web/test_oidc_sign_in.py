"""Signing in through the province's OpenID Connect provider (a small provider the test runs): the full flow with
PKCE signs in and rotates the session; a case worker still gives the TOTP code; a wrong state, nonce, audience,
signature, issuer or an expired token is refused; an unknown person is refused and no account is made; the button
shows only when a provider is configured."""
from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest
import requests
import sqlalchemy as sa

from services.common.roles import Role
from services.web.models import Account, AuditRecord
from tests.integration.web.conftest import COMMUNE, Clock, start_web
from tests.support.oidc_provider import Misbehaviour, OidcProvider

pytestmark = pytest.mark.integration


@pytest.fixture
def provider():
    running = OidcProvider().start()
    yield running
    running.stop()


@pytest.fixture
def site(provider, plans, postgres, tmp_path):
    running = start_web(postgres.create("web"), tmp_path, Clock(), WEB_API_URLS=f"plans={plans.base}",
                        WEB_OIDC_ISSUER=provider.issuer, WEB_OIDC_CLIENT_ID=provider.client_id,
                        WEB_OIDC_CLIENT_SECRET=provider.client_secret)
    yield running
    if running.server is not None:
        running.server.kill()


def through_provider(browser, state: str | None = None) -> requests.Response:
    """Start at the web, let the provider approve, come back to the callback (its state replaced if asked)."""
    started = browser.get("/dang-nhap/oidc")
    assert started.status_code == 303, started.text
    authorize = started.headers["Location"]
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"] and query["nonce"] and query["state"]
    approved = requests.get(authorize, allow_redirects=False, timeout=30)
    assert approved.status_code == 302, approved.text
    callback = urlsplit(approved.headers["Location"])
    assert callback.path == "/dang-nhap/oidc/callback"
    path = f"{callback.path}?{callback.query}"
    if state is not None:
        path = path.replace(f"state={query['state'][0]}", f"state={state}")
    return browser.get(path)


def audit_actions(site) -> list[str]:
    with site.sessionmaker() as session:
        return list(session.scalars(sa.select(AuditRecord.action).order_by(AuditRecord.id)))


def test_the_sign_in_page_shows_the_button_only_when_configured(site, web):
    assert 'href="/dang-nhap/oidc"' in site.browser().get("/dang-nhap").text
    assert 'href="/dang-nhap/oidc"' not in web.browser().get("/dang-nhap").text
    assert web.browser().get("/dang-nhap/oidc").status_code == 404


def test_the_full_flow_signs_in_with_a_new_session_and_an_audit_record(site, provider):
    site.add("bao-cao-vhxh", Role.UNIT_REPORTER, commune=COMMUNE, unit="VHXH")
    provider.username = "bao-cao-vhxh"
    browser = site.browser()
    browser.get("/dang-nhap")
    before = browser.session_cookie
    signed_in = through_provider(browser)
    assert signed_in.status_code == 303 and signed_in.headers["Location"] == "/"
    assert browser.session_cookie not in (None, before), "the session is rotated"
    assert "Người bao-cao-vhxh" in browser.get("/").text
    assert provider.token_requests[0]["code_verifier"], "PKCE"
    assert audit_actions(site)[-2:] == ["oidc_verified", "signed_in"]


def test_a_case_worker_still_gives_the_totp_code(site, provider):
    secret = site.add("can-bo-vu-viec", Role.CASE_WORKER, commune=COMMUNE)
    provider.username = "can-bo-vu-viec"
    browser = site.browser()
    answered = through_provider(browser)
    assert answered.status_code == 303 and answered.headers["Location"] == "/dang-nhap/ma-xac-thuc"
    assert browser.get("/").status_code == 303, "not signed in before the code"
    code = browser.post("/dang-nhap/ma-xac-thuc", {"csrf_token": browser.csrf("/dang-nhap/ma-xac-thuc"),
                                                   "code": pyotp.TOTP(secret).now()})
    assert code.status_code == 303 and code.headers["Location"] == "/"
    assert browser.get("/").status_code == 200


@pytest.mark.parametrize("misbehaviour", [
    Misbehaviour(nonce="nonce-khac"), Misbehaviour(audience="ung-dung-khac"), Misbehaviour(foreign_key=True),
    Misbehaviour(expires_in=-600), Misbehaviour(issuer="https://gia-mao.example"),
], ids=["nonce", "audience", "signature", "expired", "issuer"])
def test_a_forged_or_stale_id_token_is_refused(site, provider, misbehaviour):
    site.add("bao-cao-vhxh", Role.UNIT_REPORTER, commune=COMMUNE, unit="VHXH")
    provider.username, provider.misbehave = "bao-cao-vhxh", misbehaviour
    browser = site.browser()
    refused = through_provider(browser)
    assert refused.status_code == 401
    assert "Không đăng nhập được qua cổng định danh của tỉnh." in refused.text
    assert browser.get("/").status_code == 303
    assert audit_actions(site)[-1] == "oidc_refused"


def test_a_wrong_state_is_refused_and_the_code_not_used(site, provider):
    site.add("bao-cao-vhxh", Role.UNIT_REPORTER, commune=COMMUNE, unit="VHXH")
    provider.username = "bao-cao-vhxh"
    browser = site.browser()
    refused = through_provider(browser, state="trang-thai-gia")
    assert refused.status_code == 400 and browser.get("/").status_code == 303
    assert provider.token_requests == []
    assert browser.get("/dang-nhap/oidc/callback?code=x&state=y").status_code == 400  # nothing under way


def test_an_unknown_person_is_refused_and_no_account_is_made(site, provider):
    provider.username = "nguoi-la"
    browser = site.browser()
    refused = through_provider(browser)
    assert refused.status_code == 401
    assert "chưa được gắn với tài khoản nào trên Bình Đẳng" in refused.text
    with site.sessionmaker() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Account)) == 0


def test_a_callback_is_used_once(site, provider):
    site.add("bao-cao-vhxh", Role.UNIT_REPORTER, commune=COMMUNE, unit="VHXH")
    provider.username = "bao-cao-vhxh"
    browser = site.browser()
    started = browser.get("/dang-nhap/oidc")
    approved = requests.get(started.headers["Location"], allow_redirects=False, timeout=30)
    callback = urlsplit(approved.headers["Location"])
    assert browser.get(f"{callback.path}?{callback.query}").status_code == 303
    replayed = site.browser()
    replayed.http.cookies.update(browser.http.cookies)
    assert replayed.get(f"{callback.path}?{callback.query}").status_code == 400
    assert len(provider.token_requests) == 1


def test_an_unreachable_provider_is_a_503_with_the_password_form_still_there(plans, postgres, tmp_path):
    running = start_web(postgres.create("web"), tmp_path, Clock(), WEB_API_URLS=f"plans={plans.base}",
                        WEB_OIDC_ISSUER="http://127.0.0.1:9", WEB_OIDC_CLIENT_ID="binhdang-web")
    try:
        answered = running.browser().get("/dang-nhap/oidc")
        assert answered.status_code == 503
        assert "Cổng định danh của tỉnh đang không trả lời." in answered.text
        assert 'name="password"' in answered.text
    finally:
        if running.server is not None:
            running.server.kill()


def test_a_disabled_account_is_refused_as_an_unknown_one(site, provider):
    site.add("bao-cao-vhxh", Role.UNIT_REPORTER, commune=COMMUNE, unit="VHXH")
    with site.sessionmaker.begin() as session:
        account = session.scalar(sa.select(Account).where(Account.username == "bao-cao-vhxh"))
        account.disabled_at = site.clock()
    provider.username = "bao-cao-vhxh"
    browser = site.browser()
    refused = through_provider(browser)
    assert refused.status_code == 401 and "chưa được gắn với tài khoản nào" in refused.text
    assert browser.get("/").status_code == 303

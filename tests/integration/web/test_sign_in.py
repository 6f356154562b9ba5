"""Signing in to the web pages, over HTTP against the running web and plans service."""
import datetime as dt

import pyotp
import pytest
import sqlalchemy as sa

from services.common.roles import Role
from services.common.token_keys import new_key_pair
from services.web.accounts import ACCOUNT_FAILURES_BEFORE_LOCK, ADDRESS_FAILURES_PER_WINDOW
from services.web.models import Account, AuditRecord
from tests.integration.web.conftest import COMMUNE, Clock, start_web

pytestmark = pytest.mark.integration


def change_password(browser, current: str, new: str, repeated: str | None = None):
    return browser.post("/doi-mat-khau", {"csrf_token": browser.csrf("/doi-mat-khau"), "current": current,
                                          "new": new, "repeated": new if repeated is None else repeated})


def audit_actions(web, username: str) -> list[str]:
    with web.sessionmaker() as session:
        return list(session.scalars(sa.select(AuditRecord.action).where(AuditRecord.username == username)
                                    .order_by(AuditRecord.id)))


def test_signing_in_issues_a_new_session_id_with_safe_cookie_flags(web):
    web.add("can-bo-xa", Role.COMMUNE_OFFICER, commune=COMMUNE)
    browser = web.browser()
    planted = browser.get("/dang-nhap")
    assert planted.status_code == 200 and planted.headers["Cache-Control"] == "no-store"
    before = browser.session_cookie
    signed_in = browser.sign_in("can-bo-xa")
    assert signed_in.status_code == 303 and signed_in.headers["Location"].endswith("/")
    cookie = signed_in.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie  # development: http
    assert browser.session_cookie and browser.session_cookie != before
    # the home page calls the plans service with a token the web minted for this officer
    home = browser.get("/")
    assert home.status_code == 200 and "Chưa có kế hoạch nào." in home.text, home.text
    # an attacker who planted the anonymous session id in the victim's browser holds nothing
    attacker = web.browser()
    attacker.http.cookies.set("binhdang_session", before)
    assert attacker.get("/").status_code == 303


def test_the_cookie_is_secure_in_production(postgres, tmp_path, plans):
    private, jwks = new_key_pair()
    web = start_web(postgres.create("web"), tmp_path, Clock(), ENVIRONMENT="production", JWT_PRIVATE_KEY=private,
                    JWT_JWKS=jwks, WEB_API_URLS=f"plans={plans.base}")
    try:
        assert "Secure" in web.browser().get("/dang-nhap").headers["Set-Cookie"]
    finally:
        assert web.server is not None
        web.server.kill()


def test_a_form_without_the_sessions_csrf_token_is_refused(web):
    web.add("can-bo-xa", Role.COMMUNE_OFFICER, commune=COMMUNE)
    browser = web.browser()
    browser.get("/dang-nhap")
    refused = browser.post("/dang-nhap", {"username": "can-bo-xa", "password": "x" * 20})
    assert refused.status_code == 403 and browser.session_cookie
    assert web.browser().post("/dang-nhap", {"csrf_token": browser.csrf("/dang-nhap"), "username": "can-bo-xa",
                                             "password": "x" * 20}).status_code == 403  # another browser's token
    assert browser.sign_in("can-bo-xa").status_code == 303
    forged = browser.post("/tai-khoan", {"csrf_token": "guess", "username": "ke-gian", "display_name": "X",
                                         "password": "p" * 20, "role": "unit_reporter", "unit": "VHXH"})
    assert forged.status_code == 403
    assert browser.post("/dang-xuat", {}).status_code == 403
    assert "ke-gian" not in browser.get("/tai-khoan").text  # still signed in, nothing made


def test_wrong_passwords_lock_the_account_with_an_audit_record(web):
    web.add("bao-cao", Role.UNIT_REPORTER, commune=COMMUNE, unit="VHXH")
    browser = web.browser()
    for _ in range(ACCOUNT_FAILURES_BEFORE_LOCK):
        refused = browser.sign_in("bao-cao", "sai-mat-khau-123")
        assert refused.status_code == 401
    locked = browser.sign_in("bao-cao")  # the right password, too late
    assert locked.status_code == 401 and "tạm khoá" in locked.text
    assert audit_actions(web, "bao-cao").count("locked") == 1
    # fifteen minutes on, the account opens again
    web.clock.now += dt.timedelta(minutes=16)
    assert browser.sign_in("bao-cao").status_code == 303


def test_an_address_that_guesses_many_accounts_is_throttled(web):
    web.add("bao-cao", Role.UNIT_REPORTER, commune=COMMUNE, unit="VHXH")
    browser = web.browser()
    for attempt in range(ADDRESS_FAILURES_PER_WINDOW):
        assert browser.sign_in(f"khong-co-{attempt}", "doan-mo-mat-khau").status_code == 401
    throttled = browser.sign_in("bao-cao")
    assert throttled.status_code == 401 and "từ địa chỉ này" in throttled.text


def test_a_case_worker_needs_the_totp_code(web):
    secret = web.add("vu-viec", Role.CASE_WORKER, commune=COMMUNE)
    assert secret
    browser = web.browser()
    password_given = browser.sign_in("vu-viec")
    assert password_given.headers["Location"].endswith("/dang-nhap/ma-xac-thuc")
    assert browser.get("/").status_code == 303  # not signed in until the code is given
    csrf = browser.csrf("/dang-nhap/ma-xac-thuc")
    wrong = browser.post("/dang-nhap/ma-xac-thuc", {"csrf_token": csrf, "code": "000000"})
    assert wrong.status_code == 401 and "Mã xác thực không đúng." in wrong.text
    pending = browser.session_cookie
    code = pyotp.TOTP(secret).at(web.clock())
    assert browser.post("/dang-nhap/ma-xac-thuc", {"csrf_token": csrf, "code": code}).status_code == 303
    assert browser.session_cookie != pending
    assert browser.get("/").status_code == 200
    assert audit_actions(web, "vu-viec") == ["account_created", "sign_in_failed", "signed_in"]


def test_a_totp_code_signs_in_once(web):
    secret = web.add("chu-tich", Role.COMMUNE_LEADER, commune=COMMUNE)
    assert secret
    code = pyotp.TOTP(secret).at(web.clock())
    first = web.browser()
    first.sign_in("chu-tich")
    assert first.post("/dang-nhap/ma-xac-thuc", {"csrf_token": first.csrf("/dang-nhap/ma-xac-thuc"),
                                                 "code": code}).status_code == 303
    overheard = web.browser()  # the same code, seen over a shoulder, within its 30 seconds
    overheard.sign_in("chu-tich")
    again = overheard.post("/dang-nhap/ma-xac-thuc", {"csrf_token": overheard.csrf("/dang-nhap/ma-xac-thuc"),
                                                      "code": code})
    assert again.status_code == 401 and "đã được dùng" in again.text
    assert overheard.get("/").status_code == 303
    web.clock.now += dt.timedelta(seconds=30)  # the next code signs in
    later = pyotp.TOTP(secret).at(web.clock())
    assert overheard.post("/dang-nhap/ma-xac-thuc", {"csrf_token": overheard.csrf("/dang-nhap/ma-xac-thuc"),
                                                     "code": later}).status_code == 303
    assert audit_actions(web, "chu-tich") == ["account_created", "signed_in", "sign_in_failed", "signed_in"]


def test_an_idle_session_ends_and_sign_out_ends_it_at_once(web):
    web.add("can-bo-xa", Role.COMMUNE_OFFICER, commune=COMMUNE)
    browser = web.browser()
    browser.sign_in("can-bo-xa")
    web.clock.now += dt.timedelta(minutes=29)
    assert browser.get("/").status_code == 200
    web.clock.now += dt.timedelta(minutes=31)
    assert browser.get("/").status_code == 303
    browser.sign_in("can-bo-xa")
    session = browser.session_cookie
    signed_out = browser.post("/dang-xuat", {"csrf_token": browser.csrf("/")})
    assert signed_out.status_code == 303
    replay = web.browser()
    replay.http.cookies.set("binhdang_session", session)
    assert replay.get("/").status_code == 303


def test_a_commune_officer_makes_accounts_for_the_own_commune_only(web):
    web.add("can-bo-xa", Role.COMMUNE_OFFICER, commune=COMMUNE)
    browser = web.browser()
    browser.sign_in("can-bo-xa")
    form = {"csrf_token": browser.csrf("/tai-khoan"), "username": "bao-cao-tyt", "display_name": "Trạm y tế",
            "password": "mot-mat-khau-dai", "role": "unit_reporter", "unit": "TYT"}
    assert browser.post("/tai-khoan", form).status_code == 200
    short = browser.post("/tai-khoan", {**form, "username": "khac", "password": "ngan"})
    assert short.status_code == 422 and "Mật khẩu cần ít nhất 12 ký tự." in short.text
    assert 'id="loi-password"' in short.text
    for lookalike in ("bаo-cao-tyt", "nguyễn"):  # a Cyrillic 'а'; letters with accents
        refused = browser.post("/tai-khoan", {**form, "username": lookalike})
        assert refused.status_code == 422 and 'id="loi-username"' in refused.text
    operator = browser.post("/tai-khoan", {**form, "username": "quan-tri", "role": "operator"})
    assert operator.status_code == 422
    worker = browser.post("/tai-khoan", {**form, "username": "vu-viec", "role": "case_worker"})
    assert worker.status_code == 200 and "Khoá xác thực hai lớp" in worker.text
    with web.sessionmaker() as session:
        made = {a.username: a.commune for a in session.scalars(sa.select(Account))}
    assert made == {"can-bo-xa": COMMUNE, "bao-cao-tyt": COMMUNE, "vu-viec": COMMUNE}
    # a unit reporter manages no one: the page does not exist for them
    reporter = web.browser()
    reporter.sign_in("bao-cao-tyt", "mot-mat-khau-dai")
    change_password(reporter, "mot-mat-khau-dai", "mat-khau-rieng-cua-toi")
    assert reporter.get("/tai-khoan").status_code == 404


def test_an_operator_makes_province_staff(web):
    web.add("quan-tri", Role.OPERATOR)
    browser = web.browser()
    browser.sign_in("quan-tri")
    made = browser.post("/tai-khoan", {"csrf_token": browser.csrf("/tai-khoan"), "username": "so-noi-vu",
                                       "display_name": "Cán bộ Sở", "password": "mot-mat-khau-dai",
                                       "role": "province_officer", "province": "24"})
    assert made.status_code == 200 and "so-noi-vu" in made.text
    commune = browser.post("/tai-khoan", {"csrf_token": browser.csrf("/tai-khoan"), "username": "xa",
                                          "display_name": "X", "password": "mot-mat-khau-dai",
                                          "role": "commune_officer"})
    assert commune.status_code == 422


def test_the_migrations_make_the_tables_the_models_describe(web):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from services.web.models import Base

    with web.sessionmaker().connection() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []


def test_health_and_readiness_answer_without_a_session(web):
    browser = web.browser()
    assert browser.get("/health").json() == {"status": "ok"}
    assert browser.get("/ready").json() == {"status": "ready"}
    assert browser.session_cookie is None

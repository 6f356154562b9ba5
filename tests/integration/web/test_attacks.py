"""An outsider's and a picky user's tries at the web pages: odd input answers 4xx (never a 500), the sign-in
does not tell whether an account exists, and no form is taken without its CSRF token."""
import re

import eventlet
import eventlet.wsgi
import pyotp
import pytest
import requests
import sqlalchemy as sa

from services.common.roles import Role
from services.web.accounts import ACCOUNT_FAILURES_BEFORE_LOCK, ADDRESS_FAILURES_PER_WINDOW
from services.web.models import Account, AuditRecord
from tests.integration.web.conftest import COMMUNE, OFFICER, PASSWORD, Clock, issue_plan, start_web, web_before
from tests.support.service_http import free_port

pytestmark = pytest.mark.integration


def error_of(page) -> str:
    found = re.search(r'class="error"[^>]*>([^<]*)<', page.text)
    return found.group(1) if found else ""


def signed_in(web, username: str, role: Role, **where):
    web.add(username, role, commune=COMMUNE, **where)
    browser = web.browser()
    assert browser.sign_in(username).status_code == 303
    return browser


@pytest.mark.parametrize("year", ["²", "٢٠٢٦", "9" * 5000, "-1", "2026.0", "１"])
def test_an_odd_year_in_the_address_is_this_year_not_a_500(web, year):
    browser = signed_in(web, "can-bo-xa", Role.COMMUNE_OFFICER)
    for path in ("/so-theo-doi", "/bao-cao-xa", "/bao-cao-xa/xem-truoc"):
        answer = browser.get(f"{path}?nam={year}")
        assert answer.status_code < 500 or answer.status_code == 503, (path, answer.status_code)


def test_a_malformed_report_id_is_not_a_path_into_plans(web):
    browser = signed_in(web, "can-bo-xa", Role.COMMUNE_OFFICER)
    for report_id in ("a b", "../plans", "x?y=1", "%2e%2e", "\u00e9"):
        answer = browser.post("/so-theo-doi?nam=2026", {"csrf_token": browser.csrf("/"), "report_id": report_id,
                                                       "reason": "Thiếu số liệu."})
        assert answer.status_code == 404, (report_id, answer.status_code)


def test_non_ascii_tokens_and_codes_are_refused_not_a_500(web):
    browser = web.browser()
    assert browser.post("/dang-nhap", {"csrf_token": "é", "username": "x", "password": "y"}).status_code == 403
    web.add("vu-viec", Role.CASE_WORKER, commune=COMMUNE)
    assert browser.sign_in("vu-viec").status_code == 303
    wrong = browser.post("/dang-nhap/ma-xac-thuc", {"csrf_token": browser.csrf("/dang-nhap/ma-xac-thuc"),
                                                    "code": "١٢٣٤٥٦"})
    assert wrong.status_code == 401 and "Mã xác thực không đúng." in wrong.text


def test_a_too_long_unit_code_is_a_message_not_a_500(web):
    browser = signed_in(web, "can-bo-xa", Role.COMMUNE_OFFICER)
    made = browser.post("/tai-khoan", {"csrf_token": browser.csrf("/tai-khoan"), "username": "bao-cao-dai",
                                       "display_name": "Đơn vị", "password": "mot-mat-khau-dai",
                                       "role": "unit_reporter", "unit": "U" * 40})
    assert made.status_code == 422 and 'id="loi-unit"' in made.text
    with web.sessionmaker() as session:
        assert session.scalar(sa.select(Account).where(Account.username == "bao-cao-dai")) is None


def test_the_lock_out_does_not_tell_whether_an_account_exists(web):
    web.add("bao-cao", Role.UNIT_REPORTER, commune=COMMUNE, unit="VHXH")
    known, unknown = web.browser(), web.browser()
    for _ in range(ACCOUNT_FAILURES_BEFORE_LOCK + 1):
        real = known.sign_in("bao-cao", "sai-mat-khau-123")
        made_up = unknown.sign_in("khong-co-ai", "sai-mat-khau-123")
        assert real.status_code == made_up.status_code == 401
        assert error_of(real) == error_of(made_up) != ""
    locked = known.sign_in("bao-cao")  # the right password, while locked: the same words
    assert locked.status_code == 401 and error_of(locked) == error_of(made_up)
    assert "tạm khoá" in error_of(locked)  # the rule is said, to everyone


def test_a_head_request_does_not_sign_in_without_the_csrf_token(web):
    web.add("can-bo-xa", Role.COMMUNE_OFFICER, commune=COMMUNE)
    answer = requests.head(web.base + "/dang-nhap", data={"username": "can-bo-xa", "password": PASSWORD},
                           allow_redirects=False, timeout=30)
    assert answer.status_code == 200 and not answer.content  # the sign-in form's headers, as GET
    with web.sessionmaker() as session:
        actions = list(session.scalars(sa.select(AuditRecord.action).where(AuditRecord.username == "can-bo-xa")))
    assert actions == ["account_created"]


def test_a_head_request_gives_no_totp_code_a_try(web):
    secret = web.add("vu-viec", Role.CASE_WORKER, commune=COMMUNE)
    browser = web.browser()
    assert browser.sign_in("vu-viec").status_code == 303
    answer = browser.http.head(web.base + "/dang-nhap/ma-xac-thuc", data={"code": pyotp.TOTP(secret).at(web.clock())},
                               allow_redirects=False, timeout=30)
    assert answer.status_code == 200
    assert browser.get("/").status_code == 303  # still waiting for the code


def test_names_and_reasons_are_escaped_and_every_answer_is_no_store(web):
    browser = signed_in(web, "can-bo-xa", Role.COMMUNE_OFFICER)
    script = '<script>alert(1)</script>"\'><img src=x onerror=alert(2)>'
    made = browser.post("/tai-khoan", {"csrf_token": browser.csrf("/tai-khoan"), "username": "bao-cao-x",
                                       "display_name": script, "password": "mot-mat-khau-dai",
                                       "role": "unit_reporter", "unit": "VHXH"})
    assert made.status_code == 200 and script not in made.text and "&lt;script&gt;" in made.text
    for answer in (browser.get("/tai-khoan"), browser.get("/khong-co"), browser.get("/static/site.css"),
                   browser.get("/static/..%2fapp.py"), browser.get("/static/%00.css"),
                   browser.http.put(web.base + "/dang-nhap", timeout=30), web.browser().get("/"),
                   requests.head(web.base + "/dang-nhap", timeout=30)):
        assert answer.status_code < 500 and answer.headers["Cache-Control"] == "no-store", answer.url
    assert browser.get("/static/..%2fapp.py").status_code == 404


def test_nul_characters_in_a_form_are_refused_not_a_500(web):
    browser = web.browser()
    assert browser.post("/dang-nhap", {"csrf_token": browser.csrf("/dang-nhap"), "username": "can\x00bo",
                                       "password": "x"}).status_code == 400
    officer = signed_in(web, "can-bo-xa", Role.COMMUNE_OFFICER)
    made = officer.post("/tai-khoan", {"csrf_token": officer.csrf("/tai-khoan"), "username": "bao-cao-y",
                                       "display_name": "Đơn\x00vị", "password": "mot-mat-khau-dai\x00",
                                       "role": "unit_reporter", "unit": "VHXH"})
    assert made.status_code == 400 and "ký tự không hợp lệ" in made.text
    with web.sessionmaker() as session:
        assert session.scalar(sa.select(Account).where(Account.username == "bao-cao-y")) is None


def test_the_routers_own_answers_are_pages_and_working_redirects(web):
    browser = web.browser()
    typed = browser.get("/dang-xuat")  # sign-out is a button (POST); typed in the address bar it says so
    assert typed.status_code == 405 and "POST" in typed.headers["Allow"]
    assert typed.headers["Content-Type"].startswith("text/html") and "Đăng xuất" in typed.text
    doubled = browser.get("/bao-cao-xa//xem-truoc?nam=2025")
    assert doubled.status_code == 308 and doubled.headers["Location"] == "/bao-cao-xa/xem-truoc?nam=2025"
    assert doubled.headers["Cache-Control"] == "no-store"


def failed_sign_ins(web, forwarded_for: str, times: int) -> requests.Response:
    browser = web.browser()
    browser.http.headers["X-Forwarded-For"] = forwarded_for
    answer = None
    for attempt in range(times):
        answer = browser.sign_in(f"khong-co-{attempt}", "doan-mo-mat-khau")
    assert answer is not None
    return answer


def test_a_written_x_forwarded_for_does_not_escape_the_throttle(web):
    failed_sign_ins(web, "198.51.100.1", ADDRESS_FAILURES_PER_WINDOW)
    assert "từ địa chỉ này" in failed_sign_ins(web, "198.51.100.2", 1).text  # the same connection's address


def test_behind_a_trusted_proxy_each_client_has_its_own_throttle(postgres, tmp_path, plans):
    web = start_web(postgres.create("web"), tmp_path, Clock(), WEB_API_URLS=f"plans={plans.base}",
                    WEB_TRUSTED_PROXIES="1")
    try:
        web.add("can-bo-xa", Role.COMMUNE_OFFICER, commune=COMMUNE)
        # one guesser, behind the proxy (which appends the address it was reached from) ...
        failed_sign_ins(web, "1.2.3.4, 198.51.100.1", ADDRESS_FAILURES_PER_WINDOW)
        # what it writes before the proxy's entry is not believed
        assert "từ địa chỉ này" in failed_sign_ins(web, "9.9.9.9, 198.51.100.1", 1).text
        # ... does not keep another officer out
        other = web.browser()
        other.http.headers["X-Forwarded-For"] = "198.51.100.2"
        assert other.sign_in("can-bo-xa").status_code == 303
        with web.sessionmaker() as session:
            addresses = set(session.scalars(sa.select(AuditRecord.address).where(AuditRecord.action == "signed_in")))
        assert addresses == {"198.51.100.2"}
    finally:
        if web.server is not None:
            web.server.kill()


def test_a_case_code_or_measure_id_with_a_line_break_is_not_a_500(web):
    secret = web.add("chu-tich", Role.COMMUNE_LEADER, commune=COMMUNE)
    browser = web.browser()
    assert browser.sign_in("chu-tich").status_code == 303
    assert browser.post("/dang-nhap/ma-xac-thuc", {"csrf_token": browser.csrf("/dang-nhap/ma-xac-thuc"),
                                                   "code": pyotp.TOTP(secret).at(web.clock())}).status_code == 303
    measure = "0" * 8 + "-0000-0000-0000-" + "0" * 12
    for case_code, measure_id in (("VV-2026-0001\n", measure), ("VV-2026-0001", measure + "\n")):
        answer = browser.post("/cho-quyet-dinh", {"csrf_token": browser.csrf("/dang-nhap"), "case_code": case_code,
                                                  "measure_id": measure_id, "decision": "refused",
                                                  "reason": "Xem xét đơn."})
        assert answer.status_code == 404, (case_code, measure_id, answer.status_code)


def test_an_odd_idempotency_key_is_not_a_header_into_plans(web, plans):
    plan = issue_plan(plans)
    browser = signed_in(web, "bao-cao", Role.UNIT_REPORTER, unit="VHXH")
    form = {"csrf_token": browser.csrf("/bao-cao"), "status-TC-1.1": "done", "summary-TC-1.1": "Xong.",
            "status-TC-1.2": "done", "summary-TC-1.2": "Xong."}
    for key in ("a\r\nX-Injected: 1", "khoá-có-dấu"):
        answer = browser.post("/bao-cao", {**form, "idempotency_key": key})
        assert answer.status_code == 303, (key, answer.status_code)
    assert len(plans.call("GET", f"/v1/plans/{plan}/unit-reports", OFFICER).json()["items"]) == 2


@pytest.mark.parametrize("plan_id", ["a%20" + "b" * 33, "%0A" + "0" * 35, "é" * 36, "x" * 35 + "%3F"])
def test_a_malformed_plan_id_is_not_a_path_into_plans(web, plan_id):
    browser = signed_in(web, "can-bo-xa", Role.COMMUNE_OFFICER)
    for suffix in ("", "/sua", "/ban-hanh"):
        answer = browser.get(f"/ke-hoach/{plan_id}{suffix}")
        assert answer.status_code == 404, (plan_id, suffix, answer.status_code)
    issued = browser.post(f"/ke-hoach/{plan_id}/ban-hanh", {"csrf_token": browser.csrf("/")})
    assert issued.status_code == 404, (plan_id, issued.status_code)


def test_a_commune_code_with_a_line_break_is_not_a_500(postgres, tmp_path, plans, reporting):
    web = web_before(plans, reporting, postgres, tmp_path)
    web.add("so-noi-vu", Role.PROVINCE_OFFICER, province="24")
    browser = web.browser()
    assert browser.sign_in("so-noi-vu").status_code == 303
    for path in (f"/tinh/xa/{COMMUNE}%0A/lan-1.docx", f"/tinh/xa/{COMMUNE}%0A?nam=2026"):
        assert browser.get(path).status_code == 404, path
    accepted = browser.post(f"/tinh/xa/{COMMUNE}%0A?nam=2026", {"csrf_token": browser.csrf("/"),
                                                               "action": "tiep-nhan"})
    assert accepted.status_code == 404


def fake_service(answer_headers: list[tuple[str, str]], body: bytes) -> str:
    """A service answering every request with `body` and these headers (a service gone wrong): its address."""
    def app(environ, start_response):
        start_response("200 OK", answer_headers)
        return [body]
    port = free_port()
    eventlet.spawn(eventlet.wsgi.server, eventlet.listen(("127.0.0.1", port)), app, log_output=False)
    return f"http://127.0.0.1:{port}"


def test_a_downloaded_document_has_the_pages_own_name_and_type_whatever_the_service_said(postgres, tmp_path):
    injected = "attachment; filename*=UTF-8''a%0D%0ASet-Cookie%3A%20x%3D1.html"
    reporting = fake_service([("Content-Type", "text/html; charset=utf-8"), ("Content-Disposition", injected)],
                             b"<script>alert(1)</script>")
    web = start_web(postgres.create("web"), tmp_path, Clock(), WEB_API_URLS=f"reporting={reporting}")
    web.add("so-noi-vu", Role.PROVINCE_OFFICER, province="24")
    browser = web.browser()
    assert browser.sign_in("so-noi-vu").status_code == 303
    for path, name in ((f"/tinh/xa/{COMMUNE}/lan-2.docx?nam=2026", f"bao-cao-{COMMUNE}-2026-lan-2.docx"),
                       ("/tinh/tong-hop.xlsx?nam=2026", "tong-hop-24-2026.xlsx")):
        answer = browser.get(path)
        assert answer.status_code == 200, (path, answer.status_code)
        assert answer.headers["Content-Disposition"] == f'attachment; filename="{name}"'
        assert answer.headers["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.")
        assert answer.headers["X-Content-Type-Options"] == "nosniff" and "Set-Cookie" not in answer.headers


def test_wrong_current_passwords_on_the_change_page_count_toward_the_lock_out(web):
    browser = signed_in(web, "can-bo-xa", Role.COMMUNE_OFFICER)
    form = {"new": "mat-khau-moi-du-dai-2027", "repeated": "mat-khau-moi-du-dai-2027"}
    for _ in range(ACCOUNT_FAILURES_BEFORE_LOCK):
        wrong = browser.post("/doi-mat-khau", {"csrf_token": browser.csrf("/doi-mat-khau"), "current": "doan-sai-1234",
                                               **form})
        assert wrong.status_code == 422
    right = browser.post("/doi-mat-khau", {"csrf_token": browser.csrf("/doi-mat-khau"), "current": PASSWORD, **form})
    assert right.status_code == 422 and "tạm khoá" in right.text
    assert web.browser().sign_in("can-bo-xa").status_code == 401  # the password guessed at is locked everywhere
    with web.sessionmaker() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(AuditRecord).where(
            AuditRecord.action == "locked", AuditRecord.username == "can-bo-xa")) == 1


def test_a_unit_code_no_unit_can_have_is_not_found_without_asking_plans(web, plans):
    issue_plan(plans)
    browser = signed_in(web, "can-bo-xa", Role.COMMUNE_OFFICER)
    for code in ("VHXH%00", "VHXH%0A", "%E2%80%AE", "x" * 65, "a%20b"):
        assert browser.get(f"/don-vi/{code}").status_code == 404, code
        changed = browser.post(f"/don-vi/{code}", {"csrf_token": browser.csrf("/"), "name": "Đổi tên"})
        assert changed.status_code == 404, code
    assert browser.get("/don-vi/VHXH").status_code == 200


def test_a_manager_cannot_reset_their_own_password_or_second_factor(web):
    """A borrowed or stolen session would get the account's password (or a new TOTP secret) without knowing it."""
    web.add("can-bo-xa", Role.COMMUNE_OFFICER, commune=COMMUNE)
    with web.sessionmaker.begin() as session:
        session.scalar(sa.select(Account).where(Account.username == "can-bo-xa")).totp_secret = pyotp.random_base32()
    browser = web.browser()
    assert browser.sign_in("can-bo-xa").status_code == 303
    with web.sessionmaker() as session:
        secret = session.scalar(sa.select(Account.totp_secret).where(Account.username == "can-bo-xa"))
    assert browser.post("/dang-nhap/ma-xac-thuc", {"csrf_token": browser.csrf("/dang-nhap/ma-xac-thuc"),
                                                   "code": pyotp.TOTP(secret).at(web.clock())}).status_code == 303
    for action in ("reset_password", "reset_totp"):
        refused = browser.post("/tai-khoan/can-bo-xa", {"csrf_token": browser.csrf("/tai-khoan"), "action": action})
        assert refused.status_code == 409 and "<code>" not in refused.text, action
    with web.sessionmaker() as session:
        account = session.scalar(sa.select(Account).where(Account.username == "can-bo-xa"))
        assert account.totp_secret == secret and not account.must_change_password
    assert browser.get("/tai-khoan").status_code == 200  # still signed in


def test_the_unit_added_notice_does_not_write_the_addresss_text(web, plans):
    issue_plan(plans)
    browser = signed_in(web, "can-bo-xa", Role.COMMUNE_OFFICER)
    lure = "VHXH. Hệ thống yêu cầu gửi mật khẩu của bạn qua Zalo 0900000000"
    page = browser.get(f"/don-vi?da-them={lure}")
    assert page.status_code == 200 and "Zalo 0900000000" not in page.text
    assert "Đã thêm đơn vị VHXH." in browser.get("/don-vi?da-them=VHXH").text

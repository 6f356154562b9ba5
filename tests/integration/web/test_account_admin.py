"""Managing the commune's accounts over HTTP: a password someone else gave is changed at the first sign-in; an
account is disabled (its sessions end at once) and enabled again; a lost password or phone is reset, the new one
shown once; all of it audited and only for the manager's own people."""
import pyotp
import pytest

from services.common.roles import Role
from tests.integration.web.conftest import COMMUNE, PASSWORD
from tests.integration.web.test_sign_in import audit_actions, change_password

pytestmark = pytest.mark.integration

OTHER_COMMUNE = "07210"


def officer(web):
    web.add("can-bo-xa", Role.COMMUNE_OFFICER, commune=COMMUNE)
    browser = web.browser()
    browser.sign_in("can-bo-xa")
    return browser


def act(browser, username: str, action: str):
    return browser.post(f"/tai-khoan/{username}", {"csrf_token": browser.csrf("/tai-khoan"), "action": action})


def handed_secret(text: str, before: str) -> str:
    """The value shown once in <code> after `before`."""
    return text.split(before, 1)[1].split("<code>", 1)[1].split("</code>", 1)[0]


def test_a_new_account_changes_the_password_its_manager_gave_before_anything_else(web):
    manager = officer(web)
    made = manager.post("/tai-khoan", {"csrf_token": manager.csrf("/tai-khoan"), "username": "bao-cao-tyt",
                                       "display_name": "Trạm y tế", "password": "mat-khau-can-bo-dat",
                                       "role": "unit_reporter", "unit": "TYT"})
    assert made.status_code == 200 and "Chờ người dùng đổi mật khẩu" in made.text
    person = web.browser()
    person.sign_in("bao-cao-tyt", "mat-khau-can-bo-dat")
    for path in ("/", "/bao-cao"):
        sent_on = person.get(path)
        assert sent_on.status_code == 303 and sent_on.headers["Location"].endswith("/doi-mat-khau")
    wrong = change_password(person, "khong-dung-mat-khau", "mat-khau-rieng-cua-toi")
    assert wrong.status_code == 422 and 'id="loi-current"' in wrong.text
    short = change_password(person, "mat-khau-can-bo-dat", "ngan")
    assert short.status_code == 422 and 'id="loi-new"' in short.text
    typo = change_password(person, "mat-khau-can-bo-dat", "mat-khau-rieng-cua-toi", "mat-khau-rieng-cua-to")
    assert typo.status_code == 422 and 'id="loi-repeated"' in typo.text
    assert person.get("/").status_code == 303  # nothing changed yet
    assert change_password(person, "mat-khau-can-bo-dat", "mat-khau-rieng-cua-toi").status_code == 303
    assert person.get("/").status_code == 200
    again = web.browser()
    assert again.sign_in("bao-cao-tyt", "mat-khau-can-bo-dat").status_code == 401
    assert again.sign_in("bao-cao-tyt", "mat-khau-rieng-cua-toi").status_code == 303
    assert audit_actions(web, "bao-cao-tyt") == ["account_created", "signed_in", "password_change_failed",
                                                  "password_changed", "sign_in_failed", "signed_in"]


def test_a_disabled_account_is_signed_out_at_once_and_refused_like_an_unknown_one(web):
    web.add("bao-cao-vhxh", Role.UNIT_REPORTER, commune=COMMUNE, unit="VHXH")
    manager = officer(web)
    person = web.browser()
    person.sign_in("bao-cao-vhxh")
    assert person.get("/").status_code == 200
    disabled = act(manager, "bao-cao-vhxh", "disable")
    assert disabled.status_code == 200 and "Đã khoá" in disabled.text
    assert person.get("/").status_code == 303  # the session ended with the account
    refused = web.browser().sign_in("bao-cao-vhxh")
    assert refused.status_code == 401 and "Tên đăng nhập hoặc mật khẩu không đúng" in refused.text
    assert act(manager, "bao-cao-vhxh", "enable").status_code == 200
    assert web.browser().sign_in("bao-cao-vhxh").status_code == 303
    assert act(manager, "can-bo-xa", "disable").status_code == 409  # not oneself
    assert audit_actions(web, "bao-cao-vhxh")[-3:] == ["account_disabled", "account_enabled", "signed_in"]


def test_a_reset_password_and_a_reset_second_factor_are_shown_once_and_end_the_old_ones(web):
    old_secret = web.add("vu-viec", Role.CASE_WORKER, commune=COMMUNE)
    manager = officer(web)
    reset = act(manager, "vu-viec", "reset_password")
    assert reset.status_code == 200
    password = handed_secret(reset.text, "Mật khẩu tạm thời")
    assert password not in manager.get("/tai-khoan").text  # once
    assert web.browser().sign_in("vu-viec").status_code == 401  # the old password no longer opens it
    reset = act(manager, "vu-viec", "reset_totp")
    secret = handed_secret(reset.text, "Khoá xác thực hai lớp mới")
    assert secret != old_secret
    person = web.browser()
    assert person.sign_in("vu-viec", password).headers["Location"].endswith("/dang-nhap/ma-xac-thuc")
    stale = person.post("/dang-nhap/ma-xac-thuc", {"csrf_token": person.csrf("/dang-nhap/ma-xac-thuc"),
                                                   "code": pyotp.TOTP(old_secret).at(web.clock())})
    assert stale.status_code == 401
    assert person.post("/dang-nhap/ma-xac-thuc", {"csrf_token": person.csrf("/dang-nhap/ma-xac-thuc"),
                                                  "code": pyotp.TOTP(secret).at(web.clock())}).status_code == 303
    assert person.get("/").headers["Location"].endswith("/doi-mat-khau")
    assert "password_reset" in audit_actions(web, "vu-viec")
    assert "second_factor_reset" in audit_actions(web, "vu-viec")


def test_only_the_managers_own_people_and_only_with_the_forms_token(web):
    web.add("bao-cao-vhxh", Role.UNIT_REPORTER, commune=COMMUNE, unit="VHXH")
    web.add("can-bo-xa-khac", Role.COMMUNE_OFFICER, commune=OTHER_COMMUNE)
    other = web.browser()
    other.sign_in("can-bo-xa-khac")
    assert act(other, "bao-cao-vhxh", "disable").status_code == 404
    reporter = web.browser()
    reporter.sign_in("bao-cao-vhxh")
    assert reporter.post("/tai-khoan/bao-cao-vhxh", {"csrf_token": reporter.csrf("/"),
                                                     "action": "reset_password"}).status_code == 404
    manager = officer(web)
    forged = manager.post("/tai-khoan/bao-cao-vhxh", {"csrf_token": "doan", "action": "disable"})
    assert forged.status_code == 403
    assert act(manager, "bao-cao-vhxh", "delete_everything").status_code == 404
    assert web.browser().sign_in("bao-cao-vhxh", PASSWORD).status_code == 303  # nothing changed

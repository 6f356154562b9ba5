"""Signing in (password, then a TOTP code where the role or the account asks for one) and out."""
from __future__ import annotations

from werkzeug.utils import redirect
from werkzeug.wrappers import Response

from services.web import accounts, metrics
from services.web.models import Account
from services.web.page import NavLink, Page, Route

OUTCOMES = {accounts.TOO_MANY_FROM_ADDRESS: "throttled"}


def count(outcome: str) -> None:
    metrics.SIGN_INS.labels(outcome).inc()


def refused(reason: accounts.SignInRefused) -> None:
    count("locked" if isinstance(reason, accounts.AccountLocked) else OUTCOMES.get(str(reason), "refused"))


def sign_in(page: Page) -> Response:
    if page.request.method == "GET":
        page.ensure_session()
        return page.render("sign_in.html", title="Đăng nhập", username="")
    username = page.request.form.get("username", "").strip()[:64]
    password = page.request.form.get("password", "")
    try:
        account = accounts.check_password(page.db, username, password, page.address, page.now)
    except accounts.SignInRefused as reason:
        refused(reason)
        page.rotate(None)  # a fresh anonymous session and CSRF token for the next try
        return page.render("sign_in.html", status=401, title="Đăng nhập", error=str(reason), username=username)
    if accounts.needs_second_factor(account):
        count("second_factor_asked")
        page.rotate(account, second_factor_pending=True)
        return redirect("/dang-nhap/ma-xac-thuc", 303)
    count("signed_in")
    page.rotate(account)
    return redirect("/", 303)


def second_factor(page: Page) -> Response:
    row = page.row
    if row is None or row.account_id is None or not row.second_factor_pending:
        return redirect("/dang-nhap", 303)
    account = page.db.get(Account, row.account_id)
    assert account is not None
    if page.request.method == "GET":
        return page.render("second_factor.html", title="Xác thực hai lớp")
    try:
        accounts.check_code(page.db, account, page.request.form.get("code", "")[:16], page.address, page.now)
    except accounts.SignInRefused as reason:
        refused(reason)
        if isinstance(reason, accounts.AccountLocked):
            page.rotate(None)
            return page.render("sign_in.html", status=401, title="Đăng nhập", error=str(reason), username="")
        return page.render("second_factor.html", status=401, title="Xác thực hai lớp", error=str(reason))
    count("signed_in")
    page.rotate(account)
    return redirect("/", 303)


def sign_out(page: Page) -> Response:
    if page.row is not None:
        account = page.account
        if account is not None:
            accounts.audit(page.db, page.now, "signed_out", account.username, page.address)
        page.db.delete(page.row)
    page.clear_cookie = True
    return redirect("/dang-nhap", 303)


ROUTES = [
    Route("/dang-nhap", sign_in, ("GET", "POST")),
    Route("/dang-nhap/ma-xac-thuc", second_factor, ("GET", "POST")),
    Route("/dang-xuat", sign_out, ("POST",)),
]
NAV: list[NavLink] = []

"""Changing one's own password; the page a person is sent to after signing in with a password someone else gave
(a new account, a reset)."""
from __future__ import annotations

from werkzeug.utils import redirect
from werkzeug.wrappers import Response

from services.common.roles import Role
from services.web import accounts
from services.web.page import NavLink, Page, Route

PATH = "/doi-mat-khau"
FIELDS = (("current", "Mật khẩu hiện tại", "current-password"),
          ("new", f"Mật khẩu mới (ít nhất {accounts.MIN_PASSWORD_LENGTH} ký tự)", "new-password"),
          ("repeated", "Nhập lại mật khẩu mới", "new-password"))


def change_password(page: Page) -> Response:
    account = page.require(Role)
    if isinstance(account, Response):
        return account
    errors: dict[str, str] = {}
    status = 200
    if page.request.method == "POST":
        form = {name: page.request.form.get(name, "")[:1024] for name, _, _ in FIELDS}
        try:
            accounts.change_password(page.db, account, form["current"], form["new"], form["repeated"], page.row,
                                     page.address, page.now)
            return redirect(f"{PATH}?da-doi=1", 303)
        except accounts.AccountRefused as refused:
            errors[refused.field] = refused.problem
            status = 422
    notice = "Đã đổi mật khẩu." if page.request.args.get("da-doi") else None
    return page.render("own_password.html", status=status, title="Đổi mật khẩu", fields=FIELDS, errors=errors,
                       notice=notice, must_change=account.must_change_password)


ROUTES = [Route(PATH, change_password, ("GET", "POST"))]
NAV: list[NavLink] = []  # linked from the header, beside the person's name

"""Accounts: a commune officer makes them for the commune's own people, an operator for province staff."""
from __future__ import annotations

from werkzeug.wrappers import Response

from services.common.roles import Role
from services.web import accounts
from services.web.page import NavLink, Page, Route
from services.web.roles import ROLE_NAMES

ACCOUNT_FIELDS = [("username", "Tên đăng nhập", "text"), ("display_name", "Họ tên", "text"),
                  ("password", "Mật khẩu ban đầu (ít nhất 12 ký tự)", "password"), ("role", "Vai trò", "role"),
                  ("unit", "Mã đơn vị (người báo cáo)", "text"), ("province", "Mã tỉnh (cán bộ Sở Nội vụ)", "text")]
MANAGERS = frozenset(accounts.MANAGED_ROLES)


def account_list(page: Page) -> Response:
    manager = page.require(MANAGERS)
    if isinstance(manager, Response):
        return manager
    roles = sorted(role.value for role in accounts.may_manage(manager))
    form = {name: page.request.form.get(name, "").strip() for name, _, _ in ACCOUNT_FIELDS}
    errors: dict[str, str] = {}
    created = None
    status = 200
    if page.request.method == "POST":
        role = form["role"] if form["role"] in roles else ""
        try:
            if not role:
                raise accounts.AccountRefused("role", "Vui lòng chọn một vai trò trong danh sách.")
            created = accounts.create_account(page.db, manager, accounts.NewAccount(
                username=form["username"], display_name=form["display_name"],
                password=page.request.form.get("password", ""), role=Role(role), unit=form["unit"] or None,
                province=form["province"] or None), page.now)
            form = {}
        except accounts.AccountRefused as refused:
            errors[refused.field] = refused.problem
            status = 422
    return page.render("accounts.html", status=status, title="Tài khoản",
                       accounts=accounts.managed_accounts(page.db, manager), roles=roles, role_names=ROLE_NAMES,
                       fields=ACCOUNT_FIELDS, form=form, errors=errors, created=created)


ROUTES = [Route("/tai-khoan", account_list, ("GET", "POST"))]
NAV = [NavLink("/tai-khoan", "Tài khoản", MANAGERS)]

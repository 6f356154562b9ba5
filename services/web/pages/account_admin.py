"""Accounts: a commune officer makes them for the commune's own people, an operator for province staff."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from werkzeug.wrappers import Response

from services.common.roles import Role
from services.web import accounts
from services.web.models import Account
from services.web.page import NavLink, Page, Route
from services.web.roles import ROLE_NAMES

ACCOUNT_FIELDS = [("username", "Tên đăng nhập", "text"), ("display_name", "Họ tên", "text"),
                  ("password", "Mật khẩu ban đầu (ít nhất 12 ký tự)", "password"), ("role", "Vai trò", "role"),
                  ("unit", "Mã đơn vị (người báo cáo)", "text"), ("province", "Mã tỉnh (cán bộ Sở Nội vụ)", "text")]
MANAGERS = frozenset(accounts.MANAGED_ROLES)
ACTIONS = {"disable": "Đã khoá tài khoản", "enable": "Đã mở khoá tài khoản",
           "reset_password": "Đã đặt lại mật khẩu", "reset_totp": "Đã đặt lại khoá xác thực hai lớp"}


def account_list(page: Page) -> Response:
    manager = page.require(MANAGERS)
    if isinstance(manager, Response):
        return manager
    roles = {role.value for role in accounts.may_manage(manager)}
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
    return render_list(page, manager, status=status, form=form, errors=errors, created=created)


def render_list(page: Page, manager: Account, status: int = 200, **context) -> Response:
    context.setdefault("form", {})
    context.setdefault("errors", {})
    return page.render("accounts.html", status=status, title="Tài khoản",
                       accounts=[AccountRow.of(account, page.now)
                                 for account in accounts.managed_accounts(page.db, manager)],
                       role_options=[(role, ROLE_NAMES[role])
                                     for role in sorted(role.value for role in accounts.may_manage(manager))],
                       role_names=ROLE_NAMES,
                       fields=ACCOUNT_FIELDS, **context)


def account_action(page: Page, username: str) -> Response:
    """Disable, enable, reset the password or the second factor of an account the manager manages; a new password
    or TOTP secret is shown once, to be handed to the person."""
    manager = page.require(MANAGERS)
    if isinstance(manager, Response):
        return manager
    account = accounts.managed_account(page.db, manager, username)
    action = page.request.form.get("action", "")
    if account is None or action not in ACTIONS:
        return page.not_found()
    handed: dict[str, str] = {}
    try:
        if action in ("disable", "enable"):
            accounts.set_disabled(page.db, manager, account, action == "disable", page.now)
        elif action == "reset_password":
            handed["password"] = accounts.reset_password(page.db, manager, account, page.now)
        else:
            handed["totp_secret"] = accounts.reset_second_factor(page.db, manager, account, page.now)
    except accounts.AccountRefused as refused:
        return render_list(page, manager, status=409, service_error=refused.problem)
    return render_list(page, manager, changed=account.username, action_done=ACTIONS[action], handed=handed)


@dataclass(frozen=True)
class AccountRow:
    username: str
    display_name: str
    role: str
    place: str  # the unit or the province
    state: str  # in Vietnamese
    disabled: bool
    second_factor: bool

    @classmethod
    def of(cls, account: Account, now: dt.datetime) -> AccountRow:
        if account.disabled_at is not None:
            state = "Đã khoá"
        elif account.locked_until is not None and account.locked_until > now:
            state = "Tạm khoá do nhập sai nhiều lần"
        elif account.must_change_password:
            state = "Chờ người dùng đổi mật khẩu"
        else:
            state = "Đang dùng"
        return cls(account.username, account.display_name, account.role, account.unit or account.province or "",
                   state, account.disabled_at is not None, accounts.needs_second_factor(account))


ROUTES = [Route("/tai-khoan", account_list, ("GET", "POST")),
          Route("/tai-khoan/<username>", account_action, ("POST",))]
NAV = [NavLink("/tai-khoan", "Tài khoản", MANAGERS)]

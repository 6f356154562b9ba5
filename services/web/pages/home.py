"""The page after signing in: who the person is, and the commune's plans for those who read them."""
from __future__ import annotations

from werkzeug.wrappers import Response

from services.common.roles import Role
from services.web.page import NavLink, Page, Route
from services.web.roles import ROLE_NAMES

PLAN_READERS = {Role.UNIT_REPORTER, Role.COMMUNE_OFFICER, Role.CASE_WORKER, Role.COMMUNE_LEADER, Role.PROVINCE_OFFICER}


def home(page: Page) -> Response:
    account = page.require(Role)
    if isinstance(account, Response):
        return account
    plans, unavailable = None, False
    if Role(account.role) in PLAN_READERS:
        status, body = page.get("plans", "/v1/plans")
        if status == 200 and isinstance(body, dict):
            plans = body["items"]
        else:
            unavailable = True
    return page.render("home.html", title="Trang chính", role_name=ROLE_NAMES[account.role], plans=plans,
                       plans_unavailable=unavailable)


ROUTES = [Route("/", home)]
NAV = [NavLink("/", "Trang chính", frozenset(Role))]

"""The commune officer's list of the notifications sent in the commune, with each channel's delivery; the
failed ones stand out (and can be listed alone)."""
from __future__ import annotations

from werkzeug.wrappers import Response

from services.common.roles import Role
from services.web import notifications_sent
from services.web.page import NavLink, Page, Route

OFFICERS = frozenset({Role.COMMUNE_OFFICER})


def sent_notifications(page: Page) -> Response:
    account = page.require(OFFICERS)
    if isinstance(account, Response):
        return account
    got, answer = page.get("notifications", "/v1/notifications")
    if got != 200:
        return page.unavailable()
    failed_only = page.request.args.get("loi") == "1"
    listing = notifications_sent.listing(answer["items"], notifications_sent.page_number(
        page.request.args.get("trang", "")), failed_only)
    return page.render("notifications_sent.html", title="Thông báo đã gửi", listing=listing,
                       failed_only=failed_only, query="loi=1&" if failed_only else "")


ROUTES = [Route("/thong-bao-da-gui", sent_notifications)]
NAV = [NavLink("/thong-bao-da-gui", "Thông báo đã gửi", OFFICERS)]

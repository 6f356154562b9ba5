"""The inbox: the signed-in person's in-app notifications (notifications' GET /v1/inbox), unread first, each
marked read with a button."""
from __future__ import annotations

from werkzeug.utils import redirect
from werkzeug.wrappers import Response

from services.common.roles import COMMUNE_ROLES, Role
from services.web import inbox as inbox_rows
from services.web.page import NavLink, Page, Route, failed_status, service_message

# notifications' rule for /v1/inbox: the commune's people and the province's officers
INBOX_ROLES = frozenset(COMMUNE_ROLES | {Role.PROVINCE_OFFICER})


def inbox(page: Page) -> Response:
    account = page.require(INBOX_ROLES)
    if isinstance(account, Response):
        return account
    status, service_error = 200, None
    if page.request.method == "POST":
        notification_id = page.request.form.get("notification_id", "")
        if len(notification_id) != 36:
            return page.not_found()
        marked, answer = page.call("POST", "notifications", f"/v1/inbox/{notification_id}/read")
        if marked == 200:
            return redirect("/hop-thu", 303)
        if marked == 404:
            return page.not_found()
        status = failed_status(marked)
        service_error = service_message(answer, "Không đánh dấu được thông báo. Vui lòng thử lại sau.")
    got, listed = page.get("notifications", "/v1/inbox")
    if got != 200:
        return page.unavailable()
    return page.render("inbox.html", status=status, title="Hộp thư", items=inbox_rows.rows(listed["items"]),
                       unread=listed["unread"], service_error=service_error)


ROUTES = [Route("/hop-thu", inbox, ("GET", "POST"))]
NAV = [NavLink("/hop-thu", "Hộp thư", INBOX_ROLES)]

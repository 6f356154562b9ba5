"""The commune officer's board: who has reported, late, missing, returned; return a report with a reason."""
from __future__ import annotations

from werkzeug.utils import redirect
from werkzeug.wrappers import Response

from services.common.roles import Role
from services.web import completeness
from services.web.numbers import whole_number
from services.web.page import NavLink, Page, Route, failed_status, service_message

OFFICERS = frozenset({Role.COMMUNE_OFFICER})


def year_of(page: Page) -> int:
    """The year asked for in `?nam=`, or this year."""
    year = whole_number(page.request.args.get("nam", ""), 2000, 2100)
    return page.now.year if year is None else year


def completeness_board(page: Page) -> Response:
    account = page.require(OFFICERS)
    if isinstance(account, Response):
        return account
    year = year_of(page)
    errors: dict[str, str] = {}
    service_error = None
    status_code = 200
    if page.request.method == "POST":
        report_id = page.request.form.get("report_id", "")
        if not completeness.REPORT_ID.fullmatch(report_id):
            return page.not_found()
        reason = page.request.form.get("reason", "").strip()
        if not reason:
            errors[report_id] = "Vui lòng ghi lý do trả lại."
            status_code = 422
        else:
            sent, answer = page.call("POST", "plans", f"/v1/unit-reports/{report_id}/return", {"reason": reason})
            if sent == 200:
                return redirect(f"/so-theo-doi?nam={year}", 303)
            status_code = failed_status(sent)
            service_error = service_message(answer, "Không trả lại được báo cáo. Vui lòng thử lại sau.")
    got, status = page.get("reporting", f"/v1/communes/{account.commune}/years/{year}/status")
    if got != 200:
        return page.unavailable()
    reports: list[dict] = []
    if status["plan_id"] is not None:
        got, listed = page.get("plans", f"/v1/plans/{status['plan_id']}/unit-reports")
        if got != 200:
            return page.unavailable()
        reports = listed["items"]
    return page.render("completeness.html", status=status_code, title="Sổ theo dõi báo cáo", year=year,
                       year_status=status, rows=completeness.rows(status, reports), errors=errors,
                       service_error=service_error)


ROUTES = [Route("/so-theo-doi", completeness_board, ("GET", "POST"))]
NAV = [NavLink("/so-theo-doi", "Sổ theo dõi báo cáo", OFFICERS)]

"""The commune chairman's work: what awaits a decision (urgent cases, no-contact orders and their decision, the
commune report), and the report's approval and submission to Sở Nội vụ."""
from __future__ import annotations

from typing import Any
from urllib.parse import quote

from werkzeug.utils import redirect
from werkzeug.wrappers import Response

from services.common.roles import Role
from services.web import decisions
from services.web.page import NavLink, Page, Route, failed_status, service_message
from services.web.pages.completeness_board import year_of

LEADERS = frozenset({Role.COMMUNE_LEADER})
DONE_NOTICES = {"quyet-dinh": "Đã ghi quyết định cấm tiếp xúc.", "phe-duyet": "Đã phê duyệt báo cáo của xã.",
                "gui": "Đã gửi báo cáo đến Sở Nội vụ."}


def _report(page: Page, commune: str | None, year: int) -> tuple[int, decisions.ReportSummary | None]:
    """(status, the report's summary); 404 when no plan of the year was issued (no report yet)."""
    got, report = page.get("reporting", f"/v1/communes/{commune}/years/{year}/report")
    return got, decisions.report_summary(report) if got == 200 else None


def _refused_fields(answer: Any) -> list[str]:
    """The fields a service's refusal names."""
    error = answer.get("error") if isinstance(answer, dict) else None
    fields = error.get("fields") if isinstance(error, dict) else None
    return [f["field"] for f in fields or [] if isinstance(f, dict) and isinstance(f.get("field"), str)]


def awaiting_decision(page: Page) -> Response:
    account = page.require(LEADERS)
    if isinstance(account, Response):
        return account
    year = year_of(page)
    status_code, service_error, posted = 200, None, None
    errors: dict[str, str] = {}
    form: dict[str, str] = {}
    if page.request.method == "POST":
        case_code, measure_id = page.request.form.get("case_code", ""), page.request.form.get("measure_id", "")
        if not (decisions.CASE_CODE.fullmatch(case_code) and decisions.MEASURE_ID.fullmatch(measure_id)):
            return page.not_found()
        posted, form = measure_id, page.request.form.to_dict()
        body, reason, errors = decisions.decision_form(form)
        if errors:
            status_code = 422
        else:
            sent, answer = page.call("PATCH", "cases", f"/v1/cases/{case_code}/measures/{measure_id}", body,
                                     headers={"X-Access-Reason": quote(reason, safe="")})
            if sent == 200:
                return redirect(f"/cho-quyet-dinh?nam={year}&xong=quyet-dinh", 303)
            if sent == 503:
                return page.unavailable()
            status_code = failed_status(sent)
            message = service_message(answer, "Không ghi được quyết định. Vui lòng thử lại sau.")
            for name in _refused_fields(answer):
                if name in ("starts_at", "ends_at", "decision"):
                    errors[name] = message
            if not errors:
                service_error = message
    got, waiting = page.get("cases", f"/v1/communes/{account.commune}/awaiting-decision")
    if got != 200:
        return page.unavailable()
    got_report, report = _report(page, account.commune, year)
    if got_report not in (200, 404):
        return page.unavailable()
    orders = decisions.order_rows(waiting)
    posted_shown = any(order.measure_id == posted for order in orders)
    return page.render("awaiting_decision.html", status=status_code, title="Việc chờ quyết định", year=year,
                       cases=decisions.case_rows(waiting), orders=orders, posted_shown=posted_shown, report=report,
                       decision_options=decisions.DECISIONS, posted=posted, errors=errors, form=form,
                       service_error=service_error, notice=DONE_NOTICES.get(page.request.args.get("xong", "")))


def report_approval(page: Page) -> Response:
    account = page.require(LEADERS)
    if isinstance(account, Response):
        return account
    year = year_of(page)
    path = f"/v1/communes/{account.commune}/years/{year}/report"
    status_code, service_error = 200, None
    errors: dict[str, str] = {}
    form: dict[str, str] = {}
    if page.request.method == "POST":
        sent, answer = 0, None
        form = page.request.form.to_dict()
        action = form.get("action")
        if action == "approve":
            if not form.get("confirm"):
                errors["confirm"] = "Vui lòng xác nhận đã xem nội dung báo cáo trước khi phê duyệt."
            else:
                sent, answer = page.call("POST", "reporting", path + "/approval")
        elif action == "submit":
            body, errors = decisions.submission_form(form)
            if not errors:
                sent, answer = page.call("POST", "reporting", path + "/submission", body)
        else:
            return page.not_found()
        if errors:
            status_code = 422
        elif sent == 201:
            return redirect(f"/bao-cao-xa/phe-duyet?nam={year}&xong={'phe-duyet' if action == 'approve' else 'gui'}",
                            303)
        elif sent == 503:
            return page.unavailable()
        else:
            status_code = failed_status(sent)
            service_error = service_message(answer, "Báo cáo chưa được xử lý. Vui lòng thử lại sau.")
    got, report = _report(page, account.commune, year)
    if got not in (200, 404):
        return page.unavailable()
    return page.render("report_approval.html", status=status_code, title="Phê duyệt báo cáo của xã", year=year,
                       report=report, errors=errors, form=form, service_error=service_error,
                       notice=DONE_NOTICES.get(page.request.args.get("xong", "")))


ROUTES = [Route("/cho-quyet-dinh", awaiting_decision, ("GET", "POST")),
          Route("/bao-cao-xa/phe-duyet", report_approval, ("GET", "POST"))]
NAV = [NavLink("/cho-quyet-dinh", "Chờ quyết định", LEADERS)]

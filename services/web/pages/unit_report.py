"""The unit reporter's page: the tasks and indicators the plan gives the unit, the report form (filled with a
returned report to revise it), and the unit's reports so far."""
from __future__ import annotations

import re
import secrets

from werkzeug.utils import redirect
from werkzeug.wrappers import Response

from services.common.roles import Role
from services.web import unit_report_form
from services.web.page import NavLink, Page, Route, failed_status, service_message

REPORTERS = frozenset({Role.UNIT_REPORTER})
IDEMPOTENCY_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")


def unit_report(page: Page) -> Response:
    account = page.require(REPORTERS)
    if isinstance(account, Response):
        return account
    if account.unit is None:
        return page.not_found()
    status, plans = page.get("plans", "/v1/plans?status=issued")
    if status != 200:
        return page.unavailable()
    latest = unit_report_form.latest_issued(plans["items"])
    if latest is None:
        return page.render("unit_report.html", title="Báo cáo của đơn vị", form=None)
    plan_status, plan = page.get("plans", f"/v1/plans/{latest['id']}")
    catalogue_status, catalogue = page.get("plans", "/v1/indicators")
    history_status, history = page.get("plans", f"/v1/plans/{latest['id']}/unit-reports")
    if 200 != plan_status or 200 != catalogue_status or 200 != history_status:
        return page.unavailable()
    reports = sorted(history["items"], key=lambda report: report["revision"], reverse=True)
    form = unit_report_form.ReportForm(plan, unit_report_form.tasks_of(plan, account.unit),
                                       unit_report_form.indicators_of(plan, account.unit, catalogue["items"]))
    returned = reports[0] if reports and reports[0]["status"] == "returned" else None
    form.values = unit_report_form.values_of(reports[0] if reports else None)
    status, service_error, notice = 200, None, None
    if page.request.method == "POST":
        body = unit_report_form.body_of(form, page.request.form.to_dict())
        if body is None:
            status = 422
        else:
            # the form's key: a second click on "Gửi" (or a reload of the POST) makes no second report
            # it goes into a header of plans' call: only what this page made (token_urlsafe), else a new one
            key = page.request.form.get("idempotency_key", "")
            key = key if IDEMPOTENCY_KEY.fullmatch(key) else secrets.token_urlsafe(16)
            sent, answer = page.call("POST", "plans", f"/v1/plans/{plan['id']}/unit-reports", body,
                                     headers={"Idempotency-Key": key})
            if sent in (200, 201):
                return redirect("/bao-cao?da-gui=1", 303)
            status = failed_status(sent)
            service_error = service_message(answer, "Không gửi được báo cáo. Vui lòng thử lại sau.")
    elif page.request.args.get("da-gui"):
        notice = "Đã gửi báo cáo."
        returned = None
    return page.render("unit_report.html", status=status, title="Báo cáo của đơn vị", form=form,
                       deadline=plan["report_deadline"], returned=returned, history=reports,
                       service_error=service_error, notice=notice, idempotency_key=secrets.token_urlsafe(16),
                       task_statuses=unit_report_form.TASK_STATUSES, report_statuses=unit_report_form.REPORT_STATUSES)


ROUTES = [Route("/bao-cao", unit_report, ("GET", "POST"))]
NAV = [NavLink("/bao-cao", "Báo cáo của đơn vị", REPORTERS)]

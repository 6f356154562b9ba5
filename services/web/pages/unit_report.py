"""The unit reporter's page: the tasks and indicators the plan gives the unit (with their deadline), the report
form (filled with a returned report to revise it) with a file to attach, the current report's attachments (to
download, or add to), and the unit's reports so far."""
from __future__ import annotations

import re
import unicodedata
from typing import Any
from urllib.parse import quote

from werkzeug.datastructures import FileStorage
from werkzeug.utils import redirect
from werkzeug.wrappers import Response

from services.common.clock import local_date
from services.common.roles import Role
from services.web import idempotency, unit_report_form
from services.web.page import NavLink, Page, Route, failed_status, service_message

REPORTERS = frozenset({Role.UNIT_REPORTER})
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
UPLOAD_FAILED = "Không đính kèm được tệp. Vui lòng thử lại sau."
# Read a little past plans' limit (10 MB): plans refuses what is larger, with its message.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024 + 1


def _chosen_file(page: Page) -> FileStorage | None:
    upload = page.request.files.get("file")
    return upload if upload is not None and upload.filename else None


def _attach(page: Page, report_id: str, upload: FileStorage) -> tuple[int, str] | None:
    """Send the chosen file to plans for the report; None when attached, else (the page's status, the message
    for the file field)."""
    # the name goes into the multipart header of plans' call: no quote, backslash or line break in it
    filename = re.sub(r'["\\\r\n\x00]', "_", upload.filename or "")
    sent, answer = page.upload("plans", f"/v1/unit-reports/{report_id}/attachments", filename,
                               upload.stream.read(MAX_UPLOAD_BYTES), {})
    if sent == 201:
        return None
    return failed_status(sent), service_message(answer, UPLOAD_FAILED)


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
    attach_errors: dict[str, str] = {}
    if page.request.method == "POST" and page.request.form.get("action") == "attach":
        current = reports[0] if reports and reports[0]["status"] == "current" else None
        upload = _chosen_file(page)
        if current is None:
            return page.not_found()
        if upload is None:
            attach_errors["file"], status = "Vui lòng chọn một tệp để đính kèm.", 422
        elif (refused := _attach(page, current["id"], upload)) is not None:
            status, attach_errors["file"] = refused
        else:
            return redirect("/bao-cao?da-dinh-kem=1", 303)
    elif page.request.method == "POST":
        body = unit_report_form.body_of(form, page.request.form.to_dict())
        if body is None:
            status = 422
        else:
            # the form's key: a second click on "Gửi" (or a reload of the POST) makes no second report
            # it goes into a header of plans' call: only what this page made (token_urlsafe), else a new one
            key = idempotency.key_of(page.request.form)
            sent, answer = page.call("POST", "plans", f"/v1/plans/{plan['id']}/unit-reports", body,
                                     headers={"Idempotency-Key": key})
            upload = _chosen_file(page)
            if sent in (200, 201) and upload is not None:
                refused = _attach(page, answer["id"], upload)
                if refused is not None:
                    # the report went; the file did not: say so next to the file field, keep what was written
                    status, form.errors["file"] = refused
                    notice = "Đã gửi báo cáo, nhưng tệp đính kèm chưa được nhận."
                    return _render(page, form, plan, _reports_after(page, plan, reports), status, None, notice,
                                   None, attach_errors)
            if sent in (200, 201):
                return redirect("/bao-cao?da-gui=1", 303)
            status = failed_status(sent)
            service_error = service_message(answer, "Không gửi được báo cáo. Vui lòng thử lại sau.")
    elif page.request.args.get("da-gui"):
        notice = "Đã gửi báo cáo."
        returned = None
    elif page.request.args.get("da-dinh-kem"):
        notice = "Đã đính kèm tệp vào báo cáo."
    return _render(page, form, plan, reports, status, service_error, notice, returned, attach_errors)


def _reports_after(page: Page, plan: dict[str, Any], reports: list[dict]) -> list[dict]:
    """The unit's reports again, after one was sent (the old list if plans does not answer now)."""
    got, history = page.get("plans", f"/v1/plans/{plan['id']}/unit-reports")
    if got != 200:
        return reports
    return sorted(history["items"], key=lambda report: report["revision"], reverse=True)


def _render(page: Page, form: unit_report_form.ReportForm, plan: dict[str, Any], reports: list[dict], status: int,
            service_error: str | None, notice: str | None, returned: dict | None,
            attach_errors: dict[str, str]) -> Response:
    current = reports[0] if reports and reports[0]["status"] == "current" else None
    return page.render("unit_report.html", status=status, title="Báo cáo của đơn vị", form=form,
                       deadline=plan["report_deadline"],
                       task_deadline=unit_report_form.deadline_note(plan["report_deadline"], local_date(page.now)),
                       returned=returned, history=reports, current=current, attach_errors=attach_errors,
                       size_text=unit_report_form.size_text, service_error=service_error, notice=notice,
                       idempotency_key=idempotency.new_key(), task_statuses=unit_report_form.TASK_STATUSES,
                       report_statuses=unit_report_form.REPORT_STATUSES)


def attachment(page: Page, report_id: str, attachment_id: str) -> Response:
    """A file of one of the unit's reports, through plans (which answers 404 for another unit's)."""
    account = page.require(REPORTERS)
    if isinstance(account, Response):
        return account
    if not (UUID.fullmatch(report_id) and UUID.fullmatch(attachment_id)):
        return page.not_found()
    got = page.download(
        "plans", f"/v1/unit-reports/{quote(report_id, safe='')}/attachments/{quote(attachment_id, safe='')}")
    if got.status in (403, 404, 422):
        return page.not_found()
    if got.status != 200:
        return page.unavailable()
    response = Response(got.content, status=200, content_type=got.media_type or "application/octet-stream")
    response.headers["Content-Disposition"] = download_disposition(got.filename or "")
    return response


def download_disposition(filename: str) -> str:
    """Always a download (RFC 6266): the name in UTF-8 and an ASCII fallback for old browsers."""
    name = filename or "tep-dinh-kem"
    fallback = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D")).encode("ascii", "ignore")
    ascii_name = "".join(c for c in fallback.decode() if c.isalnum() or c in "._- ") or "tep-dinh-kem"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


ROUTES = [Route("/bao-cao", unit_report, ("GET", "POST")),
          Route("/bao-cao/<string(length=36):report_id>/tep/<string(length=36):attachment_id>", attachment)]
NAV = [NavLink("/bao-cao", "Báo cáo của đơn vị", REPORTERS)]

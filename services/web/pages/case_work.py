"""The case worker's pages: the commune's cases by urgency (`/vu-viec`), the intake form (`/vu-viec/moi`) and a case
(`/vu-viec/<case_code>`), which opens only after the worker has said why (the reason goes to the cases service with
every read, and its audit log keeps it).

Victims' data appears on the case page only: never in a URL (forms are POSTed, redirects carry only the case's
pseudonymous code), in a page title (the case code at most), or on the list.
"""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from werkzeug.utils import redirect
from werkzeug.wrappers import Response

from services.common.roles import Role
from services.web import case_access, casework, idempotency
from services.web.models import Account
from services.web.page import NavLink, Page, Route, failed_status, service_message

WORKERS = frozenset({Role.CASE_WORKER})
CASE = "/vu-viec/<string(minlength=4,maxlength=32):case_code>"
# what the cases service's codes and ids look like: anything else (a line break, a space, "..") never reaches its URL
CASE_CODE = re.compile(r"[A-Z0-9-]{4,32}")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
SAVED = {"bien-phap": "Đã ghi nhận biện pháp.", "chuyen-gui": "Đã gửi yêu cầu chuyển.",
         "tra-loi": "Đã ghi nhận trả lời của nơi nhận.", "dong-y": "Đã lưu sự đồng ý của người bị hại.",
         "trang-thai": "Đã chuyển trạng thái vụ việc.", "tiep-nhan": "Đã tiếp nhận vụ việc.",
         "su-viec": "Đã ghi nhận sự việc.", "nguy-co": "Đã đánh giá lại nguy cơ."}


def grant(page: Page, case_code: str, reason: str) -> None:
    row = page.ensure_session()
    secret = page.session_secret
    assert secret is not None, "a session has a cookie value"
    case_access.grant(page.db, row, secret, case_code, reason, page.now)


def _worker(page: Page, case_code: str | None = None) -> Account | Response:
    account = page.require(WORKERS)
    if not isinstance(account, Response) and (
            account.commune is None or (case_code is not None and not CASE_CODE.fullmatch(case_code))):
        return page.not_found()
    return account


# the list -----------------------------------------------------------------------------------------------------
def case_list(page: Page) -> Response:
    account = _worker(page)
    if isinstance(account, Response):
        return account
    status_filter = page.request.args.get("trang-thai", "")
    if status_filter not in casework.STATUS_LABELS:
        status_filter = ""
    status, answer = page.get("cases", "/v1/cases" + (f"?status={status_filter}" if status_filter else ""))
    if status != 200:
        return page.unavailable()
    return page.render("cases.html", title="Vụ việc", rows=casework.case_rows(answer["items"]),
                       statuses=casework.STATUS_LABELS, status_filter=status_filter)


# intake -------------------------------------------------------------------------------------------------------
def intake(page: Page) -> Response:
    account = _worker(page)
    if isinstance(account, Response):
        return account
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    status, service_error = 200, None
    key = idempotency.new_key()
    if page.request.method == "POST":
        values = casework.intake_values(page.request.form)
        # the form's key: a second click on "Lưu vụ việc" gets the case the first recorded (200), not a new one
        key = idempotency.key_of(page.request.form)
        sent, answer = page.call("POST", "cases", "/v1/cases", casework.intake_body(values),
                                 headers={"Idempotency-Key": key})
        if sent in (200, 201):
            code = answer["case_code"]
            # the worker who took the case in opens it at once: the intake is the reason
            grant(page, code, casework.INTAKE_REASON)
            return redirect(f"/vu-viec/{code}?da-luu=tiep-nhan", 303)
        if sent == 503 and answer is None:
            return page.unavailable()
        status = failed_status(sent)
        errors = casework.field_errors(answer, casework.FORM_FIELDS, casework.REQUIRED_CHOICES)
        service_error = service_message(answer, "Không lưu được vụ việc. Vui lòng thử lại sau.")
        if errors:
            service_error = "Vụ việc chưa được lưu: vui lòng sửa các mục được đánh dấu bên dưới."
    return page.render("case_intake.html", status=status, title="Tiếp nhận vụ việc", values=values, errors=errors,
                       service_error=service_error, labels=casework, idempotency_key=key)


# a case -------------------------------------------------------------------------------------------------------
def case_page(page: Page, case_code: str) -> Response:
    account = _worker(page, case_code)
    if isinstance(account, Response):
        return account
    reason = case_access.reason_for(page.db, page.row, page.session_secret, case_code, page.now)
    if reason is None:
        return _prompt(page, case_code)
    notice = SAVED.get(page.request.args.get("da-luu", ""))
    return _show(page, case_code, reason, notice=notice)


def give_reason(page: Page, case_code: str) -> Response:
    """The prompt's answer: the reason is kept for the session (not put in the URL), then the case is shown."""
    account = _worker(page, case_code)
    if isinstance(account, Response):
        return account
    reason, errors = casework.access_reason(page.request.form.to_dict())
    if reason is None:
        return _prompt(page, case_code, errors, page.request.form.to_dict(), status=422)
    grant(page, case_code, reason)
    return redirect(f"/vu-viec/{case_code}", 303)


def close_case_file(page: Page, case_code: str) -> Response:
    """"Đóng hồ sơ": the session stops showing the case; opening it again asks for a reason."""
    account = _worker(page, case_code)
    if isinstance(account, Response):
        return account
    if page.row is not None:
        case_access.revoke(page.db, page.row, case_code)
    response = redirect("/vu-viec", 303)
    # the cookie does not change, so a browser may keep the case in its back/forward cache despite no-store: the
    # Back button would show it again on a shared computer
    response.headers["Clear-Site-Data"] = '"cache"'
    return response


def _prompt(page: Page, case_code: str, errors: dict[str, str] | None = None, values: dict[str, str] | None = None,
            status: int = 200) -> Response:
    return page.render("case_reason.html", status=status, title=f"Vụ việc {case_code}", case_code=case_code,
                       reasons=casework.ACCESS_REASONS, errors=errors or {}, values=values or {})


def _show(page: Page, case_code: str, reason: str, status: int = 200, errors: dict[str, str] | None = None,
          values: dict[str, str] | None = None, service_error: str | None = None, notice: str | None = None,
          section: str | None = None) -> Response:
    read, case = page.call("GET", "cases", f"/v1/cases/{case_code}",
                           headers={"X-Access-Reason": quote(reason, safe="")})
    if read == 404:
        case_access.revoke(page.db, page.ensure_session(), case_code)
        return page.not_found()
    if read != 200:
        return page.unavailable()
    return page.render("case.html", status=status, title=f"Vụ việc {case_code}", case=case, reason=reason,
                       timeline=casework.timeline(case), labels=casework, errors=errors or {}, values=values or {},
                       service_error=service_error, section=section, notice=notice,
                       status_options=[(status, casework.STATUS_LABELS[status])
                                       for status in casework.NEXT_STATUSES.get(case["status"], ())])


def _act(page: Page, case_code: str, section: str, method: str, path: str, body: dict[str, Any],
         fields: set[str], prefix: str, saved: str) -> Response:
    """One of the case page's forms: send it; on success back to the case (PRG), else the case with the errors
    next to that form's fields."""
    account = _worker(page, case_code)
    if isinstance(account, Response):
        return account
    reason = case_access.reason_for(page.db, page.row, page.session_secret, case_code, page.now)
    if reason is None:  # the grant ran out while the form was open: ask again, change nothing
        return _prompt(page, case_code)
    sent, answer = page.call(method, "cases", f"/v1/cases/{case_code}{path}", body)
    if sent in (200, 201):
        return redirect(f"/vu-viec/{case_code}?da-luu={saved}#{section}", 303)
    if sent == 404 and isinstance(answer, dict) and answer.get("error", {}).get("code") == "case_not_found":
        return page.not_found()
    if sent == 503 and answer is None:
        return page.unavailable()
    errors = casework.field_errors(answer, {prefix + name for name in fields}, prefix=prefix)
    return _show(page, case_code, reason, status=failed_status(sent), errors=errors,
                 values=page.request.form.to_dict(), section=section,
                 service_error=service_message(answer, "Không lưu được. Vui lòng thử lại sau."))


def _text(page: Page, name: str) -> str | None:
    return (page.request.form.get(name) or "").strip() or None


def add_incident(page: Page, case_code: str) -> Response:
    return _act(page, case_code, "su-viec", "POST", "/incidents", casework.incident_body(page.request.form),
                set(casework.INCIDENT_FIELDS), "incident-", "su-viec")


def reassess_risk(page: Page, case_code: str) -> Response:
    body = casework.risk_body(page.request.form)
    return _act(page, case_code, "nguy-co", "POST", "/risk-assessments", body, set(body), "risk_assessment-",
                "nguy-co")


def add_measure(page: Page, case_code: str) -> Response:
    body = {"kind": page.request.form.get("measure-kind", ""), "provider": _text(page, "measure-provider"),
            "notes": _text(page, "measure-notes")}
    return _act(page, case_code, "bien-phap", "POST", "/measures", body, {"kind", "provider", "notes"}, "measure-",
                "bien-phap")


def refer(page: Page, case_code: str) -> Response:
    kind = page.request.form.get("referral-kind", "referral")
    body = {"authority": page.request.form.get("referral-authority", ""),
            "reason": (page.request.form.get("referral-reason") or "").strip(),
            "consent_override_reason": _text(page, "referral-consent_override_reason")}
    return _act(page, case_code, "chuyen-gui", "POST", "/escalations" if kind == "escalation" else "/referrals",
                body, {"authority", "reason", "consent_override_reason"}, "referral-", "chuyen-gui")


def respond(page: Page, case_code: str, referral_id: str, action: str) -> Response:
    if not UUID.fullmatch(referral_id):
        return page.not_found()
    body = {"reason": _text(page, "respond-reason")}
    return _act(page, case_code, "chuyen-gui", "POST", f"/referrals/{referral_id}/{action}", body, {"reason"},
                "respond-", "tra-loi")


def set_consent(page: Page, case_code: str) -> Response:
    body = {name: bool(page.request.form.get(f"consent-{name}")) for name, _ in casework.CONSENTS}
    return _act(page, case_code, "dong-y", "PUT", "/consent", body, set(body), "consent-", "dong-y")


def change_status(page: Page, case_code: str) -> Response:
    body = {"to_status": page.request.form.get("transition-to_status", ""),
            "reason": (page.request.form.get("transition-reason") or "").strip()}
    return _act(page, case_code, "trang-thai", "POST", "/transitions", body, {"to_status", "reason"}, "transition-",
                "trang-thai")


ROUTES = [
    Route("/vu-viec", case_list),
    Route("/vu-viec/moi", intake, ("GET", "POST")),
    Route(CASE, case_page),
    Route(CASE + "/ly-do", give_reason, ("POST",)),
    Route(CASE + "/dong-ho-so", close_case_file, ("POST",)),
    Route(CASE + "/su-viec", add_incident, ("POST",)),
    Route(CASE + "/nguy-co", reassess_risk, ("POST",)),
    Route(CASE + "/bien-phap", add_measure, ("POST",)),
    Route(CASE + "/chuyen-gui", refer, ("POST",)),
    Route(CASE + "/chuyen-gui/<string(length=36):referral_id>/<any(accept,reject,done):action>", respond, ("POST",)),
    Route(CASE + "/dong-y", set_consent, ("POST",)),
    Route(CASE + "/trang-thai", change_status, ("POST",)),
]
NAV = [NavLink("/vu-viec", "Vụ việc", WORKERS), NavLink("/vu-viec/moi", "Tiếp nhận vụ việc", WORKERS)]

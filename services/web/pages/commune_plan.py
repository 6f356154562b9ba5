"""The commune officer's plans: the list (/ke-hoach), a plan document imported into a draft (/ke-hoach/nhap), a plan
with its versions and, while a draft, the import's warnings beside the document's lines (/ke-hoach/<id>), the
draft corrected (/ke-hoach/<id>/sua) and issued after a confirmation (/ke-hoach/<id>/ban-hanh)."""
from __future__ import annotations

import re

from werkzeug.utils import redirect
from werkzeug.wrappers import Response

from services.common.roles import Role
from services.web import plan_form
from services.web.page import NavLink, Page, Route, failed_status, service_message

OFFICERS = frozenset({Role.COMMUNE_OFFICER})
PLAN_ID = "<string(length=36):plan_id>"
# plans' ids are UUIDs: anything else in the address is no plan, and never goes into plans' URL (a space, a line
# break or a non-ASCII letter there made urllib raise: a 500)
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def plans(page: Page) -> Response:
    commune = page.require_commune(OFFICERS)
    if isinstance(commune, Response):
        return commune
    status, answer = page.get("plans", "/v1/plans")
    if status != 200:
        return page.unavailable()
    items = sorted(answer["items"], key=lambda plan: (-plan["year"], plan["status"]))
    return page.render("plans.html", title="Kế hoạch", plans=items)


def _units(page: Page, commune: str) -> list[dict] | None:
    status, answer = page.get("plans", f"/v1/communes/{commune}/units")
    return answer["items"] if status == 200 else None


def import_plan(page: Page) -> Response:
    commune = page.require_commune(OFFICERS)
    if isinstance(commune, Response):
        return commune
    units = _units(page, commune)
    if units is None:
        return page.unavailable()
    form, status, service_error, warned = plan_form.ImportForm(), 200, None, []
    if page.request.method == "POST":
        upload = page.request.files.get("file")
        filename = (upload.filename or "") if upload is not None else ""
        data = upload.read(plan_form.MAX_DOCUMENT_BYTES + 1) if upload is not None else b""
        fields = plan_form.import_fields(form, commune, page.request.form.to_dict())
        problem = plan_form.check_upload(filename, len(data))
        if problem:
            form.errors["file"] = problem
            status = 413 if problem == plan_form.TOO_LARGE else 422
        elif fields is None:
            status = 422
        else:
            sent, answer = page.upload("plans", "/v1/plans/import", plan_form.upload_name(filename), data, fields)
            if sent == 201:
                return redirect(f"/ke-hoach/{answer['plan']['id']}?da-nhap=1", 303)
            if sent == 503:
                return page.unavailable()
            status = failed_status(sent)
            plan_form.refused_import(form, answer)
            service_error = service_message(answer, "Không nhập được văn bản. Vui lòng thử lại sau.")
            if isinstance(answer, dict):
                warned = plan_form.warned_lines(answer.get("warnings") or [])
    return page.render("plan_import.html", status=status, title="Nhập kế hoạch từ văn bản", form=form,
                       service_error=service_error, warned=warned,
                       unit_options=[("", "— Chọn đơn vị —")] + [(u["code"], f"{u['name']} ({u['code']})")
                                                                 for u in units])


def _plan(page: Page, plan_id: str) -> tuple[int, dict | None]:
    """(status, plan) of the officer's commune: 404 for another commune's (plans answers so too) or a malformed id."""
    if not UUID.fullmatch(plan_id):
        return 404, None
    status, plan = page.get("plans", f"/v1/plans/{plan_id}")
    if status in (403, 404):
        return 404, None
    return status, plan if status == 200 else None


def plan(page: Page, plan_id: str) -> Response:
    commune = page.require_commune(OFFICERS)
    if isinstance(commune, Response):
        return commune
    status, shown = _plan(page, plan_id)
    if status == 404 or (shown is not None and shown["commune_code"] != commune):
        return page.not_found()
    versions_status, versions = page.get("plans", f"/v1/plans/{plan_id}/versions")
    units = _units(page, commune)
    if shown is None or versions_status != 200 or units is None:
        return page.unavailable()
    notice = {"da-nhap": "Đã nhập văn bản thành bản dự thảo. Vui lòng xem các cảnh báo dưới đây và sửa nếu cần.",
              "da-sua": "Đã lưu bản dự thảo.", "da-ban-hanh": "Đã ban hành kế hoạch."}
    shown_notice = next((text for key, text in notice.items() if page.request.args.get(key)), None)
    return page.render("plan.html", title=shown["document"]["title"], plan=shown, versions=versions["items"],
                       warned=plan_form.warned_lines(shown["import_warnings"]) if shown["status"] == "draft" else [],
                       unit_names={u["code"]: u["name"] for u in units},
                       roles=plan_form.UNIT_ROLES, notice=shown_notice)


def _draft(page: Page, plan_id: str) -> tuple[str, dict] | Response:
    """(the officer's commune, the draft plan), or the answer: 404 for another commune's plan or one issued."""
    commune = page.require_commune(OFFICERS)
    if isinstance(commune, Response):
        return commune
    status, shown = _plan(page, plan_id)
    if status == 404 or (shown is not None and (shown["commune_code"] != commune or shown["status"] != "draft")):
        return page.not_found()
    return (commune, shown) if shown is not None else page.unavailable()


def edit_draft(page: Page, plan_id: str) -> Response:
    draft = _draft(page, plan_id)
    if isinstance(draft, Response):
        return draft
    commune, shown = draft
    units = _units(page, commune)
    if units is None:
        return page.unavailable()
    errors: dict[str, str] = {}
    values, status, service_error = plan_form.draft_values(shown), 200, None
    if page.request.method == "POST":
        body, values, errors = plan_form.draft_body(shown, page.request.form.to_dict(flat=False),
                                                    {u["code"] for u in units})
        if errors:
            status = 422
        else:
            sent = page.send("PUT", "plans", f"/v1/plans/{plan_id}/draft", body,
                             lambda _: f"/ke-hoach/{plan_id}?da-sua=1")
            if isinstance(sent, Response):
                return sent
            status, answer = sent
            errors = plan_form.draft_errors(answer)
            service_error = service_message(answer, "Không lưu được bản dự thảo. Vui lòng thử lại sau.")
    return page.render("plan_edit.html", status=status, title="Sửa bản dự thảo kế hoạch", plan=shown,
                       values=values, errors=errors, service_error=service_error, units=units,
                       roles=plan_form.UNIT_ROLES)


def issue(page: Page, plan_id: str) -> Response:
    draft = _draft(page, plan_id)
    if isinstance(draft, Response):
        return draft
    _, shown = draft
    problems: dict[str, str] = {}
    status, service_error = 200, None
    if page.request.method == "POST":
        sent = page.send("POST", "plans", f"/v1/plans/{plan_id}/issue", None,
                         lambda _: f"/ke-hoach/{plan_id}?da-ban-hanh=1")
        if isinstance(sent, Response):
            return sent
        status, answer = sent
        service_error = service_message(answer, "Không ban hành được kế hoạch. Vui lòng thử lại sau.")
        problems = plan_form.draft_errors(answer)
    return page.render("plan_issue.html", status=status, title="Ban hành kế hoạch", plan=shown,
                       service_error=service_error, problems=problems)


ROUTES = [Route("/ke-hoach", plans), Route("/ke-hoach/nhap", import_plan, ("GET", "POST")),
          Route(f"/ke-hoach/{PLAN_ID}", plan), Route(f"/ke-hoach/{PLAN_ID}/sua", edit_draft, ("GET", "POST")),
          Route(f"/ke-hoach/{PLAN_ID}/ban-hanh", issue, ("GET", "POST"))]
NAV = [NavLink("/ke-hoach", "Kế hoạch", OFFICERS)]

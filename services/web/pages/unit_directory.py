"""The commune officer's unit directory (/don-vi): the commune's units and their contacts, a unit added, a unit
changed (/don-vi/<code>: its name, the day it was dissolved, its contacts)."""
from __future__ import annotations

from urllib.parse import quote

from werkzeug.utils import redirect
from werkzeug.wrappers import Response

from services.common.roles import Role
from services.web import unit_form
from services.web.page import NavLink, Page, Route, failed_status, service_message

OFFICERS = frozenset({Role.COMMUNE_OFFICER})


def _options() -> dict:
    return {"unit_types": list(unit_form.UNIT_TYPES.items()),
            "contact_roles": [("", "— Chọn —"), *unit_form.CONTACT_ROLES.items()],
            "channels": [("", "— Chọn —"), *unit_form.CHANNELS.items()]}


def units(page: Page) -> Response:
    account = page.require(OFFICERS)
    if isinstance(account, Response):
        return account
    if not account.commune:
        return page.not_found()
    units_path = f"/v1/communes/{account.commune}/units"
    errors: dict[str, str] = {}
    service_error: str | None = None
    status, values = 200, {"unit_type": "department"}
    rows = unit_form.contact_rows(None)
    if page.request.method == "POST":
        body, errors = unit_form.body_of(page.request.form.to_dict(), rows, new=True)
        values = page.request.form.to_dict()
        if errors:
            status = 422
        else:
            sent, answer = page.call("POST", "plans", units_path, body)
            if sent == 201:
                return redirect(f"/don-vi?da-them={quote(body['code'])}", 303)
            if sent == 503:
                return page.unavailable()
            status, errors = failed_status(sent), unit_form.service_errors(answer)
            service_error = service_message(answer, "Không thêm được đơn vị. Vui lòng thử lại sau.")
    listed, answer = page.get("plans", units_path)
    if listed != 200:
        return page.unavailable()
    added = page.request.args.get("da-them")
    return page.render("units.html", status=status, title="Danh mục đơn vị", units=answer["items"],
                       values=values, errors=errors, service_error=service_error, rows=rows,
                       notice=f"Đã thêm đơn vị {added}." if added else None,
                       type_names=unit_form.UNIT_TYPES, role_names=unit_form.CONTACT_ROLES,
                       channel_names=unit_form.CHANNELS, **_options())


def unit(page: Page, code: str) -> Response:
    account = page.require(OFFICERS)
    if isinstance(account, Response):
        return account
    if not account.commune:
        return page.not_found()
    unit_path = f"/v1/communes/{account.commune}/units/{quote(code, safe='')}"
    found, current = page.get("plans", unit_path)
    if found == 404:
        return page.not_found()
    if found != 200:
        return page.unavailable()
    rows = unit_form.contact_rows(current)
    errors: dict[str, str] = {}
    service_error: str | None = None
    status, values = 200, unit_form.values_of(current)
    if page.request.method == "POST":
        body, errors = unit_form.body_of(page.request.form.to_dict(), rows, new=False)
        values = {**values, **page.request.form.to_dict()}
        if errors:
            status = 422
        else:
            sent, answer = page.call("PATCH", "plans", unit_path, body)
            if sent == 200:
                return redirect(f"/don-vi/{quote(code, safe='')}?da-luu=1", 303)
            if sent == 503:
                return page.unavailable()
            status, errors = failed_status(sent), unit_form.service_errors(answer)
            service_error = service_message(answer, "Không lưu được thay đổi. Vui lòng thử lại sau.")
    return page.render("unit.html", status=status, title=f"Đơn vị: {current['name']}", unit=current,
                       values=values, errors=errors, service_error=service_error, rows=rows,
                       notice="Đã lưu thay đổi." if page.request.args.get("da-luu") else None,
                       type_names=unit_form.UNIT_TYPES, **_options())


ROUTES = [Route("/don-vi", units, ("GET", "POST")), Route("/don-vi/<code>", unit, ("GET", "POST"))]
NAV = [NavLink("/don-vi", "Đơn vị", OFFICERS)]

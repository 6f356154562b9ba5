"""The commune officer's unit directory (/don-vi): the commune's units and their contacts, a unit added, a unit
changed (/don-vi/<code>: its name, the day it was dissolved, its contacts)."""
from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from werkzeug.wrappers import Response

from services.common.roles import Role
from services.web import unit_form
from services.web.page import NavLink, Page, Route, service_message

OFFICERS = frozenset({Role.COMMUNE_OFFICER})


def _options() -> dict:
    return {"unit_types": list(unit_form.UNIT_TYPES.items()),
            "contact_roles": [("", "— Chọn —"), *unit_form.CONTACT_ROLES.items()],
            "channels": [("", "— Chọn —"), *unit_form.CHANNELS.items()]}


def _submit(page: Page, method: str, path: str, rows: int, done: Callable[[dict], str],
            fallback: str) -> Response | tuple[int, dict[str, str], str | None]:
    """The unit form sent to plans (POST adds, PATCH changes): the redirect, or (status, errors, message)."""
    body, errors = unit_form.body_of(page.request.form.to_dict(), rows, new=method == "POST")
    if errors:
        return 422, errors, None
    sent = page.send(method, "plans", path, body, done)
    if isinstance(sent, Response):
        return sent
    status, answer = sent
    return status, unit_form.service_errors(answer), service_message(answer, fallback)


def units(page: Page) -> Response:
    commune = page.require_commune(OFFICERS)
    if isinstance(commune, Response):
        return commune
    units_path = f"/v1/communes/{commune}/units"
    errors: dict[str, str] = {}
    service_error: str | None = None
    status, values = 200, {"unit_type": "department"}
    rows = unit_form.contact_rows(None)
    if page.request.method == "POST":
        values = page.request.form.to_dict()
        sent = _submit(page, "POST", units_path, rows, lambda unit: f"/don-vi?da-them={quote(unit['code'])}",
                       "Không thêm được đơn vị. Vui lòng thử lại sau.")
        if isinstance(sent, Response):
            return sent
        status, errors, service_error = sent
    listed, answer = page.get("plans", units_path)
    if listed != 200:
        return page.unavailable()
    # the unit just added, if it is one of the list: the address's text is not written on the page as it came (a
    # link could make the page say anything after "Đã thêm đơn vị")
    added = next((u["code"] for u in answer["items"] if u["code"] == page.request.args.get("da-them")), None)
    return page.render("units.html", status=status, title="Danh mục đơn vị", units=answer["items"],
                       values=values, errors=errors, service_error=service_error, rows=rows,
                       notice=f"Đã thêm đơn vị {added}." if added else None,
                       type_names=unit_form.UNIT_TYPES, role_names=unit_form.CONTACT_ROLES,
                       channel_names=unit_form.CHANNELS, **_options())


def unit(page: Page, code: str) -> Response:
    commune = page.require_commune(OFFICERS)
    if isinstance(commune, Response):
        return commune
    if not unit_form.CODE.fullmatch(code):  # no unit has it; a NUL sent on made plans fail (the page a 503)
        return page.not_found()
    unit_path = f"/v1/communes/{commune}/units/{quote(code, safe='')}"
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
        values = {**values, **page.request.form.to_dict()}
        sent = _submit(page, "PATCH", unit_path, rows, lambda _: f"/don-vi/{quote(code, safe='')}?da-luu=1",
                       "Không lưu được thay đổi. Vui lòng thử lại sau.")
        if isinstance(sent, Response):
            return sent
        status, errors, service_error = sent
    return page.render("unit.html", status=status, title=f"Đơn vị: {current['name']}", unit=current,
                       values=values, errors=errors, service_error=service_error, rows=rows,
                       notice="Đã lưu thay đổi." if page.request.args.get("da-luu") else None,
                       type_names=unit_form.UNIT_TYPES, **_options())


ROUTES = [Route("/don-vi", units, ("GET", "POST")), Route("/don-vi/<code>", unit, ("GET", "POST"))]
NAV = [NavLink("/don-vi", "Đơn vị", OFFICERS)]

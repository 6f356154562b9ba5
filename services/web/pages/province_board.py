"""Sở Nội vụ's pages: the province's year (every commune, completeness, report states, charts, the summary's
documents) and one commune's report (its state and history, its figures, accept or return, its documents)."""
from __future__ import annotations

import re

from markupsafe import Markup
from werkzeug.utils import redirect
from werkzeug.wrappers import Response

from services.common.roles import Role
from services.web import charts, province
from services.web.models import Account
from services.web.page import NavLink, Page, Route, attachment, failed_status, service_message
from services.web.pages.completeness_board import year_of

OFFICERS = frozenset({Role.PROVINCE_OFFICER})
FORMATS = ("docx", "xlsx")
COMMUNE_CODE = re.compile(r"[0-9]{5}")  # fullmatch: a "$" lets a trailing line break through


def _view(page: Page, account: Account, year: int) -> tuple[int, dict]:
    """Reporting's view of the officer's own province (the account's province claim, never a URL's)."""
    return page.get("reporting", f"/v1/provinces/{account.province}/years/{year}/communes")


def board(page: Page) -> Response:
    account = page.require(OFFICERS)
    if isinstance(account, Response):
        return account
    year = year_of(page)
    sort = page.request.args.get("sap-xep", "trang-thai")
    sort = sort if sort in province.SORTS else "trang-thai"
    got, view = _view(page, account, year)
    if got == 404:
        return page.not_found()
    if got != 200:
        return page.unavailable()
    totals = view["totals"]
    rate_chart = Markup(charts.bars(
        "bieu-do-ti-le", f"Số xã theo tỉ lệ đơn vị đã báo cáo, năm {year}",
        f"Trong {totals['communes']} xã, phường của {view['province_name']}: số xã theo tỉ lệ đơn vị đã gửi báo cáo "
        "trên số đơn vị phải báo cáo.", province.rate_bars(view)))
    pairs = province.sex_pairs(totals["indicators"])
    sex_chart = Markup(charts.paired_bars(
        "bieu-do-gioi-tinh", f"Chỉ tiêu theo giới tính, năm {year}",
        "Giá trị nữ và nam của các chỉ tiêu tách theo giới tính, cộng hoặc bình quân trên các xã đã báo cáo.",
        pairs)) if pairs else None
    return page.render("province.html", title=f"Toàn tỉnh · {view['province_name']}", year=year, view=view,
                       totals=totals, lines=province.lines(view, sort), counts=province.state_counts(view),
                       sort=sort, sorts=province.SORTS, rate_chart=rate_chart, sex_chart=sex_chart,
                       percent=province.percent, number=charts.number)


def commune(page: Page, commune_code: str) -> Response:
    account = page.require(OFFICERS)
    if isinstance(account, Response):
        return account
    if not COMMUNE_CODE.fullmatch(commune_code):
        return page.not_found()
    year = year_of(page)
    errors: dict[str, str] = {}
    form: dict[str, str] = {}
    service_error = None
    status_code = 200
    if page.request.method == "POST":
        report_path = f"/v1/communes/{commune_code}/years/{year}/report"
        if page.request.form.get("action") == "tiep-nhan":
            sent, answer = page.call("POST", "reporting", report_path + "/acceptance")
        else:
            form, errors = province.return_form(page.request.form)
            sent, answer = (422, None) if errors else page.call("POST", "reporting", report_path + "/return", form)
        if sent == 201:
            return redirect(f"/tinh/xa/{commune_code}?nam={year}", 303)
        if sent == 404:
            return page.not_found()
        if sent == 503:
            return page.unavailable()
        status_code = failed_status(sent)
        if not errors:
            service_error = service_message(answer, "Không thực hiện được. Vui lòng thử lại sau.")
    got, view = _view(page, account, year)
    if got != 200:
        return page.not_found() if got == 404 else page.unavailable()
    row = next((r for r in view["communes"] if r["commune_code"] == commune_code), None)
    if row is None:  # another province's commune, or none: the page does not say which
        return page.not_found()
    line = province.line(row)
    report: dict | None = None
    transitions: list[dict] = []
    if line.state in province.READABLE:
        path = f"/v1/communes/{commune_code}/years/{year}/report"
        got, answer = page.get("reporting", path)
        got_history, history = page.get("reporting", path + "/transitions")
        if got == 503 or got_history == 503:
            return page.unavailable()
        report = answer if got == 200 else None
        transitions = history["items"] if got_history == 200 else []
    return page.render("province_commune.html", status=status_code, title=f"{row['commune_name']} · báo cáo năm {year}",
                       year=year, line=line, row=row, report=report,
                       transitions=province.transition_lines(transitions),
                       revisions=province.submitted_revisions(transitions), awaiting=line.state in province.AWAITING,
                       errors=errors, form=form, service_error=service_error,
                       categories=list(province.RETURN_CATEGORIES.items()), percent=province.percent,
                       number=charts.number)


def _download(page: Page, path: str, format_name: str, filename: str) -> Response:
    """A document of reporting, under the page's own type and name; the page's own 404 or 503 else."""
    got = page.download("reporting", path)
    if got.status == 200:
        return attachment(got.content, format_name, filename)
    if got.status in (400, 404):
        return page.not_found()
    return page.unavailable()


def commune_document(page: Page, commune_code: str, revision: int, format_name: str) -> Response:
    account = page.require(OFFICERS)
    if isinstance(account, Response):
        return account
    if format_name not in FORMATS or not COMMUNE_CODE.fullmatch(commune_code):
        return page.not_found()
    year = year_of(page)
    return _download(page, f"/v1/communes/{commune_code}/years/{year}/report/revisions/{revision}/{format_name}",
                     format_name, f"bao-cao-{commune_code}-{year}-lan-{revision}.{format_name}")


def summary_document(page: Page, format_name: str) -> Response:
    account = page.require(OFFICERS)
    if isinstance(account, Response):
        return account
    if format_name not in FORMATS:
        return page.not_found()
    year = year_of(page)
    return _download(page, f"/v1/provinces/{account.province}/years/{year}/summary/{format_name}", format_name,
                     f"tong-hop-{account.province}-{year}.{format_name}")


ROUTES = [
    Route("/tinh", board),
    Route("/tinh/tong-hop.<format_name>", summary_document),
    Route("/tinh/xa/<commune_code>", commune, ("GET", "POST")),
    Route("/tinh/xa/<commune_code>/lan-<int(min=1,max=1000):revision>.<format_name>", commune_document),
]
NAV = [NavLink("/tinh", "Toàn tỉnh", OFFICERS)]

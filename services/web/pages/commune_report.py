"""The commune officer's report to Sở Nội vụ: where it stands, the officer's sections (V-VII), the report as it
will read, and the documents of each submission (DOCX, XLSX) fetched from reporting with the officer's token."""
from __future__ import annotations

from werkzeug.utils import redirect
from werkzeug.wrappers import Response

from services.common.roles import Role
from services.web import report_text
from services.web.numbers import whole_number
from services.web.page import NavLink, Page, Route, attachment, failed_status, service_message
from services.web.pages.completeness_board import year_of

OFFICERS = frozenset({Role.COMMUNE_OFFICER})
TITLE = "Báo cáo của xã"
CONFLICT = ("Trong lúc bạn viết, nội dung báo cáo đã được lưu một phiên bản khác (phiên bản {version}). Chưa lưu gì. "
            "Nội dung bạn vừa viết vẫn ở trong các ô bên dưới; hãy xem bản mới nhất ở trang Xem trước, rồi bấm "
            "“Lưu nội dung” lần nữa nếu vẫn muốn thay bằng nội dung của bạn.")


def report_path(commune: str, year: int) -> str:
    return f"/v1/communes/{commune}/years/{year}/report"


def commune_report(page: Page) -> Response:
    account = page.require(OFFICERS)
    if isinstance(account, Response):
        return account
    year = year_of(page)
    path = report_path(account.commune or "", year)
    got, report = page.get("reporting", path)
    if got == 404:
        return page.render("commune_report.html", title=TITLE, year=year, report=None,
                           missing=service_message(report, f"Năm {year} chưa có kế hoạch được ban hành."))
    if got != 200:
        return page.unavailable()
    versions_status, versions = page.get("reporting", path + "/text/versions")
    transitions_status, transitions = page.get("reporting", path + "/transitions")
    if versions_status != 200 or transitions_status != 200:
        return page.unavailable()
    history = versions["items"]
    latest = history[-1]["content"] if history else None
    values = report_text.values_of(latest)
    errors: dict[str, str] = {}
    status, service_error, notice = 200, None, None
    text_version = report["officer_text"]["version"]
    if page.request.method == "POST":
        form = page.request.form
        sections, errors = report_text.validate(form.to_dict())
        values = {section.name: form.get(section.name, "") for section in report_text.SECTIONS}
        based_on = whole_number(form.get("text_version", ""), 0, 10**9)
        if errors:
            status = 422
        elif based_on is None:
            status, service_error = 400, "Biểu mẫu thiếu phiên bản nội dung. Vui lòng tải lại trang."
        else:
            sent, answer = page.call("PUT", "reporting", path + "/text", report_text.body_of(latest, sections),
                                     headers={"If-Match": f'"{based_on}"'})
            if sent == 200:
                return redirect(f"/bao-cao-xa?nam={year}&da-luu={answer['officer_text']['version']}", 303)
            status = failed_status(sent)
            code = answer.get("error", {}).get("code") if isinstance(answer, dict) else None
            if code == "text_version_conflict":
                service_error = CONFLICT.format(version=answer.get("text_version", text_version))
            else:
                errors = report_text.field_errors(answer) if sent == 422 else {}
                service_error = service_message(answer, "Không lưu được nội dung báo cáo. Vui lòng thử lại sau.")
    elif (saved := whole_number(page.request.args.get("da-luu", ""), 0, 10**9)) is not None:
        notice = f"Đã lưu nội dung báo cáo (phiên bản {saved})."
    submitted = sorted({t["revision"] for t in transitions["items"] if t["to_state"] == "submitted"})
    return page.render("commune_report.html", status=status, title=TITLE, year=year, report=report,
                       state_label=report_text.STATE_LABELS.get(report["state"], report["state"]),
                       editable=report["state"] in report_text.EDITABLE_STATES, sections=report_text.SECTIONS,
                       hint=report_text.HINT, values=values, errors=errors, service_error=service_error,
                       notice=notice, text_version=text_version, versions=list(reversed(history)),
                       transitions=transitions["items"], state_labels=report_text.STATE_LABELS,
                       submitted=submitted, formats=report_text.FORMATS)


def preview(page: Page) -> Response:
    account = page.require(OFFICERS)
    if isinstance(account, Response):
        return account
    year = year_of(page)
    got, report = page.get("reporting", report_path(account.commune or "", year))
    if got == 404:
        return page.render("commune_report.html", title=TITLE, year=year, report=None,
                           missing=service_message(report, f"Năm {year} chưa có kế hoạch được ban hành."))
    if got != 200:
        return page.unavailable()
    return page.render("commune_report_preview.html", title=f"Xem trước báo cáo năm {year}", year=year,
                       report=report, number=report_text.number, percent=report_text.percent,
                       state_label=report_text.STATE_LABELS.get(report["state"], report["state"]))


def download(page: Page, year: int, revision: int, format_name: str) -> Response:
    account = page.require(OFFICERS)
    if isinstance(account, Response):
        return account
    commune = account.commune or ""
    got = page.download("reporting", f"{report_path(commune, year)}/revisions/{revision}/{format_name}")
    if got.status == 404:
        return page.not_found()
    if got.status != 200:
        return page.unavailable() if got.status >= 500 else page.render(
            "message.html", status=failed_status(got.status), title="Không tải được văn bản",
            message="Không tải được văn bản của báo cáo. Vui lòng thử lại sau.")
    filename = f"bao-cao-{commune}-{year}-lan-{revision}.{format_name}"
    return attachment(got.content, format_name, filename)


ROUTES = [Route("/bao-cao-xa", commune_report, ("GET", "POST")),
          Route("/bao-cao-xa/xem-truoc", preview),
          Route("/bao-cao-xa/tai-ve/<int(min=2000,max=2100):year>/<int(min=1,max=1000):revision>/"
                "<any(docx,xlsx):format_name>", download)]
NAV = [NavLink("/bao-cao-xa", TITLE, OFFICERS)]

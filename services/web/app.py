"""The web pages: a WSGI application (werkzeug) rendering Jinja2 templates, autoescaped.

Every answer is `Cache-Control: no-store` (a shared computer must not keep what an officer saw), framed by no
one, and scripts and styles come from this site only. Every POST carries the session's CSRF token.
"""
from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from services.common.config import value_of
from services.common.db import make_engine
from services.common.roles import Role
from services.common.token_keys import signing_key
from services.web import accounts, completeness, sessions, unit_report_form
from services.web.backend import Backend, service_urls
from services.web.config import WebConfig
from services.web.models import Account, SignInSession

HERE = Path(__file__).resolve().parent
ROLE_NAMES = {
    Role.UNIT_REPORTER.value: "Người báo cáo của đơn vị",
    Role.COMMUNE_OFFICER.value: "Công chức văn hoá - xã hội",
    Role.CASE_WORKER.value: "Người xử lý vụ việc",
    Role.COMMUNE_LEADER.value: "Chủ tịch UBND xã",
    Role.PROVINCE_OFFICER.value: "Cán bộ Sở Nội vụ",
    Role.OPERATOR.value: "Quản trị hệ thống",
    Role.AUDITOR.value: "Kiểm tra nhật ký truy cập",
}
PLAN_READERS = {Role.UNIT_REPORTER, Role.COMMUNE_OFFICER, Role.CASE_WORKER, Role.COMMUNE_LEADER, Role.PROVINCE_OFFICER}
ACCOUNT_FIELDS = [("username", "Tên đăng nhập", "text"), ("display_name", "Họ tên", "text"),
                  ("password", "Mật khẩu ban đầu (ít nhất 12 ký tự)", "password"), ("role", "Vai trò", "role"),
                  ("unit", "Mã đơn vị (người báo cáo)", "text"), ("province", "Mã tỉnh (cán bộ Sở Nội vụ)", "text")]
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
}
CSRF_REFUSED = "Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang và thử lại."


class Page:
    """One request: the database session, the browser's session and the cookie to set, if any."""

    def __init__(self, request: Request, db: Session, row: SignInSession | None, now: dt.datetime):
        self.request, self.db, self.row, self.now = request, db, row, now
        self.new_cookie: str | None = None
        self.clear_cookie = False

    @property
    def account(self) -> Account | None:
        if self.row is None or self.row.account_id is None or self.row.second_factor_pending:
            return None
        return self.db.get(Account, self.row.account_id)

    def ensure_session(self) -> SignInSession:
        if self.row is None:
            self.new_cookie, self.row = sessions.start(self.db, self.now)
        return self.row

    def rotate(self, account: Account | None, second_factor_pending: bool = False) -> None:
        self.new_cookie, self.row = sessions.rotate(self.db, self.row, self.now, account, second_factor_pending)

    @property
    def address(self) -> str:
        return (self.request.remote_addr or "unknown")[:64]


class WebApp:
    def __init__(self, config: WebConfig, clock: Callable[[], dt.datetime] | None = None):
        self.config = config
        self.engine = make_engine(config.database_url)
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self.templates = Environment(loader=FileSystemLoader(HERE / "templates"),
                                     autoescape=select_autoescape(["html"], default=True))
        self.backend = Backend(service_urls(config.values), signing_key(config.values),
                               value_of("JWT_ISSUER", config.values))
        self.urls = Map([
            Rule("/", endpoint="home", methods=["GET"]),
            Rule("/dang-nhap", endpoint="sign_in", methods=["GET", "POST"]),
            Rule("/dang-nhap/ma-xac-thuc", endpoint="second_factor", methods=["GET", "POST"]),
            Rule("/dang-xuat", endpoint="sign_out", methods=["POST"]),
            Rule("/tai-khoan", endpoint="accounts", methods=["GET", "POST"]),
            Rule("/bao-cao", endpoint="unit_report", methods=["GET", "POST"]),
            Rule("/so-theo-doi", endpoint="completeness_board", methods=["GET", "POST"]),
            Rule("/static/site.css", endpoint="stylesheet", methods=["GET"]),
            Rule("/health", endpoint="health", methods=["GET"]),
            Rule("/ready", endpoint="ready", methods=["GET"]),
        ])

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with self.sessionmaker.begin() as db:
            yield db

    def __call__(self, environ, start_response):
        request = Request(environ)
        response = self.dispatch(request)
        response.headers.update(SECURITY_HEADERS)
        return response(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        adapter = self.urls.bind_to_environ(request.environ)
        try:
            endpoint, _ = adapter.match()
        except NotFound:
            return self.not_found(None)
        except HTTPException as error:
            return Response(error.description or "", status=error.code or 400, content_type="text/plain")
        if endpoint == "stylesheet":
            return Response((HERE / "static" / "site.css").read_bytes(), content_type="text/css; charset=utf-8")
        if endpoint == "health":
            return Response('{"status": "ok"}', content_type="application/json")
        if endpoint == "ready":
            return self.readiness()
        now = self.clock()
        with self.transaction() as db:
            row = sessions.find(db, request.cookies.get(sessions.COOKIE_NAME), now, self.config.idle)
            page = Page(request, db, row, now)
            if request.method == "POST" and not sessions.csrf_ok(row, request.form.get("csrf_token")):
                response = self.render(page, "message.html", status=403, title="Yêu cầu bị từ chối",
                                       message=CSRF_REFUSED)
            else:
                response = getattr(self, endpoint)(page)
            self.set_cookie(page, response)
            return response

    def set_cookie(self, page: Page, response: Response) -> None:
        if page.new_cookie:
            response.set_cookie(sessions.COOKIE_NAME, page.new_cookie, httponly=True, samesite="Lax",
                                secure=self.config.production, path="/")
        elif page.clear_cookie:
            response.delete_cookie(sessions.COOKIE_NAME, httponly=True, samesite="Lax",
                                   secure=self.config.production, path="/")

    def readiness(self) -> Response:
        """Ready when the accounts database answers (the services have their own /ready)."""
        try:
            with self.engine.connect() as connection:
                connection.exec_driver_sql("SELECT 1")
        except Exception:  # any failure to reach the database means: send no traffic here
            return Response('{"status": "unavailable"}', status=503, content_type="application/json")
        return Response('{"status": "ready"}', content_type="application/json")

    def render(self, page: Page | None, template: str, status: int = 200, **context) -> Response:
        account = page.account if page else None
        html = self.templates.get_template(template).render(
            account=account, csrf_token=page.row.csrf_token if page and page.row else "",
            can_manage=bool(account and accounts.may_manage(account)), **context)
        return Response(html, status=status, content_type="text/html; charset=utf-8")

    # pages

    def home(self, page: Page) -> Response:
        account = page.account
        if account is None:
            return redirect("/dang-nhap", 303)
        plans, unavailable = None, False
        if Role(account.role) in PLAN_READERS:
            status, body = self.backend.get(account, "plans", "/v1/plans")
            if status == 200 and isinstance(body, dict):
                plans = body["items"]
            else:
                unavailable = True
        return self.render(page, "home.html", title="Trang chính", role_name=ROLE_NAMES[account.role],
                           plans=plans, plans_unavailable=unavailable)

    def sign_in(self, page: Page) -> Response:
        if page.request.method == "GET":
            page.ensure_session()
            return self.render(page, "sign_in.html", title="Đăng nhập", username="")
        username = page.request.form.get("username", "").strip()[:64]
        password = page.request.form.get("password", "")
        try:
            account = accounts.check_password(page.db, username, password, page.address, page.now)
        except accounts.SignInRefused as refused:
            page.rotate(None)  # a fresh anonymous session and CSRF token for the next try
            return self.render(page, "sign_in.html", status=401, title="Đăng nhập", error=str(refused),
                               username=username)
        if accounts.needs_second_factor(account):
            page.rotate(account, second_factor_pending=True)
            return redirect("/dang-nhap/ma-xac-thuc", 303)
        page.rotate(account)
        return redirect("/", 303)

    def second_factor(self, page: Page) -> Response:
        row = page.row
        if row is None or row.account_id is None or not row.second_factor_pending:
            return redirect("/dang-nhap", 303)
        account = page.db.get(Account, row.account_id)
        assert account is not None
        if page.request.method == "GET":
            return self.render(page, "second_factor.html", title="Xác thực hai lớp")
        try:
            accounts.check_code(page.db, account, page.request.form.get("code", "")[:16], page.address, page.now)
        except accounts.SignInRefused as refused:
            if str(refused) == accounts.LOCKED:
                page.rotate(None)
                return self.render(page, "sign_in.html", status=401, title="Đăng nhập", error=str(refused),
                                   username="")
            return self.render(page, "second_factor.html", status=401, title="Xác thực hai lớp",
                               error=str(refused))
        page.rotate(account)
        return redirect("/", 303)

    def sign_out(self, page: Page) -> Response:
        if page.row is not None:
            account = page.account
            if account is not None:
                accounts.audit(page.db, page.now, "signed_out", account.username, page.address)
            page.db.delete(page.row)
        page.clear_cookie = True
        return redirect("/dang-nhap", 303)

    def accounts(self, page: Page) -> Response:
        manager = page.account
        if manager is None:
            return redirect("/dang-nhap", 303)
        roles = sorted(role.value for role in accounts.may_manage(manager))
        if not roles:
            return self.not_found(page)
        form = {name: page.request.form.get(name, "").strip() for name, _, _ in ACCOUNT_FIELDS}
        errors: dict[str, str] = {}
        created = None
        status = 200
        if page.request.method == "POST":
            role = form["role"] if form["role"] in roles else ""
            try:
                if not role:
                    raise accounts.AccountRefused("role", "Vui lòng chọn một vai trò trong danh sách.")
                created = accounts.create_account(page.db, manager, accounts.NewAccount(
                    username=form["username"], display_name=form["display_name"],
                    password=page.request.form.get("password", ""), role=Role(role), unit=form["unit"] or None,
                    province=form["province"] or None), page.now)
                form = {}
            except accounts.AccountRefused as refused:
                errors[refused.field] = refused.problem
                status = 422
        return self.render(page, "accounts.html", status=status, title="Tài khoản",
                           accounts=accounts.managed_accounts(page.db, manager), roles=roles,
                           role_names=ROLE_NAMES, fields=ACCOUNT_FIELDS, form=form, errors=errors, created=created)


    def unit_report(self, page: Page) -> Response:
        """The unit reporter's page: the tasks and indicators the plan gives the unit, the report form (filled with
        a returned report to revise it), and the unit's reports so far."""
        account = page.account
        if account is None:
            return redirect("/dang-nhap", 303)
        if Role(account.role) is not Role.UNIT_REPORTER or account.unit is None:
            return self.not_found(page)
        status, plans = self.backend.get(account, "plans", "/v1/plans?status=issued")
        if status != 200:
            return self.unavailable(page)
        latest = unit_report_form.latest_issued(plans["items"])
        if latest is None:
            return self.render(page, "unit_report.html", title="Báo cáo của đơn vị", form=None)
        plan_status, plan = self.backend.get(account, "plans", f"/v1/plans/{latest['id']}")
        catalogue_status, catalogue = self.backend.get(account, "plans", "/v1/indicators")
        history_status, history = self.backend.get(account, "plans", f"/v1/plans/{latest['id']}/unit-reports")
        if 200 != plan_status or 200 != catalogue_status or 200 != history_status:
            return self.unavailable(page)
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
                key = page.request.form.get("idempotency_key", "")[:64] or secrets.token_urlsafe(16)
                sent, answer = self.backend.call(account, "POST", "plans", f"/v1/plans/{plan['id']}/unit-reports",
                                                 body, headers={"Idempotency-Key": key})
                if sent in (200, 201):
                    return redirect("/bao-cao?da-gui=1", 303)
                status = sent if 400 <= sent < 500 else 502
                service_error = (answer.get("error", {}).get("message") if isinstance(answer, dict) else None) \
                    or "Không gửi được báo cáo. Vui lòng thử lại sau."
        elif page.request.args.get("da-gui"):
            notice = "Đã gửi báo cáo."
            returned = None
        return self.render(page, "unit_report.html", status=status, title="Báo cáo của đơn vị", form=form,
                           deadline=plan["report_deadline"], returned=returned, history=reports,
                           service_error=service_error, notice=notice, idempotency_key=secrets.token_urlsafe(16),
                           task_statuses=unit_report_form.TASK_STATUSES,
                           report_statuses=unit_report_form.REPORT_STATUSES)

    def completeness_board(self, page: Page) -> Response:
        """The commune officer's board: who has reported, late, missing, returned; return a report with a reason."""
        account = page.account
        if account is None:
            return redirect("/dang-nhap", 303)
        if Role(account.role) is not Role.COMMUNE_OFFICER:
            return self.not_found(page)
        year_text = page.request.args.get("nam", "")
        year = int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= 2100 else page.now.year
        errors: dict[str, str] = {}
        service_error = None
        status_code = 200
        if page.request.method == "POST":
            report_id = page.request.form.get("report_id", "")[:36]
            reason = page.request.form.get("reason", "").strip()
            if not reason:
                errors[report_id] = "Vui lòng ghi lý do trả lại."
                status_code = 422
            else:
                sent, answer = self.backend.call(account, "POST", "plans", f"/v1/unit-reports/{report_id}/return",
                                                 {"reason": reason})
                if sent == 200:
                    return redirect(f"/so-theo-doi?nam={year}", 303)
                status_code = sent if 400 <= sent < 500 else 502
                service_error = (answer.get("error", {}).get("message") if isinstance(answer, dict) else None) \
                    or "Không trả lại được báo cáo. Vui lòng thử lại sau."
        got, status = self.backend.get(account, "reporting", f"/v1/communes/{account.commune}/years/{year}/status")
        if got != 200:
            return self.unavailable(page)
        reports: list[dict] = []
        if status["plan_id"] is not None:
            got, listed = self.backend.get(account, "plans", f"/v1/plans/{status['plan_id']}/unit-reports")
            if got != 200:
                return self.unavailable(page)
            reports = listed["items"]
        return self.render(page, "completeness.html", status=status_code, title="Sổ theo dõi báo cáo", year=year,
                           year_status=status, rows=completeness.rows(status, reports), errors=errors,
                           service_error=service_error)

    def not_found(self, page: Page | None) -> Response:
        return self.render(page, "message.html", status=404, title="Không tìm thấy trang",
                           message="Trang bạn tìm không có.")

    def unavailable(self, page: Page) -> Response:
        return self.render(page, "message.html", status=503, title="Tạm thời không truy cập được",
                           message="Hệ thống đang bận hoặc tạm ngừng. Vui lòng thử lại sau ít phút.")


def migrate(config: WebConfig) -> None:
    from services.common.migrations import upgrade_to_head

    upgrade_to_head(make_engine(config.database_url), "services.web:migrations")

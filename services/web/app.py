"""The web pages: a WSGI application (werkzeug) rendering Jinja2 templates, autoescaped.

Every answer is `Cache-Control: no-store` (a shared computer must not keep what an officer saw), framed by no
one, and scripts and styles come from this site only. Every POST carries the session's CSRF token. The pages
themselves live in `services/web/pages/`, a module per piece of someone's work.
"""
from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound, RequestEntityTooLarge
from werkzeug.routing import Map, RequestRedirect, Rule
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from services.common.config import value_of
from services.common.db import make_engine
from services.common.roles import Role
from services.common.token_keys import signing_key
from services.web import dates, metrics, sessions
from services.web.backend import Backend, service_urls
from services.web.config import WebConfig
from services.web.oidc import oidc_config
from services.web.page import NavLink, Page
from services.web.pages import MODULES, own_password

HERE = Path(__file__).resolve().parent
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
}
TOO_LARGE = "Tệp hoặc nội dung gửi lên quá lớn (tối đa {megabytes} MB). Vui lòng chọn tệp nhỏ hơn."
# A form's text fields are small; files go to the services, which check them again.
MAX_FORM_FIELD_BYTES = 1 * 2**20
# what a person whose password someone else gave may do before changing it
PASSWORD_CHANGE_PAGES = frozenset({own_password.PATH, "/dang-xuat"})
ROUTE_KEY = "binhdang.web.route"  # the matched route's pattern, for the metrics
CSRF_REFUSED = "Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang và thử lại."
METHOD_REFUSED = ("Trang này không mở được theo cách đó (ví dụ: đăng xuất bằng nút “Đăng xuất”). "
                  "Hãy quay lại trang chính.")
NUL_REFUSED = ("Biểu mẫu có ký tự không hợp lệ (ký tự rỗng, thường do dán từ tệp khác). Vui lòng gõ lại nội dung "
               "rồi gửi lại.")
PLAN_STATUSES = {"draft": "Dự thảo", "issued": "Đã ban hành", "closed": "Đã kết thúc"}
STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                ".svg": "image/svg+xml"}


class WebApp:
    def __init__(self, config: WebConfig, clock: Callable[[], dt.datetime] | None = None):
        self.config = config
        self.engine = make_engine(config.database_url)
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self.templates = Environment(loader=FileSystemLoader(HERE / "templates"),
                                     autoescape=select_autoescape(["html"], default=True))
        # every page prints the services' UTC times in Vietnam's clock, day first
        self.templates.globals.update(time_text=dates.time_text, date_text=dates.date_text,
                                      plan_status=PLAN_STATUSES.get)
        # the sign-in page offers the province's OpenID Connect provider only when one is configured
        self.templates.globals["oidc_enabled"] = oidc_config(config.values) is not None
        self.backend = Backend(service_urls(config.values), signing_key(config.values),
                               value_of("JWT_ISSUER", config.values))
        self.nav: list[NavLink] = [link for module in MODULES for link in module.NAV]
        self.urls = Map([Rule(route.path, endpoint=route.handler, methods=list(route.methods))
                         for module in MODULES for route in module.ROUTES]
                        + [Rule("/static/<name>", endpoint="static", methods=["GET"]),
                           Rule("/health", endpoint="health", methods=["GET"]),
                           Rule("/ready", endpoint="ready", methods=["GET"])])

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with self.sessionmaker.begin() as db:
            yield db

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        # HEAD is answered as GET (the body dropped below, as werkzeug does for HEAD): no page sees a HEAD, so
        # none takes it for a POST (`method == "GET"` or else) and acts on a form without the CSRF check
        request = Request({**environ, "REQUEST_METHOD": "GET"} if environ.get("REQUEST_METHOD") == "HEAD" else environ)
        request.max_content_length = self.config.max_body_bytes
        request.max_form_memory_size = MAX_FORM_FIELD_BYTES
        response = self.dispatch(request)
        response.headers.update(SECURITY_HEADERS)
        route = environ.get(ROUTE_KEY, "unmatched")
        metrics.PAGE_REQUESTS.labels(route, request.method if request.method in ("GET", "POST") else "other",
                                     f"{response.status_code // 100}xx").inc()
        metrics.PAGE_LATENCY.labels(route).observe(time.perf_counter() - started)
        return response(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        adapter = self.urls.bind_to_environ(request.environ)
        now = self.clock()
        try:
            rule, values = adapter.match(return_rule=True)
        except NotFound:
            with self.transaction() as db:
                page = Page(self, request, db, self.find_session(db, request, now), now)
                return self.finish(page, page.not_found())
        except RequestRedirect as moved:  # '//dang-nhap': the same page at its one address (a path: no Host trusted)
            target = urlsplit(moved.new_url)
            return redirect(target.path + (f"?{target.query}" if target.query else ""), 308)
        except MethodNotAllowed as refused:  # e.g. /dang-xuat typed in the address bar: a page that says so
            with self.transaction() as db:
                page = Page(self, request, db, self.find_session(db, request, now), now)
                response = page.render("message.html", status=405, title="Không mở được trang theo cách này",
                                       message=METHOD_REFUSED)
                response.headers["Allow"] = ", ".join(refused.valid_methods or [])
                return self.finish(page, response)
        except HTTPException as error:
            return Response(error.description or "", status=error.code or 400, content_type="text/plain")
        request.environ[ROUTE_KEY] = rule.rule
        endpoint = rule.endpoint
        if endpoint == "static":
            return self.static(values["name"])
        if endpoint == "health":
            return Response('{"status": "ok"}', content_type="application/json")
        if endpoint == "ready":
            return self.readiness()
        with self.transaction() as db:
            page = Page(self, request, db, self.find_session(db, request, now), now)
            try:
                if request.method == "POST" and not sessions.csrf_ok(page.row, request.form.get("csrf_token")):
                    response = page.render("message.html", status=403, title="Yêu cầu bị từ chối",
                                           message=CSRF_REFUSED)
                elif request.method == "POST" and any("\x00" in key + value
                                                      for key, value in request.form.items(multi=True)):
                    # no text anyone types has one; PostgreSQL refuses it (here and in the services) with a 500
                    response = page.render("message.html", status=400, title="Biểu mẫu không hợp lệ",
                                           message=NUL_REFUSED)
                elif self.must_change_password(page) and rule.rule not in PASSWORD_CHANGE_PAGES:
                    response = redirect(own_password.PATH, 303)
                else:
                    response = endpoint(page, **values)
            except RequestEntityTooLarge:
                # nothing of the request is used: the whole form is refused, the page says why
                response = page.render("message.html", status=413, title="Tệp hoặc biểu mẫu quá lớn",
                                       message=TOO_LARGE.format(megabytes=self.config.max_body_bytes // 2**20))
            return self.finish(page, response)

    @staticmethod
    def must_change_password(page: Page) -> bool:
        account = page.account
        return account is not None and account.must_change_password

    def find_session(self, db: Session, request: Request, now: dt.datetime):
        return sessions.find(db, request.cookies.get(sessions.COOKIE_NAME), now, self.config.idle)

    def finish(self, page: Page, response: Response) -> Response:
        """`response` with the session cookie set or cleared as the page decided."""
        if page.new_cookie:
            response.set_cookie(sessions.COOKIE_NAME, page.new_cookie, httponly=True, samesite="Lax",
                                secure=self.config.production, path="/")
        elif page.clear_cookie:
            response.delete_cookie(sessions.COOKIE_NAME, httponly=True, samesite="Lax",
                                   secure=self.config.production, path="/")
        return response

    def static(self, name: str) -> Response:
        """A file of services/web/static (vendored; nothing is fetched from elsewhere)."""
        path = HERE / "static" / name
        if "/" in name or name.startswith(".") or path.suffix not in STATIC_TYPES or not path.is_file():
            return Response("", status=404, content_type="text/plain")
        return Response(path.read_bytes(), content_type=STATIC_TYPES[path.suffix])

    def readiness(self) -> Response:
        """Ready when the accounts database answers (the services have their own /ready)."""
        try:
            with self.engine.connect() as connection:
                connection.exec_driver_sql("SELECT 1")
        except Exception:  # any failure to reach the database means: send no traffic here
            return Response('{"status": "unavailable"}', status=503, content_type="application/json")
        return Response('{"status": "ready"}', content_type="application/json")

    def render(self, page: Page, template: str, status: int = 200, **context) -> Response:
        account = page.account
        nav = [link for link in self.nav if account is not None and Role(account.role) in link.roles]
        html = self.templates.get_template(template).render(
            account=account, csrf_token=page.row.csrf_token if page.row else "", nav=nav,
            current_path=page.request.path, **context)
        return Response(html, status=status, content_type="text/html; charset=utf-8")


def migrate(config: WebConfig) -> None:
    from services.common.migrations import upgrade_to_head

    upgrade_to_head(make_engine(config.database_url), "services.web:migrations")

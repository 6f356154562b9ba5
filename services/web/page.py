"""One request as the pages see it, and how a page module declares its routes and navigation links.

A page handler is a plain function `handler(page, **url_values) -> Response`; the `Page` it gets carries the
database session of the web's own tables, the browser's session, the signed-in account and the helpers every page
needs (render a template, call a service as the account, answer 404 or 503).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from services.common.roles import Role
from services.web import sessions
from services.web.backend import Download
from services.web.models import Account, SignInSession

if TYPE_CHECKING:
    from services.web.app import WebApp


@dataclass(frozen=True)
class Route:
    path: str  # werkzeug rule syntax, e.g. "/vu-viec/<case_code>"
    handler: Callable[..., Response]
    methods: tuple[str, ...] = ("GET",)


@dataclass(frozen=True)
class NavLink:
    href: str
    label: str
    roles: frozenset[Role]


class Page:
    """One request: the database session, the browser's session and the cookie to set, if any."""

    def __init__(self, web: WebApp, request: Request, db: Session, row: SignInSession | None, now: dt.datetime):
        self.web, self.request, self.db, self.row, self.now = web, request, db, row, now
        self.new_cookie: str | None = None
        self.clear_cookie = False

    @property
    def account(self) -> Account | None:
        if self.row is None or self.row.account_id is None or self.row.second_factor_pending:
            return None
        account = self.db.get(Account, self.row.account_id)
        return account if account is not None and account.disabled_at is None else None

    @property
    def session_secret(self) -> str | None:
        """The session's cookie value (a new one if this request rotated it): only the browser keeps it."""
        return self.new_cookie or self.request.cookies.get(sessions.COOKIE_NAME)

    @property
    def address(self) -> str:
        return client_address(self.request.remote_addr, self.request.headers.get("X-Forwarded-For"),
                              self.web.config.trusted_proxies)

    def ensure_session(self) -> SignInSession:
        if self.row is None:
            self.new_cookie, self.row = sessions.start(self.db, self.now)
        return self.row

    def rotate(self, account: Account | None, second_factor_pending: bool = False) -> None:
        self.new_cookie, self.row = sessions.rotate(self.db, self.row, self.now, account, second_factor_pending)

    # answers

    def render(self, template: str, status: int = 200, **context: Any) -> Response:
        return self.web.render(self, template, status=status, **context)

    def not_found(self) -> Response:
        """Also the answer to a page of another role or another commune: it does not say the page exists."""
        return self.render("message.html", status=404, title="Không tìm thấy trang", message="Trang bạn tìm không có.")

    def unavailable(self) -> Response:
        return self.render("message.html", status=503, title="Tạm thời không truy cập được",
                           message="Hệ thống đang bận hoặc tạm ngừng. Vui lòng thử lại sau ít phút.")

    def require(self, roles: Iterable[Role]) -> Account | Response:
        """The signed-in account if its role is one of `roles`; else the answer to give (sign in, or 404)."""
        account = self.account
        if account is None:
            return redirect("/dang-nhap", 303)
        if Role(account.role) not in set(roles):
            return self.not_found()
        return account

    def require_commune(self, roles: Iterable[Role]) -> str | Response:
        """The commune of the signed-in account if its role is one of `roles` and it has one; else the answer."""
        account = self.require(roles)
        if isinstance(account, Response):
            return account
        return account.commune if account.commune else self.not_found()

    # the services, as the signed-in account

    def get(self, service: str, path: str) -> tuple[int, Any]:
        account = self.account
        assert account is not None, "a page calls the services only for a signed-in account"
        return self.web.backend.get(account, service, path)

    def call(self, method: str, service: str, path: str, body: Any = None,
             headers: dict[str, str] | None = None) -> tuple[int, Any]:
        account = self.account
        assert account is not None, "a page calls the services only for a signed-in account"
        return self.web.backend.call(account, method, service, path, body, headers=headers)

    def download(self, service: str, path: str) -> Download:
        """A file from a service as the signed-in account (see `Backend.download`)."""
        account = self.account
        assert account is not None, "a page calls the services only for a signed-in account"
        return self.web.backend.download(account, service, path)

    def send(self, method: str, service: str, path: str, body: Any,
             done: Callable[[Any], str]) -> Response | tuple[int, Any]:
        """A form's change sent to a service: on success a redirect (303) to `done(answer)`, the page's answer
        when the service cannot be reached, else (the page's status, the service's refusal) to show on the form."""
        status, answer = self.call(method, service, path, body)
        if 200 <= status < 300:
            return redirect(done(answer), 303)
        if status == 503 or answer is None:
            return self.unavailable()
        return failed_status(status), answer

    def upload(self, service: str, path: str, filename: str, data: bytes, fields: dict[str, str]) -> tuple[int, Any]:
        account = self.account
        assert account is not None, "a page calls the services only for a signed-in account"
        return self.web.backend.upload(account, service, path, filename, data, fields)


# the documents the pages hand out, by format: the type is the page's, never what a service's answer said
MEDIA_TYPES = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
               "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def attachment(content: bytes, format_name: str, filename: str) -> Response:
    """A document (`format_name` one of MEDIA_TYPES) to download under `filename`, a name the page made of codes
    and numbers: a service's Content-Type and file name are not passed on (a line break in the name was a 500,
    a text/html type a page of the service's making served from this site)."""
    return Response(content, status=200, content_type=MEDIA_TYPES[format_name],
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def client_address(peer: str | None, forwarded_for: str | None, trusted_proxies: int) -> str:
    """Who sent the request, for the sign-in throttle and the audit. Behind `trusted_proxies` proxies that each
    append the address they were reached from, the client is that many entries from the end of X-Forwarded-For
    (what the client wrote itself comes before and is not believed); with none, or a header too short (the
    request did not come through them), the connection's own address."""
    hops = [part.strip() for part in (forwarded_for or "").split(",")] if trusted_proxies > 0 else []
    chosen = hops[-trusted_proxies] if len(hops) >= trusted_proxies > 0 and hops[-trusted_proxies] else peer
    return (chosen or "unknown")[:64]


def service_message(answer: Any, fallback: str) -> str:
    """The Vietnamese message of a service's JSON error, or `fallback`."""
    if isinstance(answer, dict) and isinstance(answer.get("error"), dict):
        message = answer["error"].get("message")
        if isinstance(message, str) and message:
            return message
    return fallback


def failed_status(status: int) -> int:
    """The page's status after a service refused or failed: its 4xx, or 502 for anything else."""
    return status if 400 <= status < 500 else 502

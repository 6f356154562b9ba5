"""Signing in through the province's OpenID Connect provider (when configured): `/dang-nhap/oidc` sends the browser
to the provider with PKCE, state and nonce kept in its session; `/dang-nhap/oidc/callback` verifies the answer
(services/web/oidc.py), finds the local account the preferred_username claim names, asks for the TOTP code where
the account needs one, and starts a new session. An unknown person is refused; nothing is created."""
from __future__ import annotations

import hmac

import sqlalchemy as sa
from werkzeug.utils import redirect
from werkzeug.wrappers import Response

from services.common.config import env
from services.web import accounts, oidc
from services.web.models import Account
from services.web.page import NavLink, Page, Route
from services.web.pages.signing import count

CALLBACK = "/dang-nhap/oidc/callback"
UNKNOWN = ("Tài khoản định danh của tỉnh chưa được gắn với tài khoản nào trên Bình Đẳng. Vui lòng liên hệ công chức "
           "văn hoá - xã hội của xã hoặc quản trị hệ thống.")


def _refused(page: Page, message: str, detail: str, username: str | None = None, status: int = 401) -> Response:
    count("locked" if message == accounts.LOCKED else "refused")
    accounts.audit(page.db, page.now, "oidc_refused", username, page.address, actor=detail[:64])
    page.rotate(None)  # a fresh anonymous session: nothing of the failed attempt stays usable
    return page.render("sign_in.html", status=status, title="Đăng nhập", error=message, username="")


def _redirect_uri(page: Page) -> str:
    """The callback's address: under PUBLIC_URL (behind the proxy, where TLS ends), else as the browser asked."""
    public = (env("PUBLIC_URL", page.web.config.values) or "").strip().rstrip("/")
    return (public or page.request.host_url.rstrip("/")) + CALLBACK


def start(page: Page) -> Response:
    config = oidc.oidc_config(page.web.config.values)
    if config is None:
        return page.not_found()
    try:
        started = oidc.start(config, _redirect_uri(page))
    except oidc.OidcRefused as refused:
        accounts.audit(page.db, page.now, "oidc_refused", None, page.address, actor=refused.detail[:64])
        page.ensure_session()  # the password form's CSRF token
        return page.render("sign_in.html", status=503, title="Đăng nhập", error=str(refused), username="")
    row = page.ensure_session()
    row.oidc_state, row.oidc_nonce, row.oidc_verifier = started.state, started.nonce, started.code_verifier
    return redirect(started.url, 303)


def callback(page: Page) -> Response:
    config = oidc.oidc_config(page.web.config.values)
    if config is None:
        return page.not_found()
    row, args = page.row, page.request.args
    if row is None or not row.oidc_state or not row.oidc_nonce or not row.oidc_verifier:
        return _refused(page, oidc.REFUSED, "no sign-in under way", status=400)
    state, nonce, verifier = row.oidc_state, row.oidc_nonce, row.oidc_verifier
    row.oidc_state = row.oidc_nonce = row.oidc_verifier = None  # one answer per sign-in started
    if not hmac.compare_digest(args.get("state", ""), state):
        return _refused(page, oidc.REFUSED, "state differs", status=400)
    if args.get("error") or not args.get("code"):
        return _refused(page, oidc.REFUSED, f"provider: {args.get('error', 'no code')}")
    try:
        claims = oidc.finish(config, _redirect_uri(page), args["code"], verifier, nonce)
    except oidc.OidcRefused as refused:
        return _refused(page, str(refused), refused.detail)
    username = claims.get(oidc.USERNAME_CLAIM)
    account = page.db.scalar(sa.select(Account).where(Account.username == username)) \
        if isinstance(username, str) and username else None
    if account is None or account.disabled_at is not None:  # a disabled account is refused as an unknown one
        return _refused(page, UNKNOWN, "no local account or disabled")
    if account.locked_until is not None and account.locked_until > page.now:
        return _refused(page, accounts.LOCKED, "account locked", account.username)
    accounts.audit(page.db, page.now, "oidc_verified", account.username, page.address, actor=config.issuer[:64])
    if accounts.needs_second_factor(account):
        count("second_factor_asked")
        page.rotate(account, second_factor_pending=True)
        return redirect("/dang-nhap/ma-xac-thuc", 303)
    accounts.succeeded(page.db, account, page.address, page.now)
    count("signed_in")
    page.rotate(account)
    return redirect("/", 303)


ROUTES = [Route("/dang-nhap/oidc", start), Route(CALLBACK, callback)]
NAV: list[NavLink] = []

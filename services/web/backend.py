"""The four services, as the web reaches them: their public HTTP APIs, with a short-lived token of the signed-in
person (so the pages have no path into any database but the web's own accounts)."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from services.common.auth import mint_token
from services.common.config import SERVICE_NAMES, port_of, value_of
from services.common.token_keys import SigningKey
from services.processes import http_json
from services.web.models import Account

# A token minted for one page's calls: long enough for them, short enough to be worthless if it leaks.
TOKEN_SECONDS = 300


def service_urls(config: Mapping[str, str | None]) -> dict[str, str]:
    """WEB_API_URLS (plans=http://...,cases=...) over http://HTTP_HOST:<SERVICE>_PORT for each service."""
    host = value_of("HTTP_HOST", config)
    urls = {name: f"http://{host}:{port_of(name, dict(config))}" for name in SERVICE_NAMES}
    for pair in (config.get("WEB_API_URLS") or "").split(","):
        name, _, url = pair.partition("=")
        if name.strip() in urls and url.strip():
            urls[name.strip()] = url.strip().rstrip("/")
    return urls


class Backend:
    def __init__(self, urls: Mapping[str, str], signer: SigningKey, issuer: str):
        self.urls, self.signer, self.issuer = dict(urls), signer, issuer

    def token_for(self, account: Account) -> str:
        return mint_token(self.signer, subject=account.username, role=account.role, commune=account.commune,
                          unit=account.unit, province=account.province, issuer=self.issuer,
                          ttl_seconds=TOKEN_SECONDS)

    def get(self, account: Account, service: str, path: str) -> tuple[int, Any]:
        return self.call(account, "GET", service, path)

    def call(self, account: Account, method: str, service: str, path: str, body: Any = None,
             headers: dict[str, str] | None = None) -> tuple[int, Any]:
        """(status, JSON body) of a call to a service as `account`; 503 when the service cannot be reached."""
        try:
            return http_json(method, self.urls[service] + path, body, token=self.token_for(account), headers=headers)
        except OSError:
            return 503, None

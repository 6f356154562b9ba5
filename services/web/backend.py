"""The four services, as the web reaches them: their public HTTP APIs, with a short-lived token of the signed-in
person (so the pages have no path into any database but the web's own accounts)."""
from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from werkzeug.http import parse_options_header

from services.common.auth import mint_token
from services.common.config import SERVICE_NAMES, port_of, value_of
from services.common.token_keys import SigningKey
from services.processes import http_json, http_upload
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


@dataclass(frozen=True)
class Download:
    """A file a service answered with: its bytes, media type and the file name it gave (Content-Disposition)."""
    status: int
    content: bytes
    media_type: str
    filename: str | None


# a stored report document is a few hundred KB; anything far larger is not what the pages expect
MAX_DOWNLOAD_BYTES = 32 * 1024 * 1024


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

    def download(self, account: Account, service: str, path: str) -> Download:
        """A file (a report's DOCX, XLSX) fetched from a service as `account`; status 503 when the service cannot
        be reached, and the service's status with no content when it refuses."""
        request = urllib.request.Request(self.urls[service] + path, method="GET",
                                         headers={"Authorization": f"Bearer {self.token_for(account)}"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                content = response.read(MAX_DOWNLOAD_BYTES + 1)
                if len(content) > MAX_DOWNLOAD_BYTES:
                    return Download(502, b"", "", None)
                return Download(response.status, content,
                                response.headers.get("Content-Type", "application/octet-stream"),
                                _filename(response.headers.get("Content-Disposition", "")))
        except urllib.error.HTTPError as error:
            error.close()
            return Download(error.code, b"", "", None)
        except OSError:
            return Download(503, b"", "", None)

    def upload(self, account: Account, service: str, path: str, filename: str, data: bytes,
               fields: dict[str, str]) -> tuple[int, Any]:
        """(status, JSON body) of a multipart upload (the file and form fields) to a service as `account`."""
        try:
            return http_upload(self.urls[service] + path, filename, data, fields, token=self.token_for(account))
        except OSError:
            return 503, None


def _filename(disposition: str) -> str | None:
    """The file name of a Content-Disposition; its UTF-8 form (`filename*`, RFC 6266) over the ASCII fallback."""
    return parse_options_header(disposition)[1].get("filename") or None

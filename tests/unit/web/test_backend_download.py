"""Backend.download: a service's document as it came (type, bytes, file name), a refusal's status, or 503."""
import json
from http.server import BaseHTTPRequestHandler

import jwt
import pytest

from services.common.token_keys import DEVELOPMENT_SIGNING_KEY
from services.web.backend import Backend, Download
from services.web.models import Account
from tests.support.local_servers import serving
from tests.support.service_http import free_port

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BODY = b"PK\x03\x04\x00\xff binary"


class _Reporting(BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_GET(self):  # noqa: N802 (the standard library's name)
        _Reporting.seen.append(self.headers.get("Authorization", ""))
        if self.path == "/v1/provinces/24/years/2026/summary/xlsx":
            self.send_response(200)
            self.send_header("Content-Type", XLSX)
            self.send_header("Content-Disposition", 'attachment; filename="tong-hop-24-2026.xlsx"')
            self.end_headers()
            self.wfile.write(BODY)
            return
        body = json.dumps({"error": {"code": "province_not_found", "message": "Không tìm thấy."}}).encode()
        self.send_response(404)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def reporting():
    with serving(_Reporting) as url:
        yield url


OFFICER = Account(username="so-noi-vu", display_name="Sở Nội vụ", role="province_officer", province="24")


def test_a_document_comes_whole_with_its_type_and_name_under_the_accounts_token(reporting):
    backend = Backend({"reporting": reporting}, DEVELOPMENT_SIGNING_KEY, "binhdang-web")
    assert backend.download(OFFICER, "reporting", "/v1/provinces/24/years/2026/summary/xlsx") == Download(
        200, BODY, XLSX, "tong-hop-24-2026.xlsx")
    claims = jwt.decode(_Reporting.seen[-1].removeprefix("Bearer "), options={"verify_signature": False})
    assert (claims["sub"], claims["role"], claims["province"]) == ("so-noi-vu", "province_officer", "24")


def test_a_refusal_is_the_services_answer_and_an_absent_service_is_503(reporting):
    backend = Backend({"reporting": reporting, "plans": f"http://127.0.0.1:{free_port()}"},
                      DEVELOPMENT_SIGNING_KEY, "binhdang-web")
    assert backend.download(OFFICER, "reporting", "/v1/provinces/01/years/2026/x") == Download(404, b"", "", None)
    assert backend.download(OFFICER, "plans", "/anything") == Download(503, b"", "", None)

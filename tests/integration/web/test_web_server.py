"""`binhdang run web` as a process, attacked over raw sockets: the same protections as the services' API servers
(half-sent requests closed, connections over the limit refused, too large a form refused without a 500), and its
metrics on a port of their own."""
import os
import time

import pytest
import requests

from services.processes import ServiceProcesses
from tests.support.raw_http import connect, read_until_closed
from tests.support.service_http import free_ports

pytestmark = pytest.mark.integration

LIMITS = {"HTTP_HEADER_TIMEOUT_SECONDS": "1", "HTTP_IDLE_TIMEOUT_SECONDS": "2", "HTTP_IO_TIMEOUT_SECONDS": "2",
          "HTTP_MAX_CONNECTIONS": "20", "WEB_MAX_BODY_MB": "1"}


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    base = tmp_path_factory.mktemp("web-server")
    environ = dict(os.environ, DATA_DIR=str(base), LOG_FORMAT="json", **free_ports("web"), **LIMITS)
    environ.pop("WEB_DATABASE_URL", None)
    processes = ServiceProcesses(environ, base / "logs", services=("web",))
    processes.start()
    yield processes
    processes.stop()


def address(web) -> tuple[str, int]:
    host, port = web.url("web").removeprefix("http://").split(":")
    return host, int(port)


def test_half_sent_requests_are_closed_and_the_pages_answer_meanwhile(web):
    started = time.monotonic()
    unfinished = [connect(address(web), b"GET /dang-nhap HTTP/1.1\r\nHost: x\r\nX-Slow: 1\r\n") for _ in range(8)]
    silent = [connect(address(web)) for _ in range(4)]
    assert requests.get(web.url("web") + "/dang-nhap", timeout=10).status_code == 200
    for sock in unfinished:
        assert read_until_closed(sock, timeout=5).startswith(b"HTTP/1.1 408")
    for sock in silent:
        read_until_closed(sock, timeout=5)
    assert time.monotonic() - started < 7


def test_connections_over_the_limit_are_refused_and_the_web_recovers(web):
    held = [connect(address(web)) for _ in range(20)]
    time.sleep(0.3)  # the server has accepted them all
    extra = connect(address(web))
    assert read_until_closed(extra, timeout=5).startswith(b"HTTP/1.1 503")
    for sock in held:
        sock.close()
    time.sleep(0.3)
    assert requests.get(web.url("web") + "/health", timeout=10).status_code == 200


def test_a_form_over_the_size_limit_is_a_413_page_and_the_rest_is_not_read(web):
    browser = requests.Session()
    browser.get(web.url("web") + "/dang-nhap", timeout=10)  # a session cookie, so that the form is a real one
    answer = browser.post(web.url("web") + "/dang-nhap", files={"file": ("a.bin", b"x" * (2 * 2**20))},
                          data={"username": "a"}, timeout=30)
    assert answer.status_code == 413
    assert "quá lớn" in answer.text
    assert answer.headers["Cache-Control"] == "no-store"


def test_metrics_are_on_their_own_port_and_count_pages_by_route_not_by_value(web):
    requests.get(web.url("web") + "/dang-nhap", timeout=10)
    requests.get(web.url("web") + "/khong-co-ma-12345", timeout=10)
    assert requests.get(web.url("web") + "/metrics", timeout=10).status_code == 404  # not on the pages' port
    exposed = requests.get(web.metrics_url("web"), timeout=10).text
    assert 'binhdang_web_requests_total{method="GET",route="/dang-nhap",status="2xx"}' in exposed
    assert 'route="unmatched"' in exposed
    assert "12345" not in exposed  # a path that matched no route is never a label
    assert "binhdang_http_open_connections" in exposed


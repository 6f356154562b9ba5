"""The HTTP server under attack, over real sockets: half-sent and idle connections, too many of them,
huge declared bodies without a token, chunked bodies, and the socket options of accepted connections."""
import json
import socket
import time
import uuid
from pathlib import Path

import pytest

from services.plans.service import PlansService
from tests.support import raw_http
from tests.support.plan_documents import COMMUNE, DIRECTORY
from tests.support.raw_http import read_until_closed
from tests.support.service_http import refusal, start_service, token

pytestmark = pytest.mark.integration

OFFICER = token("commune_officer", COMMUNE)
LIMITS = {"HTTP_HEADER_TIMEOUT_SECONDS": "1", "HTTP_IDLE_TIMEOUT_SECONDS": "2", "HTTP_IO_TIMEOUT_SECONDS": "2",
          "HTTP_MAX_CONNECTIONS": "30"}


@pytest.fixture
def plans_service(container_factory, postgres, amqp_uri, tmp_path):
    return start_service(container_factory, PlansService, postgres.create("plans"), amqp_uri, tmp_path, **LIMITS)


@pytest.fixture
def plans(plans_service):
    return plans_service[1]


def address(api) -> tuple[str, int]:
    host, port = api.base.removeprefix("http://").split(":")
    return host, int(port)


def connect(api, sent: bytes = b"") -> socket.socket:
    return raw_http.connect(address(api), sent)


def test_half_sent_requests_are_closed_and_health_answers_meanwhile(plans):
    started = time.monotonic()
    headers_unfinished = [connect(plans, b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: 1\r\n") for _ in range(10)]
    line_unfinished = [connect(plans, b"GET /hea") for _ in range(5)]
    silent = [connect(plans) for _ in range(5)]
    assert plans.call("GET", "/health").status_code == 200  # 20 held connections do not stop the service
    for sock in headers_unfinished:
        assert read_until_closed(sock, timeout=5).startswith(b"HTTP/1.1 408")
    for sock in line_unfinished + silent:
        read_until_closed(sock, timeout=5)
    assert time.monotonic() - started < 6  # header time-out 1 s, idle time-out 2 s
    assert plans.call("GET", "/health").status_code == 200


def test_a_header_sent_a_byte_at_a_time_does_not_hold_the_connection(plans):
    sock = connect(plans, b"GET /health HTTP/1.1\r\n")
    sock.settimeout(0.2)
    started = time.monotonic()
    with pytest.raises((BrokenPipeError, ConnectionResetError)):  # the server closes it mid-trickle
        for _ in range(100):
            sock.sendall(b"X")  # each byte well within any per-read time-out
            time.sleep(0.1)
            try:
                if sock.recv(1024) == b"":
                    raise ConnectionResetError
            except TimeoutError:
                pass
    assert time.monotonic() - started < 4


def test_connections_over_the_limit_are_refused_and_the_service_recovers(plans_service):
    container, plans = plans_service
    held = [connect(plans) for _ in range(30)]
    time.sleep(0.3)  # all accepted
    extra = [connect(plans) for _ in range(5)]
    for sock in extra:
        assert read_until_closed(sock, timeout=2).startswith(b"HTTP/1.1 503")
    for sock in held:  # closed by the idle time-out
        read_until_closed(sock, timeout=5)
    assert plans.call("GET", "/health").status_code == 200


def test_accepted_connections_have_nagle_off(plans_service):
    container, plans = plans_service
    [server] = {entrypoint.server for entrypoint in container.entrypoints if hasattr(entrypoint, "server")
                and entrypoint.server.purpose == "api"}
    options = []
    serve = server.process_request

    def recording(sock, address):
        options.append(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
        return serve(sock, address)

    server.process_request = recording
    assert plans.call("GET", "/health").status_code == 200
    assert options and all(options)


def huge_request(path: str, content_type: str, authorization: str | None = None) -> bytes:
    head = [f"POST {path} HTTP/1.1", "Host: x", f"Content-Type: {content_type}", "Content-Length: 2147483648"]
    if authorization:
        head.append(f"Authorization: {authorization}")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + b"{" * 1000


@pytest.mark.parametrize("authorization", [None, "Bearer not-a-token"])
@pytest.mark.parametrize("path, content_type", [
    ("/v1/plans", "application/json"),
    ("/v1/plans/import", "multipart/form-data; boundary=x"),
])
def test_a_2gb_body_without_a_valid_token_is_refused_without_reading_it(plans, path, content_type, authorization):
    sock = connect(plans, huge_request(path, content_type, authorization))
    started = time.monotonic()
    answer = read_until_closed(sock, timeout=3)  # the server does not wait for (or read) the 2 GB
    assert answer.startswith(b"HTTP/1.1 401")
    assert b"connection: close" in answer.lower()
    assert time.monotonic() - started < 3


def test_a_body_declared_too_large_is_refused_with_413_before_it_is_read(plans):
    sock = connect(plans, huge_request("/v1/plans", "application/json", f"Bearer {OFFICER}"))
    answer = read_until_closed(sock, timeout=3)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413")
    assert json.loads(body)["error"]["code"] == "payload_too_large"


def chunks(data: bytes, size: int = 7):
    for start in range(0, len(data), size):
        yield data[start:start + size]


UNIT = DIRECTORY[0]
SEED = Path(__file__).resolve().parents[2] / "samples" / "ke-hoach-binh-dang-gioi-2026-son-hai.txt"


def test_a_chunked_json_body_is_read(plans):
    body = json.dumps(UNIT, ensure_ascii=False).encode()
    response = plans.call("POST", f"/v1/communes/{COMMUNE}/units", OFFICER, data=chunks(body),
                          headers={"Content-Type": "application/json"})
    assert response.request.headers.get("Transfer-Encoding") == "chunked"
    assert response.status_code == 201, response.text
    assert response.json()["code"] == "VHXH"


def test_a_chunked_json_body_over_the_limit_is_refused_with_413(plans):
    too_long = b'{"code": "' + b"x" * (1024 * 1024 + 10) + b'"}'
    response = plans.call("POST", f"/v1/communes/{COMMUNE}/units", OFFICER, data=chunks(too_long, 65536),
                          headers={"Content-Type": "application/json"})
    assert refusal(response) == (413, "payload_too_large")


def test_a_chunked_upload_is_read(plans):
    boundary = uuid.uuid4().hex
    document = SEED.read_bytes()
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"commune_code\"\r\n\r\n{COMMUNE}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"dry_run\"\r\n\r\ntrue\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"ke-hoach.txt\"\r\n"
            f"Content-Type: text/plain\r\n\r\n").encode() + document + f"\r\n--{boundary}--\r\n".encode()
    response = plans.call("POST", "/v1/plans/import", OFFICER, data=chunks(body, 64),
                          headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert response.request.headers.get("Transfer-Encoding") == "chunked"
    assert response.status_code == 200, response.text  # a dry run of the whole seed document
    assert len(response.json()["warnings"]) > 5  # what the seed's reading finds (a missing number, ...)

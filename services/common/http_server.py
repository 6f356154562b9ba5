"""The services' HTTP server: nameko's WebServer (eventlet.wsgi) made fit to face a network.

Nameko's server waits forever for a request's headers, accepts connections without limit, stops
accepting on the first error of `accept()` (EMFILE when out of file descriptors ends the process),
reads a body nobody asked for to keep a connection alive (2 GB for a 401), reads chunked bodies as
empty, and writes a response's headers and body in two packets with Nagle's algorithm on. Here:

- the request line must arrive within the idle time-out (also how long a kept-alive connection may
  wait for its next request), and the headers within the header time-out after it, or the
  connection is closed (408); each read of a body and each write waits at most the I/O time-out;
- at most `max_connections` connections per server; more are answered 503 and closed at once;
- an `accept()` that fails is logged and retried after a growing pause, never fatal;
- accepted sockets get TCP_NODELAY;
- a body the application did not read is not read afterwards: the connection is closed instead;
- chunked request bodies reach the application (eventlet's input ends them; werkzeug may read them);
- every response carries the protective headers (`PROTECTIVE_HEADERS`), errors of routing are JSON.

`JsonWebServer` serves the API on WEB_SERVER_ADDRESS; `MetricsWebServer` serves /metrics alone on
METRICS_SERVER_ADDRESS, a port that only the monitoring network reaches.
"""
from __future__ import annotations

import errno
import logging
import socket
from dataclasses import dataclass
from functools import partial
from typing import Any

import eventlet
from eventlet import wsgi
from nameko.web.server import HttpOnlyProtocol, WebServer, WsgiApp, parse_address
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.wrappers import Request, Response

from services.common import metrics
from services.common.config import value_of
from services.common.errors import error_body, json_dumps

log = logging.getLogger("binhdang.http")

JSON_TYPE = "application/json; charset=utf-8"

# Sent on every response. The API serves JSON and documents, never pages to run: no source of
# anything, no framing, no sniffing a type other than the one declared, no Referer to leak ids.
# `no-store` because answers carry victims' and officers' data; a response that may be cached says so.
PROTECTIVE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    "X-Frame-Options": "DENY",
}
NO_STORE = "no-store"

# Errors of accept() that pass: out of descriptors or memory (wait for some to be released), or a
# connection that went away before it was accepted.
ACCEPT_RESOURCE_ERRORS = frozenset({errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM})
ACCEPT_BACKOFF_SECONDS = (0.05, 1.0)  # the first pause after a failed accept(), and the longest

RESPONSE_408 = b"HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
RESPONSE_503 = (b"HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 5\r\n"
                b"Content-Length: 0\r\n\r\n")


@dataclass(frozen=True)
class ServerLimits:
    header_seconds: float  # from the request line to the end of the headers
    idle_seconds: float  # waiting for a request line (a new connection's, or a kept-alive one's next)
    io_seconds: float  # each read of a body and each write of a response
    max_connections: int

    @classmethod
    def from_config(cls, config) -> ServerLimits:
        return cls(header_seconds=float(value_of("HTTP_HEADER_TIMEOUT_SECONDS", config)),
                   idle_seconds=float(value_of("HTTP_IDLE_TIMEOUT_SECONDS", config)),
                   io_seconds=float(value_of("HTTP_IO_TIMEOUT_SECONDS", config)),
                   max_connections=int(value_of("HTTP_MAX_CONNECTIONS", config)))


class TimedServer(wsgi.Server):
    """eventlet's server with the limits its protocol reads."""

    def __init__(self, *args, limits: ServerLimits, **kwargs):
        super().__init__(*args, keepalive=limits.idle_seconds, socket_timeout=limits.io_seconds, **kwargs)
        self.limits = limits

    def get_environ(self):
        environ = super().get_environ()
        # eventlet's input ends a chunked body at its last chunk and a sized one at its length:
        # werkzeug may read it (without this flag it reads a chunked body as empty).
        environ["wsgi.input_terminated"] = True
        return environ


class GuardedProtocol(HttpOnlyProtocol):
    server: TimedServer
    application: Any

    def _read_request_line(self):
        # eventlet's keep-alive time-out applies to each read; a line sent a byte at a time would
        # never end. The whole line within the idle time-out, or the connection is closed.
        line = ""
        with eventlet.Timeout(self.server.limits.idle_seconds, False):
            line = super()._read_request_line()
        return line

    def parse_request(self):
        parsed = None
        with eventlet.Timeout(self.server.limits.header_seconds, False):
            parsed = super().parse_request()
        if parsed is None:
            log.info("closed a connection whose headers did not arrive in time")
            self.close_connection = True
            self.wfile.write(RESPONSE_408)
            return False
        return parsed

    def handle_one_response(self):
        application = self.application

        def unread_body_closes(environ, start_response):
            result = application(environ, start_response)
            # eventlet would read (and drop) the rest of the body to keep the connection: for a
            # refused 2 GB upload, 2 GB. Close the connection instead.
            if not _body_read(environ["eventlet.input"]):
                self.close_connection = True
            return result

        self.application = unread_body_closes
        super().handle_one_response()


def _body_read(request_input) -> bool:
    if request_input.chunked_input:
        return request_input.chunk_length == 0  # the last (empty) chunk was read
    return request_input.position >= (request_input.content_length or 0)


class RoutedRequest(Request):
    """A request with the values its route matched (nameko's handlers read `path_values`)."""
    path_values: dict[str, Any]


class JsonWsgiApp(WsgiApp):
    """Routes to the endpoints; unknown routes and methods get JSON; every response the protective headers."""

    def __call__(self, environ, start_response):
        request = RoutedRequest(environ, shallow=True)
        adapter = self.url_map.bind_to_environ(environ)
        try:
            provider, values = adapter.match()
            request.path_values = values
            response = provider.handle_request(request)
        except HTTPException as exc:
            status = exc.code or 400
            code = {404: "not_found", 405: "method_not_allowed"}.get(status, "http_error")
            message = {404: "Không tìm thấy đường dẫn.", 405: "Phương thức không được hỗ trợ."}.get(status, exc.name)
            response = Response(json_dumps(error_body(status, code, message)), status=status,
                                content_type=JSON_TYPE)
            if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
                response.headers["Allow"] = ", ".join(exc.valid_methods)
        protect(response)
        return response(environ, start_response)


def protect(response: Response) -> None:
    for name, value in PROTECTIVE_HEADERS.items():
        response.headers[name] = value
    response.headers.setdefault("Cache-Control", NO_STORE)


class JsonWebServer(WebServer):
    """The API's server (WEB_SERVER_ADDRESS)."""

    address_key = "WEB_SERVER_ADDRESS"
    purpose = "api"  # the server's label in the metrics

    def __init__(self):
        super().__init__()
        self.open_connections = 0
        self.limits: ServerLimits | None = None

    @property
    def bind_addr(self):
        return parse_address(self.container.config.get(self.address_key, "127.0.0.1:8000"))

    def get_wsgi_app(self):
        return JsonWsgiApp(self)

    def get_wsgi_server(self, sock, wsgi_app, protocol=GuardedProtocol, debug=False):
        self.limits = ServerLimits.from_config(self.container.config)
        return TimedServer(sock, sock.getsockname(), wsgi_app, protocol=protocol, debug=debug,
                           log=logging.getLogger("nameko.web.server"), limits=self.limits)

    def run(self):
        accept_connections(self._sock, lambda: self._is_accepting, self.accepted, self._service, self.purpose)

    def accepted(self, sock, address) -> None:
        assert self.limits is not None
        if self.open_connections >= self.limits.max_connections:
            metrics.HTTP_CONNECTIONS_REFUSED.labels(self._service, self.purpose).inc()
            refuse(sock)
            return
        configure_socket(sock, self.limits)
        self.open_connections += 1
        metrics.HTTP_OPEN_CONNECTIONS.labels(self._service, self.purpose).set(self.open_connections)
        self.container.spawn_managed_thread(partial(self.serve, sock, address))

    def serve(self, sock, address) -> None:
        try:
            self.process_request(sock, address)
        except Exception as exc:  # a connection's failure must not reach the container (which would stop)
            log.warning("connection ended by %s", type(exc).__name__)
            sock.close()
        finally:
            self.open_connections -= 1
            metrics.HTTP_OPEN_CONNECTIONS.labels(self._service, self.purpose).set(self.open_connections)

    @property
    def _service(self) -> str:
        return self.container.service_name


def accept_connections(listener, accepting, accepted, service: str, purpose: str) -> None:
    """Accept connections while `accepting()`, handing each to `accepted(sock, address)`. A failed accept() is
    logged, counted and retried after a growing pause: it never ends the loop."""
    pause = ACCEPT_BACKOFF_SECONDS[0]
    while accepting():
        try:
            sock, address = listener.accept()
        except OSError as exc:
            if not accepting():
                return
            # out of descriptors (or memory): the connections being served release some
            log.warning("accept() failed: %s; accepting again in %.2f s",
                        errno.errorcode.get(exc.errno or 0, type(exc).__name__), pause)
            metrics.HTTP_ACCEPT_ERRORS.labels(service, purpose).inc()
            eventlet.sleep(pause)
            pause = min(pause * 2, ACCEPT_BACKOFF_SECONDS[1])
            continue
        pause = ACCEPT_BACKOFF_SECONDS[0]
        accepted(sock, address)


def configure_socket(sock, limits: ServerLimits) -> None:
    # A response's headers and body are two writes; with Nagle's algorithm the body waits for the
    # client's delayed ACK (~40 ms on keep-alive connections).
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.settimeout(limits.io_seconds)


def refuse(sock) -> None:
    """Answer 503 without waiting on the client, and close."""
    try:
        sock.setblocking(False)
        sock.send(RESPONSE_503)
    except OSError:
        pass
    finally:
        sock.close()


class MetricsWebServer(JsonWebServer):
    """/metrics on a port of its own (METRICS_SERVER_ADDRESS), for the monitoring network only."""

    address_key = "METRICS_SERVER_ADDRESS"
    purpose = "metrics"

"""`binhdang run web`: the web pages on eventlet's WSGI server, with the services' protections against a network
(services/common/http_server.py): time-outs for the request line, the headers, each read and write; at most
HTTP_MAX_CONNECTIONS connections (more are answered 503); an accept() that fails is never fatal; an unread body
closes the connection. /metrics is served on WEB_METRICS_PORT, for the monitoring network only."""
from __future__ import annotations

import logging

import eventlet
from eventlet import wsgi
from werkzeug.wrappers import Request, Response

from services.common import metrics
from services.common.config import as_bool, metrics_port_setting, value_of
from services.common.http_server import (
    GuardedProtocol,
    ServerLimits,
    TimedServer,
    accept_connections,
    configure_socket,
    refuse,
)
from services.common.production import UnsafeConfiguration, web_problems
from services.common.token_keys import signing_key
from services.web.app import WebApp, migrate
from services.web.config import web_config

log = logging.getLogger("binhdang.web")
SERVICE = "web"


def metrics_app(environ, start_response):
    """/metrics, and nothing else."""
    if Request(environ).path != "/metrics":
        return Response("", status=404)(environ, start_response)
    status, headers, body = metrics.render_metrics()
    return Response(body, status=status, headers=headers)(environ, start_response)


class GuardedServer:
    """One listening socket served by a TimedServer, a green thread per connection up to the limit."""

    def __init__(self, address: tuple[str, int], app, limits: ServerLimits, purpose: str):
        self.listener = eventlet.listen(address)
        self.limits, self.purpose = limits, purpose
        self.server = TimedServer(self.listener, self.listener.getsockname(), app, protocol=GuardedProtocol,
                                  log=log, log_output=False, limits=limits)
        self.pool = eventlet.GreenPool(limits.max_connections)

    def accepted(self, sock, address) -> None:
        if self.pool.free() == 0:
            metrics.HTTP_CONNECTIONS_REFUSED.labels(SERVICE, self.purpose).inc()
            refuse(sock)
            return
        configure_socket(sock, self.limits)
        self.pool.spawn_n(self.serve, sock, address)

    def serve(self, sock, address) -> None:
        metrics.HTTP_OPEN_CONNECTIONS.labels(SERVICE, self.purpose).set(self.limits.max_connections - self.pool.free())
        try:
            self.server.process_request([address, sock, wsgi.STATE_IDLE])
        except Exception as exc:  # one connection's failure must not end the server
            log.warning("connection ended by %s", type(exc).__name__)
            sock.close()

    def run(self) -> None:
        accept_connections(self.listener, lambda: True, self.accepted, SERVICE, self.purpose)


def serve() -> None:
    config = web_config()
    signing_key(config.values)  # refuses a missing or development key in production, before listening
    if config.production and (problems := web_problems(config.values)):
        raise UnsafeConfiguration(f"web: ENVIRONMENT=production refuses: {'; '.join(problems)}")
    if config.production and not config.values.get("WEB_DATABASE_URL"):
        log.warning("WEB_DATABASE_URL is not set: accounts are kept in a SQLite file under DATA_DIR")
    if as_bool(value_of("AUTO_MIGRATE", config.values)):
        migrate(config)
    limits = ServerLimits.from_config(config.values)
    metrics_port = int(value_of(metrics_port_setting(SERVICE), config.values))
    pages = GuardedServer((config.host, config.port), WebApp(config), limits, "api")
    monitoring = GuardedServer((config.host, metrics_port), metrics_app, limits, "metrics")
    log.info("starting", extra={"http": f"{config.host}:{config.port}", "metrics": f"{config.host}:{metrics_port}"})
    eventlet.spawn_n(monitoring.run)
    pages.run()

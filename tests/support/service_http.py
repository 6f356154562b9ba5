"""Run one service in-process (nameko container) on a free port and call it over real HTTP."""
from __future__ import annotations

import socket
from dataclasses import dataclass, field

import requests

from services.common.auth import mint_token
from services.common.clock import FixedClock
from services.common.config import metrics_port_setting, nameko_config, port_setting
from services.common.providers import ClockProvider
from services.common.token_keys import DEVELOPMENT_SIGNING_KEY


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def free_ports(*services: str) -> dict[str, str]:
    """Free HTTP and metrics ports for services run as processes (<SERVICE>_PORT, <SERVICE>_METRICS_PORT),
    so that two test runs on one machine (or a demo) do not collide."""
    ports = {}
    for service in services:
        ports[port_setting(service)] = str(free_port())
        ports[metrics_port_setting(service)] = str(free_port())
    return ports


def token(role: str, commune: str | None = None, unit: str | None = None, subject: str = "tester",
          province: str | None = None) -> str:
    return mint_token(DEVELOPMENT_SIGNING_KEY, subject=subject, role=role, commune=commune, unit=unit,
                      province=province)


@dataclass
class Api:
    base: str
    session: requests.Session = field(default_factory=requests.Session)

    def call(self, method: str, path: str, token: str | None = None, **kwargs) -> requests.Response:
        headers = dict(kwargs.pop("headers", {}) or {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return self.session.request(method, self.base + path, headers=headers, timeout=30, **kwargs)


def refusal(response: requests.Response) -> tuple[int, str | None]:
    """A refused request's status and error code, to assert both at once."""
    try:
        return response.status_code, response.json().get("error", {}).get("code")
    except ValueError:  # not JSON
        return response.status_code, None


def service_config(service: str, port: int, amqp_uri: str, data_dir, database_url: str | None = None,
                   **settings: str) -> dict:
    """The nameko config of one service for a test: its port (and a free metrics port), broker, data dir,
    and any other settings."""
    environ = {"DATA_DIR": str(data_dir), "AMQP_URI": amqp_uri, port_setting(service): str(port),
               metrics_port_setting(service): str(free_port()), "LOG_FORMAT": "text", **settings}
    if database_url:
        environ["DATABASE_URL"] = database_url
    return nameko_config(service, environ)


def start_service(container_factory, service_cls, database_url: str, amqp_uri: str, tmp_path, clock=None,
                  **settings: str):
    port = free_port()
    config = service_config(service_cls.name, port, amqp_uri, tmp_path, database_url,
                            **{"OUTBOX_POLL_SECONDS": "0.1", "RETRY_DELAYS_SECONDS": "0.2", **settings})
    container = container_factory(service_cls, config)
    if clock is not None:
        for dependency in container.dependencies:
            if isinstance(dependency, ClockProvider):
                dependency.clock = clock
    container.start()
    return container, Api(f"http://127.0.0.1:{port}")


def metrics_url(container) -> str:
    """Where a started service container serves /metrics."""
    return f"http://{container.config['METRICS_SERVER_ADDRESS']}/metrics"


__all__ = ["Api", "FixedClock", "free_port", "free_ports", "metrics_url", "refusal", "start_service", "token"]

"""What every service class has: metrics, correlation, clock, config, and the operational endpoints.

Subclasses set `name` and `db = Database(...)`.
"""
from __future__ import annotations

import logging

import sqlalchemy as sa
from nameko.dependency_providers import Config
from pydantic import Field
from werkzeug.wrappers import Response

from services.common import amqp_connection
from services.common.answers import Answer
from services.common.auth import PUBLIC
from services.common.http import api, metrics_api
from services.common.metrics import render_metrics
from services.common.providers import ClockProvider, CorrelationContext, Database, EntrypointMetrics

log = logging.getLogger(__name__)


_openapi_documents: dict[type[ServiceBase], dict] = {}


def openapi_for(service_cls: type[ServiceBase]) -> dict:
    """A service's OpenAPI document, made once per process."""
    if service_cls not in _openapi_documents:
        from services.common.openapi import openapi_document  # imports every entrypoint module
        _openapi_documents[service_cls] = openapi_document(service_cls, title=service_cls.api_title,
                                                           description=service_cls.api_description)
    return _openapi_documents[service_cls]

BROKER_CHECK_TIMEOUT = 3.0


class Health(Answer):
    status: str = Field(description="ok")
    service: str


class Readiness(Answer):
    status: str = Field(description="ready, or unavailable (503)")
    service: str
    problems: dict[str, str] = Field(default_factory=dict,
                                     description="What is unreachable (database, broker), and why.")


class ServiceBase:
    name: str
    db: Database
    api_title: str = "Bình Đẳng"
    api_description: str = ""
    # the RPC methods of other services it calls ("plans.unit_directory"): its broker user may publish those
    # calls and declare its own reply queues (services.ops.broker_access)
    rpc_calls: tuple[str, ...] = ()
    config = Config()
    entrypoint_metrics = EntrypointMetrics()
    correlation = CorrelationContext()
    clock = ClockProvider()

    @api("GET", "/health", roles=PUBLIC, response=Health)
    def health(self, request):
        """The process is alive and serving HTTP."""
        return Health(status="ok", service=self.name)

    @api("GET", "/ready", roles=PUBLIC, response=Readiness,
         other_statuses={503: "The database or the broker is unreachable"})
    def ready(self, request):
        """The database and the broker are reachable; 503 naming what is not."""
        problems = {}
        try:
            with self.db.transaction() as session:
                session.execute(sa.text("SELECT 1"))
        except Exception as exc:
            problems["database"] = f"unreachable: {type(exc).__name__}"
        try:
            with amqp_connection.connect(self.config["AMQP_URI"], connect_timeout=BROKER_CHECK_TIMEOUT):
                pass
        except Exception as exc:
            problems["broker"] = f"unreachable: {type(exc).__name__}"
        if problems:
            log.warning("not ready", extra={"problems": problems})
            return 503, Readiness(status="unavailable", service=self.name, problems=problems)
        return Readiness(status="ready", service=self.name)

    @api("GET", "/openapi.json", roles=PUBLIC, media_types=("application/json",))
    def openapi(self, request):
        """This service's OpenAPI 3.1 document."""
        return openapi_for(type(self))

    @metrics_api("GET", "/metrics", roles=PUBLIC, media_types=("text/plain",))
    def metrics(self, request):
        """Prometheus text format.

        On the metrics port (<SERVICE>_METRICS_PORT) only: call counts tell when cases are reported, so
        they are for the monitoring network, not the public API."""
        status, headers, body = render_metrics()
        return Response(body, status=status, headers=headers)

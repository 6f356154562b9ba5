"""What every service class has: metrics, correlation, clock, config, and the operational endpoints.

Subclasses set `name` and `db = Database(...)`.
"""
from __future__ import annotations

import datetime as dt
import logging

import sqlalchemy as sa
from nameko.dependency_providers import Config
from pydantic import Field
from werkzeug.wrappers import Response

from services.common import amqp_connection, operations
from services.common.answers import Answer
from services.common.auth import PUBLIC
from services.common.errors import NotFound
from services.common.http import api, metrics_api
from services.common.metrics import render_metrics
from services.common.providers import ClockProvider, CorrelationContext, Database, EntrypointMetrics
from services.common.roles import Role

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
OPERATORS = {Role.OPERATOR}


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

    # the operators' view of the service's messaging (services.common.operations): operational endpoints, served
    # to the web's operations page at the service's own address and routed to none from outside

    @api("GET", "/v1/operations/outbox", roles=OPERATORS, response=operations.OutboxState)
    def operations_outbox(self, request, principal):
        """The outbox's backlog: events written but not yet published, and the oldest one's age."""
        with self.db.transaction() as session:
            return operations.outbox_state(session, self.name, dt.datetime.now(dt.UTC))

    @api("GET", "/v1/operations/consumers", roles=OPERATORS, response=operations.ConsumerList)
    def operations_consumers(self, request, principal):
        """Each consumer queue of the service: messages waiting (its lag), consumers, dead letters."""
        consumers = operations.consumers_of(type(self), self.name)
        return operations.ConsumerList(service=self.name,
                                       items=operations.consumer_states(self.config["AMQP_URI"], consumers))

    @api("GET", "/v1/operations/dead-letters", roles=OPERATORS, query=operations.DeadLetterQuery,
         response=operations.DeadLetterList)
    def operations_dead_letters(self, request, principal, query):
        """The dead letters of the service's consumers (or of one), without removing them: metadata only."""
        queues = self._consumer_queues(query.queue)
        return operations.DeadLetterList(service=self.name, queues=operations.dead_letter_queues(
            self.config["AMQP_URI"], queues, query.limit))

    @api("POST", "/v1/operations/dead-letters/replay", roles=OPERATORS, body=operations.ReplayRequest,
         response=operations.ReplayResult)
    def operations_replay(self, request, principal, body):
        """Move a consumer's dead letters (or one, by event id) back to its queue; logged with who asked.
        404 if the queue is none of the service's, or the event is not among its dead letters."""
        [queue] = self._consumer_queues(body.queue)
        result = operations.replay(self.config["AMQP_URI"], self.name, queue, body.event_id, principal.subject)
        if body.event_id and result.replayed == 0:
            raise NotFound("Hàng đợi thư lỗi không có sự kiện nào mang mã này.", code="dead_letter_not_found")
        return result

    def _consumer_queues(self, queue: str | None) -> list[str]:
        """The service's consumer queues, or the one `queue` names (404 if none of them)."""
        queues = [name for name, _ in operations.consumers_of(type(self), self.name)]
        if queue is None:
            return queues
        found = operations.consumer_queue_of(queue, queues)
        if found is None:
            raise NotFound("Dịch vụ này không có hàng đợi nào mang tên này.", code="queue_not_found")
        return [found]

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

"""The nameko dependency providers every service class has: the clock, the correlation id, the database
(which runs the outbox relay), the entrypoint metrics. The domain never sees these, only what they give."""
from __future__ import annotations

import time
from weakref import WeakKeyDictionary

import sqlalchemy as sa
from nameko.extensions import DependencyProvider
from sqlalchemy.orm import Session

from services.common import inbox
from services.common.clock import Clock, SystemClock
from services.common.config import as_bool, env
from services.common.context import correlation_id, new_correlation_id
from services.common.db import DatabaseAccess, TransactionRunner, make_engine
from services.common.metrics import ENTRYPOINT_CALLS, ENTRYPOINT_ERRORS, ENTRYPOINT_LATENCY, classify
from services.common.migrations import upgrade_to_head
from services.common.transient import quiet_transient_tracebacks


class ClockProvider(DependencyProvider):
    """Gives entrypoints `self.clock`; tests replace `clock` on the provider."""

    def __init__(self, clock: Clock | None = None):
        self.clock: Clock = clock or SystemClock()

    def get_dependency(self, worker_ctx):
        return self.clock


class CorrelationContext(DependencyProvider):
    """Puts the worker's correlation id (from its context data) into the contextvar."""

    def worker_setup(self, worker_ctx):
        value = worker_ctx.data.get("correlation_id") or new_correlation_id()
        worker_ctx.data["correlation_id"] = value
        correlation_id.set(value)

    def worker_teardown(self, worker_ctx):
        correlation_id.set(None)


class Database(DependencyProvider):
    def __init__(self, metadata: sa.MetaData, migrations: str):
        """`migrations` is the Alembic script location, e.g. "services.plans:migrations"."""
        self.metadata = metadata
        self.migrations = migrations
        self.runner: TransactionRunner | None = None
        self.relay = None

    def setup(self):
        config = self.container.config
        url = config["DATABASE_URL"]
        engine = make_engine(url)
        if as_bool(env("AUTO_MIGRATE", config)):
            upgrade_to_head(engine, self.migrations)
        self.runner = TransactionRunner(engine, self.container.service_name)
        quiet_transient_tracebacks()  # the runner's Outage logs a database outage once

        from services.common.outbox_relay import OutboxRelay  # relay imports kombu/amqp; keep db importable without
        self.relay = OutboxRelay.from_config(self.runner, self.container.service_name, config)
        self.runner.after_commit_hooks.append(self._wake_relay)

    def _wake_relay(self, session: Session) -> None:
        if session.info.get("outbox_written"):
            self.relay.wake()

    def start(self):
        self.container.spawn_managed_thread(self.relay.run, identifier="outbox_relay")

    def stop(self):
        if self.relay:
            self.relay.stop()

    def kill(self):
        self.stop()

    def get_dependency(self, worker_ctx):
        consumer = inbox.consumer_name(self.container.service_name, worker_ctx.entrypoint.method_name)
        return DatabaseAccess(self.runner, consumer)


class EntrypointMetrics(DependencyProvider):
    """Counts calls, errors and latency of every entrypoint of the service it is declared on."""

    def __init__(self):
        self._started = WeakKeyDictionary()

    def worker_setup(self, worker_ctx):
        self._started[worker_ctx] = time.perf_counter()

    def worker_result(self, worker_ctx, result=None, exc_info=None):
        service = self.container.service_name
        entrypoint = worker_ctx.entrypoint.method_name
        started = self._started.pop(worker_ctx, None)
        if started is not None:
            ENTRYPOINT_LATENCY.labels(service, entrypoint).observe(time.perf_counter() - started)
        outcome = classify(exc_info)
        ENTRYPOINT_CALLS.labels(service, entrypoint, outcome).inc()
        if exc_info is not None:
            ENTRYPOINT_ERRORS.labels(service, entrypoint, type(exc_info[1]).__name__).inc()

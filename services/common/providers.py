"""The nameko dependency providers every service class has: the clock, the correlation id, the database
(which runs the outbox relay), the entrypoint metrics. The domain never sees these, only what they give.

Nameko sets on each worker the attribute a provider is declared as to what its `get_dependency` returns
(`self.db` is a `DatabaseAccess`, not the `Database`); the `__get__` declared for the type checker only
says so. A real `__get__` would change what nameko finds on the class.
"""
from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, overload
from weakref import WeakKeyDictionary

import sqlalchemy as sa
from nameko.extensions import DependencyProvider
from sqlalchemy.orm import Session

from services.common import inbox
from services.common.clock import Clock, FileClock, SystemClock
from services.common.config import as_bool, env
from services.common.context import accepted_correlation_id, correlation_id
from services.common.db import DatabaseAccess, TransactionRunner, make_engine
from services.common.metrics import ENTRYPOINT_CALLS, ENTRYPOINT_ERRORS, ENTRYPOINT_LATENCY, classify
from services.common.migrations import upgrade_to_head
from services.common.outbox_relay import OutboxRelay
from services.common.production import PRODUCTION, environment
from services.common.transient import quiet_transient_tracebacks


class ClockProvider(DependencyProvider):
    """Gives entrypoints `self.clock`; tests replace `clock` on the provider."""

    def __init__(self, clock: Clock | None = None):
        self.clock: Clock = clock or SystemClock()

    if TYPE_CHECKING:
        @overload
        def __get__(self, instance: None, owner: Any) -> ClockProvider: ...
        @overload
        def __get__(self, instance: object, owner: Any) -> Clock: ...
        def __get__(self, instance: object, owner: Any) -> ClockProvider | Clock: ...

    def setup(self):
        """In development, `CLOCK_FILE` makes every service read the time from one file (see `FileClock`);
        a clock a test put here stays, and production always runs on the system's clock."""
        path = self.container.config.get("CLOCK_FILE")
        if path and isinstance(self.clock, SystemClock) and environment(self.container.config) != PRODUCTION:
            self.clock = FileClock(str(path))

    def get_dependency(self, worker_ctx):
        return self.clock


class CorrelationContext(DependencyProvider):
    """Puts the worker's correlation id (from its context data) into the contextvar.

    Whatever the caller sent (an HTTP header, an event, an RPC context) is checked once more here: the
    id goes into every event the worker publishes and every line it logs."""

    def worker_setup(self, worker_ctx):
        value = accepted_correlation_id(worker_ctx.data.get("correlation_id"))
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
        self.relay: OutboxRelay | None = None

    if TYPE_CHECKING:
        @overload
        def __get__(self, instance: None, owner: Any) -> Database: ...
        @overload
        def __get__(self, instance: object, owner: Any) -> DatabaseAccess: ...
        def __get__(self, instance: object, owner: Any) -> Database | DatabaseAccess: ...

    def setup(self):
        config = self.container.config
        url = config["DATABASE_URL"]
        engine = make_engine(url)
        if as_bool(env("AUTO_MIGRATE", config)):
            upgrade_to_head(engine, self.migrations)
        runner = self.runner = TransactionRunner(engine, self.container.service_name)
        quiet_transient_tracebacks()  # the runner's Outage logs a database outage once
        relay = self.relay = OutboxRelay.from_config(runner, self.container.service_name, config)

        def wake_relay(session: Session) -> None:
            if session.info.get("outbox_written"):
                relay.wake()

        runner.after_commit_hooks.append(wake_relay)

    def start(self):
        assert self.relay is not None, "nameko sets a provider up before it starts it"
        self.container.spawn_managed_thread(self.relay.run, identifier="outbox_relay")

    def stop(self):
        if self.relay:
            self.relay.stop()

    def kill(self):
        self.stop()

    def get_dependency(self, worker_ctx):
        consumer = inbox.consumer_name(self.container.service_name, worker_ctx.entrypoint.method_name)
        assert self.runner is not None, "nameko sets a provider up before a worker uses it"
        return DatabaseAccess(self.runner, consumer)


class EntrypointMetrics(DependencyProvider):
    """Counts calls, errors and latency of every entrypoint of the service it is declared on."""

    def __init__(self):
        self._started: WeakKeyDictionary[object, float] = WeakKeyDictionary()

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

"""The unit tier of the use cases: they run directly on a fresh SQLite database migrated to head,
through the same TransactionRunner the services use, with no broker and no HTTP.

Migrating takes a while, so each service's database is migrated once per test session and every
test starts from a copy of it (a file copy: milliseconds). The events a use case writes are read
back from the outbox, as the relay would publish them.
"""
from __future__ import annotations

import inspect
import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import sqlalchemy as sa
from nameko.extensions import ENTRYPOINT_EXTENSIONS_ATTR

from services.common.db import DatabaseAccess, TransactionRunner, make_engine
from services.common.events.received import decode_event
from services.common.inbox import consumer_name
from services.common.migrations import upgrade_to_head
from services.common.subscriber import EventSubscriber
from services.common.tables import outbox_table


class UseCaseDb:
    """A service's database for one test: transactions, the outbox as written, events consumed once."""

    def __init__(self, path: Path):
        self.engine = make_engine(f"sqlite:///{path}")
        self.runner = TransactionRunner(self.engine)

    def transaction(self):
        return self.runner.transaction()

    def events(self, event_type: str | None = None) -> list[dict]:
        """The CloudEvents written to the outbox, oldest first (of one type, if given)."""
        statement = sa.select(outbox_table.c.body).order_by(outbox_table.c.seq)
        if event_type:
            statement = statement.where(outbox_table.c.event_type == event_type)
        with self.engine.connect() as connection:
            return [json.loads(body) for body in connection.scalars(statement)]

    def deliver(self, service_cls, body: bytes) -> bool:
        """Hand an event as it crossed the wire (`plan_events.wire`) to the service's own handler of its
        type, on this database: decoded, and applied at most once per consumer (the inbox row and the
        effect commit together). False for a duplicate."""
        event_type = json.loads(body)["type"]
        [handler] = [name for name, method in inspect.getmembers(service_cls, inspect.isfunction)
                     for entrypoint in getattr(method, ENTRYPOINT_EXTENSIONS_ATTR, ())
                     if isinstance(entrypoint, EventSubscriber) and entrypoint.event_type == event_type]
        worker = SimpleNamespace(db=DatabaseAccess(self.runner, consumer_name(service_cls.name, handler)))
        return getattr(service_cls, handler)(worker, decode_event(body, event_type))

    def close(self) -> None:
        self.engine.dispose()


class MigratedTemplates:
    """One migrated database file per service and test session, copied for each test."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.templates: dict[str, Path] = {}

    def fresh(self, migrations: str, destination: Path) -> UseCaseDb:
        """`migrations`: the service's Alembic script location, e.g. "services.plans:migrations"."""
        template = self.templates.get(migrations)
        if template is None:
            template = self.directory / (migrations.split(":")[0].replace(".", "_") + ".db")
            engine = make_engine(f"sqlite:///{template}")
            upgrade_to_head(engine, migrations)
            with engine.connect() as connection:  # everything into the main file, so a copy has it all
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            engine.dispose()
            self.templates[migrations] = template
        shutil.copyfile(template, destination)
        return UseCaseDb(destination)

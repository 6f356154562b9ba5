"""A service's database: the SQLAlchemy engine, transactions, and applying an event once.

One database per service: a SQLite file under DATA_DIR by default, PostgreSQL when
DATABASE_URL says so. Entrypoints reach it through the `Database` dependency
(`services.common.providers`), which also runs the service's outbox relay. Every transaction
tells the runner's `Outage` whether the database answered, so an outage is logged once.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session, sessionmaker

from services.common import inbox
from services.common.events.received import DataT, ReceivedEvent
from services.common.outages import Outage
from services.common.transient import is_transient

log = logging.getLogger(__name__)

POOL_RECYCLE_SECONDS = 1800


def make_engine(url: str) -> sa.Engine:
    # hide_parameters: a failing statement's error (logged, put in a dead letter's headers) shows the
    # SQL without its values, which would be victims' data and codes.
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 30},
                                  hide_parameters=True)

        @sa_event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    # No pre-ping: it is a round trip on every checkout. A connection the server dropped fails its first
    # statement instead; SQLAlchemy then invalidates the pool, and the failure is transient
    # (`transient.is_transient`: HTTP answers 503, a consumer holds the event and tries again).
    # Recycling keeps connections younger than the idle time-outs of servers and proxies.
    return sa.create_engine(url, pool_pre_ping=False, pool_recycle=POOL_RECYCLE_SECONDS, pool_size=10,
                            max_overflow=10, hide_parameters=True)


def lock_key(session: Session, key: str) -> None:
    """Serialise transactions that touch the same key (e.g. one commune's year) until commit.

    Concurrent consumers of events about one thing would otherwise both read "absent" and both
    insert; PostgreSQL gets a transaction-scoped advisory lock, SQLite already runs one writer.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})


def locking_column(session: Session, key: str) -> list[sa.ColumnElement]:
    """`lock_key` as a column to add to the SELECT that finds what the lock guards, saving a round trip.

    PostgreSQL evaluates it only for a row the statement returns, after its WHERE: the lock is taken
    only on what the caller may see. That statement's own snapshot predates the lock, so whatever the
    lock protects must be read by a later statement. SQLite gets no column (it runs one writer).
    """
    if session.get_bind().dialect.name != "postgresql":
        return []
    return [sa.func.pg_advisory_xact_lock(sa.func.hashtext(sa.literal(key, sa.String))).label("locked")]


class TransactionRunner:
    """Opens sessions and runs one transaction at a time per SQLite file.

    SQLite has one writer per file; under eventlet a greenthread waiting on the file lock
    would block the whole hub while the holder (another greenthread) cannot run, so
    transactions on SQLite are serialised by a (green) lock. PostgreSQL needs none.
    """

    def __init__(self, engine: sa.Engine, service: str = "-"):
        self.engine = engine
        self.sessions = sessionmaker(engine, expire_on_commit=False)
        self._lock = threading.Lock() if engine.dialect.name == "sqlite" else None
        self.after_commit_hooks: list[Callable[[Session], None]] = []
        self.outage = Outage(service, "database")

    @contextmanager
    def transaction(self):
        if self._lock:
            self._lock.acquire()
        try:
            with self.sessions() as session:
                with session.begin():
                    yield session
        except Exception as exc:
            if is_transient(exc):
                self.outage.failed(exc)
            raise
        finally:
            if self._lock:
                self._lock.release()
        self.outage.succeeded()
        for hook in self.after_commit_hooks:
            hook(session)


class DatabaseAccess:
    """What an entrypoint sees as `self.db`."""

    def __init__(self, runner: TransactionRunner, consumer_name: str):
        self._runner = runner
        self._consumer_name = consumer_name

    def transaction(self):
        return self._runner.transaction()

    def apply_once(self, event: ReceivedEvent[DataT], effect: Callable[[Session, ReceivedEvent[DataT]], None]) -> bool:
        """Apply an event's effect at most once for this consumer.

        The inbox row and the effect commit together; a redelivered event finds the row
        and changes nothing. Returns False for a duplicate.
        """
        with self._runner.transaction() as session:
            if not inbox.first_delivery(session, self._consumer_name, event.id):
                return False
            effect(session, event)
            return True

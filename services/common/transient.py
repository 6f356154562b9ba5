"""Failures that are not the message's (or the request's) fault: a dependency down, busy or timing out.

`is_transient` tells them apart from failures caused by what was sent. A consumer keeps such a
message and tries it again later without using up its attempts; an HTTP request gets a 503. Each
outage is logged once (`outages.Outage`), so nameko's traceback per failed worker is dropped.
"""
from __future__ import annotations

import logging
import socket
import sqlite3

import sqlalchemy.exc

# SQLSTATE classes and codes that say "try again later": connection exception (08), transaction
# rollback (40: serialization failure, deadlock), insufficient resources (53), operator intervention
# (57: shutdown, query cancelled by a time-out), system error (58), lock not available (55P03), and a
# read-only transaction (25006: the server is a standby during a failover).
TRANSIENT_SQLSTATE_CLASSES = ("08", "40", "53", "57", "58")
TRANSIENT_SQLSTATES = ("55P03", "25006")
# SQLite's OperationalError also means "no such table" and other bugs; only these are about the moment
SQLITE_TRANSIENT = ("database is locked", "database table is locked", "unable to open database file",
                    "disk i/o error")

UNREACHABLE = (ConnectionError, TimeoutError, socket.gaierror)
# The broker client's, named rather than imported: the HTTP error mapping and the domain that raises
# through it stay free of kombu and amqp (tests/unit/test_transient.py checks them on the real classes).
BROKER_UNREACHABLE = ("kombu.exceptions.OperationalError", "amqp.exceptions.RecoverableConnectionError",
                      "amqp.exceptions.ConnectionForced")


def is_transient(exc: BaseException) -> bool:
    """True when the failure is about a dependency (database, broker, network), not about the input."""
    seen = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:  # the cause may be wrapped (SQLAlchemy, kombu)
        seen.add(id(current))
        if _is_transient_itself(current):
            return True
        current = current.__cause__ or getattr(current, "orig", None)
    return False


def _is_transient_itself(exc: BaseException) -> bool:
    if isinstance(exc, sqlalchemy.exc.DBAPIError) and exc.connection_invalidated:
        return True
    if isinstance(exc, sqlalchemy.exc.DisconnectionError | sqlalchemy.exc.TimeoutError):
        return True  # TimeoutError: no pooled connection came free in time
    if isinstance(exc, sqlite3.OperationalError):
        return any(text in str(exc).lower() for text in SQLITE_TRANSIENT)
    sqlstate = getattr(exc, "pgcode", None)
    if isinstance(sqlstate, str):
        return sqlstate[:2] in TRANSIENT_SQLSTATE_CLASSES or sqlstate in TRANSIENT_SQLSTATES
    if _is_psycopg2_error(exc, "OperationalError", "InterfaceError"):
        return True  # no SQLSTATE: the server was never reached, or the connection broke
    return isinstance(exc, UNREACHABLE) or _is_one_of(exc, BROKER_UNREACHABLE)


def _is_one_of(exc: BaseException, qualified_names: tuple[str, ...]) -> bool:
    return any(f"{klass.__module__}.{klass.__qualname__}" in qualified_names for klass in type(exc).__mro__)


def _is_psycopg2_error(exc: BaseException, *names: str) -> bool:
    return type(exc).__module__.startswith("psycopg2") and any(
        klass.__name__ in names for klass in type(exc).__mro__)


def backoff(failures: int, first: float = 0.5, cap: float = 30.0) -> float:
    """Seconds to wait after `failures` failures in a row: first, doubled each time, at most cap."""
    return min(cap, first * 2 ** max(0, failures - 1))


class DropTransientTracebacks(logging.Filter):
    """Drop nameko's traceback for a worker that failed because a dependency is down: its `Outage`
    has said so once, and a traceback per message or request would flood the log."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and record.exc_info[1] is not None and is_transient(record.exc_info[1]))


_FILTER = DropTransientTracebacks()


def quiet_transient_tracebacks() -> None:
    logger = logging.getLogger("nameko.containers")
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)

"""Which failures are not the input's fault: they are retried without limit (events) or answered 503 (HTTP)."""
import sqlite3

import amqp.exceptions
import kombu.exceptions
import psycopg2
import psycopg2.errors
import pytest
import sqlalchemy.exc as sa_exc
from pydantic import BaseModel, ValidationError

from services.common.errors import map_exception
from services.common.metrics import classify
from services.common.transient import backoff, is_transient


def wrapped(error_class, orig):
    return error_class("UPDATE x SET y = 1", {}, orig)


class Strict(BaseModel):
    year: int


def validation_error() -> ValidationError:
    try:
        Strict.model_validate({"year": "x"})
    except ValidationError as exc:
        return exc
    raise AssertionError("a year of 'x' was accepted")


@pytest.mark.parametrize("exc", [
    wrapped(sa_exc.OperationalError, psycopg2.OperationalError("connection refused")),
    wrapped(sa_exc.OperationalError, psycopg2.errors.LockNotAvailable("lock timeout")),
    wrapped(sa_exc.OperationalError, psycopg2.errors.SerializationFailure("could not serialize")),
    wrapped(sa_exc.InterfaceError, psycopg2.InterfaceError("connection already closed")),
    wrapped(sa_exc.OperationalError, sqlite3.OperationalError("database is locked")),
    sa_exc.DisconnectionError("gone"),
    sa_exc.TimeoutError("QueuePool limit reached"),
    kombu.exceptions.OperationalError("[Errno 111] Connection refused"),
    amqp.exceptions.RecoverableConnectionError("connection lost"),
    amqp.exceptions.ConnectionForced("broker shutting down"),
    ConnectionRefusedError(111, "refused"),
    TimeoutError("timed out"),
], ids=lambda exc: f"{type(exc).__name__}:{getattr(exc, 'orig', exc)}"[:60])
def test_a_dependency_away_or_busy_is_transient(exc):
    assert is_transient(exc)


@pytest.mark.parametrize("exc", [
    wrapped(sa_exc.DataError, psycopg2.errors.StringDataRightTruncation("value too long")),
    wrapped(sa_exc.IntegrityError, psycopg2.errors.UniqueViolation("duplicate key")),
    wrapped(sa_exc.OperationalError, sqlite3.OperationalError("no such table: effects")),
    wrapped(sa_exc.ProgrammingError, psycopg2.errors.UndefinedColumn("no such column")),
    RuntimeError("the projection is broken"),
    ValueError("invalid literal for int()"),
    KeyError("unit_code"),
    validation_error(),
], ids=lambda exc: f"{type(exc).__name__}:{getattr(exc, 'orig', exc)}"[:60])
def test_a_failure_caused_by_the_input_or_the_code_is_not_transient(exc):
    assert not is_transient(exc)


def test_a_transient_cause_makes_the_failure_transient():
    try:
        try:
            raise ConnectionResetError("reset by peer")
        except ConnectionResetError as cause:
            raise RuntimeError("could not load the plan") from cause
    except RuntimeError as exc:
        assert is_transient(exc)


def test_http_answers_503_for_a_transient_failure_and_500_otherwise():
    status, body = map_exception(wrapped(sa_exc.OperationalError, psycopg2.OperationalError("refused")))
    assert status == 503 and body["error"]["code"] == "temporarily_unavailable"
    assert "refused" not in str(body)
    assert map_exception(RuntimeError("bug"))[0] == 500
    assert classify((None, kombu.exceptions.OperationalError("refused"), None)) == "unavailable"


def test_back_off_doubles_up_to_its_ceiling():
    assert [backoff(n, cap=10) for n in range(1, 8)] == [0.5, 1, 2, 4, 8, 10, 10]

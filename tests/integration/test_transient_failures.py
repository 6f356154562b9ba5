"""Real PostgreSQL failures, classified: a lock time-out and a refused connection are transient, a value
too long for its column is not (that one is the event's fault, and ends in the dead-letter queue)."""
import pytest
import sqlalchemy as sa

from services.common.transient import is_transient
from tests.support.service_http import free_port

pytestmark = pytest.mark.integration


def failure_of(engine, statement, **parameters) -> sa.exc.DBAPIError:
    with pytest.raises(sa.exc.DBAPIError) as raised, engine.begin() as connection:
        connection.execute(sa.text(statement), parameters)
    return raised.value


def pgcode(error: sa.exc.DBAPIError) -> str | None:
    """The SQLSTATE psycopg2 gives the error it raised."""
    return getattr(error.orig, "pgcode", None)


def test_real_database_failures_are_classified(postgres):
    engine = sa.create_engine(postgres.create("transient"))
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE t (id int PRIMARY KEY, code varchar(4))"))
        connection.execute(sa.text("INSERT INTO t VALUES (1, 'a')"))
    holder = engine.connect()
    holder.begin()
    holder.execute(sa.text("SELECT * FROM t WHERE id = 1 FOR UPDATE"))
    try:
        with engine.connect() as waiter:
            waiter.execute(sa.text("SET lock_timeout = '100ms'"))
            with pytest.raises(sa.exc.OperationalError) as lock_timeout:
                waiter.execute(sa.text("UPDATE t SET code = 'b' WHERE id = 1"))
    finally:
        holder.rollback()
        holder.close()
    assert pgcode(lock_timeout.value) == "55P03" and is_transient(lock_timeout.value)

    too_long = failure_of(engine, "INSERT INTO t VALUES (2, :code)", code="toolong")
    assert pgcode(too_long) == "22001" and not is_transient(too_long)
    engine.dispose()

    nowhere = sa.create_engine(f"postgresql+psycopg2://postgres@127.0.0.1:{free_port()}/postgres")
    with pytest.raises(sa.exc.OperationalError) as refused:
        nowhere.connect()
    assert is_transient(refused.value)

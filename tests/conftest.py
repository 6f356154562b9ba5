"""Root fixtures. Tests run monkey-patched, as the services do."""
import eventlet
import eventlet.debug

eventlet.monkey_patch()  # noqa: E402  (must precede every other import)

# Unlike a service process (one container for its whole life), a test run starts and kills many
# containers, proxies and clients in one process; a killed one can leave a green thread parked on a
# socket whose descriptor a later test's connection reuses, and eventlet would refuse the second
# reader. The parked reader only ever sees its own closed socket and ends.
eventlet.debug.hub_prevent_multiple_readers(False)

import os
import shutil
import uuid
import warnings

import pytest
import sqlalchemy as sa

from tests.support.broker import private_vhost

POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")


@pytest.fixture(scope="session")
def amqp_uri():
    """A RabbitMQ virtual host of this test run's own, deleted afterwards.

    Durable queues keep messages between runs; in a shared vhost one test's events would reach
    another run's consumers (or the demo's). TEST_AMQP_URI overrides; without rabbitmqctl the
    default vhost is used.
    """
    if os.environ.get("TEST_AMQP_URI"):
        yield os.environ["TEST_AMQP_URI"]
        return
    if shutil.which("rabbitmqctl") is None:
        warnings.warn("rabbitmqctl not found: tests share RabbitMQ's default vhost", stacklevel=2)
        yield "amqp://guest:guest@127.0.0.1:5672/"
        return
    with private_vhost() as uri:
        yield uri


class PostgresDatabases:
    """Creates throw-away PostgreSQL databases and drops them at the end."""

    def __init__(self, admin_url: str):
        self.admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
        self.created: list[str] = []

    def create(self, label: str) -> str:
        name = f"bd_test_{label}_{uuid.uuid4().hex[:8]}"
        with self.admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        self.created.append(name)
        return self.admin.url.set(database=name).render_as_string(hide_password=False)

    def drop_all(self):
        with self.admin.connect() as connection:
            for name in self.created:
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


@pytest.fixture(scope="session")
def postgres():
    databases = PostgresDatabases(POSTGRES_ADMIN_URL)
    yield databases
    databases.drop_all()

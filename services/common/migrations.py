"""Alembic, one migration history per service.

`upgrade_to_head` is what `binhdang migrate` and development start-up call; each
service's `migrations/env.py` calls `run_env` with its own metadata, which is
migrated together with the shared outbox and inbox tables.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

# Serialises concurrent migrations of replicas starting together on PostgreSQL.
ADVISORY_LOCK_ID = 0x42494E48  # "BINH"


def alembic_config(script_location: str, connection=None) -> Config:
    config = Config()
    config.set_main_option("script_location", script_location)
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade_to_head(engine: sa.Engine, script_location: str) -> None:
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": ADVISORY_LOCK_ID})
        command.upgrade(alembic_config(script_location, connection), "head")


def run_env(service_metadata: sa.MetaData) -> None:
    """The body of a service's Alembic env.py (online mode, with the connection we pass in)."""
    from alembic import context

    from services.common.tables import messaging_metadata

    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("run migrations through `binhdang migrate`, which passes the connection")
    context.configure(connection=connection, target_metadata=[service_metadata, messaging_metadata],
                      render_as_batch=connection.dialect.name == "sqlite", compare_type=True)
    with context.begin_transaction():
        context.run_migrations()

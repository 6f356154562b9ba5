"""Alembic environment of the web component (its own tables; it has no outbox or inbox)."""
from alembic import context

from services.web.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `binhdang migrate`, which passes the connection")
context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=connection.dialect.name == "sqlite", compare_type=True)
with context.begin_transaction():
    context.run_migrations()

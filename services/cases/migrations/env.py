"""Alembic environment of the cases service (its tables plus the shared outbox and inbox)."""
from services.cases.models import Base
from services.common.migrations import run_env

run_env(Base.metadata)

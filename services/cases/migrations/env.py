"""Alembic environment of the cases service (its tables plus the shared outbox and inbox)."""
from services.common.migrations import run_env
from services.cases.models import Base

run_env(Base.metadata)

"""Alembic environment of the reporting service (its tables plus the shared outbox and inbox)."""
from services.common.migrations import run_env
from services.reporting.models import Base

run_env(Base.metadata)

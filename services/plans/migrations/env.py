"""Alembic environment of the plans service (its tables plus the shared outbox and inbox)."""
from services.common.migrations import run_env
from services.plans.models import Base

run_env(Base.metadata)

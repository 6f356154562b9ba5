"""Alembic environment of the notifications service (its tables plus the shared outbox and inbox)."""
from services.common.migrations import run_env
from services.notifications.models import Base

run_env(Base.metadata)

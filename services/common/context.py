"""The correlation id of the work in progress.

Set by the HTTP and event entrypoints in the worker's greenthread, read by the
log formatter and by the outbox when it writes an event, so that one request's
id follows it through every event it causes.
"""
from __future__ import annotations

import contextvars
import uuid

correlation_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("correlation_id", default=None)

HEADER = "X-Correlation-ID"


def new_correlation_id() -> str:
    return str(uuid.uuid4())


def current_correlation_id() -> str | None:
    return correlation_id.get()

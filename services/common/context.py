"""The correlation id of the work in progress.

Set by the HTTP and event entrypoints in the worker's greenthread, read by the
log formatter and by the outbox when it writes an event, so that one request's
id follows it through every event it causes.
"""
from __future__ import annotations

import contextvars
import re
import uuid

correlation_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("correlation_id", default=None)

HEADER = "X-Correlation-ID"


# A caller's own id is taken only when it cannot carry anything else: a UUID or a short token.
# Anything longer, or with spaces, control characters or other punctuation (a name and a phone
# number, a log line's fake end), is replaced by an id of our own.
ACCEPTED = re.compile(r"[A-Za-z0-9._-]{1,64}")


def new_correlation_id() -> str:
    return str(uuid.uuid4())


def accepted_correlation_id(value: object) -> str:
    """`value` if it is a UUID or a token of `[A-Za-z0-9._-]{1,64}`, else a new id."""
    if isinstance(value, str) and ACCEPTED.fullmatch(value):
        return value
    return new_correlation_id()


def current_correlation_id() -> str | None:
    return correlation_id.get()

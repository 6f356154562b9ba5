"""One dependency's availability as one component sees it: one log line per outage, one on recovery.

Instead of a traceback per message or request while the database or the broker is away, the first
failure logs that it went away and the first success after it logs that it is back and for how long;
`binhdang_dependency_unavailable` shows the state meanwhile.
"""
from __future__ import annotations

import logging
import time

from services.common import metrics

log = logging.getLogger(__name__)


class Outage:
    """Whether one dependency is away; `failed` and `succeeded` are called on every attempt to use it."""

    def __init__(self, service: str, dependency: str):
        self.service = service
        self.dependency = dependency
        self.since: float | None = None
        self.failures = 0

    @property
    def down(self) -> bool:
        return self.since is not None

    def failed(self, exc: BaseException) -> None:
        self.failures += 1
        metrics.DEPENDENCY_FAILURES.labels(self.service, self.dependency).inc()
        if self.since is None:
            self.since = time.monotonic()
            metrics.DEPENDENCY_UNAVAILABLE.labels(self.service, self.dependency).set(1)
            log.warning("%s unreachable (%s); waiting for it, work is kept and retried", self.dependency,
                        type(exc).__name__, extra={"dependency": self.dependency, "exc_type": type(exc).__name__})

    def succeeded(self) -> None:
        if self.since is None:
            return
        seconds, failures = time.monotonic() - self.since, self.failures
        self.since, self.failures = None, 0
        metrics.DEPENDENCY_UNAVAILABLE.labels(self.service, self.dependency).set(0)
        log.info("%s reachable again after %.1f s (%d failed attempts)", self.dependency, seconds, failures,
                    extra={"dependency": self.dependency, "outage_seconds": round(seconds, 1)})

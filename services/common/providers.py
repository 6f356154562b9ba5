"""The nameko dependency providers every service class has (the domain never sees these)."""
from __future__ import annotations

from nameko.extensions import DependencyProvider

from services.common.clock import Clock, SystemClock


class ClockProvider(DependencyProvider):
    """Gives entrypoints `self.clock`; tests replace `clock` on the provider."""

    def __init__(self, clock: Clock | None = None):
        self.clock: Clock = clock or SystemClock()

    def get_dependency(self, worker_ctx):
        return self.clock

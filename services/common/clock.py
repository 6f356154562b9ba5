"""One injectable clock, so deadline logic can be tested with a controlled time."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from nameko.extensions import DependencyProvider

# Deadlines in the plan ("trước ngày 20/11") are local dates in Vietnam.
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until told to move; for tests."""

    def __init__(self, at: datetime):
        if at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._at = at

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        self._at = at

    def advance(self, **delta) -> None:
        self._at = self._at + timedelta(**delta)


class ClockProvider(DependencyProvider):
    """Gives entrypoints `self.clock`; tests replace `clock` on the provider."""

    def __init__(self, clock=None):
        self.clock = clock or SystemClock()

    def get_dependency(self, worker_ctx):
        return self.clock


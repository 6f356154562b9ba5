"""Time: Vietnam's time zone, in which the plan's dates are meant, and one injectable clock, so
deadline logic can be tested with a controlled time."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

# Dates in the plan ("trước ngày 20/11"), reporting years and statistics periods are local dates
# in Vietnam.
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def local_date(moment: datetime) -> date:
    """The calendar date in Vietnam of an aware moment: 17:30 UTC on 31 March is 1 April there."""
    return moment.astimezone(VIETNAM).date()


class Clock(Protocol):
    def now(self) -> datetime: ...


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

    def advance(self, **delta: float) -> None:
        self._at = self._at + timedelta(**delta)


class FileClock:
    """The moment written in a file (ISO 8601, aware), read at each call; the system's time while the file is
    missing or empty. For demonstrations in development (`CLOCK_FILE`): the demo writes the file to move every
    service through a reporting year together, which a clock in each process could not."""

    def __init__(self, path: str):
        self.path = path

    def now(self) -> datetime:
        try:
            with open(self.path, encoding="utf-8") as file:
                text = file.read().strip()
        except FileNotFoundError:
            text = ""
        if not text:
            return datetime.now(UTC)
        moment = datetime.fromisoformat(text)
        if moment.tzinfo is None:
            raise ValueError(f"{self.path} must hold an aware moment, e.g. 2026-11-10T09:00:00+07:00")
        return moment.astimezone(UTC)

    def set(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FileClock needs an aware datetime")
        with open(self.path, "w", encoding="utf-8") as file:
            file.write(at.isoformat())

"""The demo's clock: every service reads the time from one file (CLOCK_FILE) in development, never in
production, and never over a clock a test injected."""
import datetime as dt
from types import SimpleNamespace

import pytest

from services.common.clock import FileClock, FixedClock, SystemClock
from services.common.providers import ClockProvider

AT = dt.datetime(2026, 11, 10, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def test_the_file_says_what_time_it_is_and_a_missing_file_is_the_systems_time(tmp_path):
    clock = FileClock(str(tmp_path / "clock"))
    before = dt.datetime.now(dt.UTC)
    assert clock.now() >= before
    clock.set(AT)
    assert clock.now() == AT and clock.now().tzinfo == dt.UTC
    (tmp_path / "clock").write_text("2026-11-10T09:00:00", encoding="utf-8")
    with pytest.raises(ValueError):
        clock.now()


def provider_with(config: dict, clock=None) -> ClockProvider:
    provider = ClockProvider(clock)
    provider.container = SimpleNamespace(config=config)
    provider.setup()
    return provider


def test_the_services_take_the_file_in_development_only(tmp_path):
    path = str(tmp_path / "clock")
    assert isinstance(provider_with({"CLOCK_FILE": path, "ENVIRONMENT": "development"}).clock, FileClock)
    for production in ("production", " Production ", "PRODUCTION"):  # as `binhdang run` reads it
        assert isinstance(provider_with({"CLOCK_FILE": path, "ENVIRONMENT": production}).clock, SystemClock)
    assert isinstance(provider_with({"CLOCK_FILE": None}).clock, SystemClock)
    fixed = FixedClock(AT)
    assert provider_with({"CLOCK_FILE": path}, fixed).clock is fixed

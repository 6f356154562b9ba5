"""Times and dates from the services' JSON (ISO 8601, UTC) as the pages print them: Vietnam's clock, day first."""
from __future__ import annotations

import datetime as dt

from services.common.clock import VIETNAM


def time_text(value: str | None) -> str:
    """30/11/2026 07:32 for 2026-11-30T00:32:00+00:00; empty for no time."""
    if not value:
        return ""
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")


def date_text(value: str | None) -> str:
    """20/11/2026 for 2026-11-20; empty for no date."""
    if not value:
        return ""
    try:
        return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
    except ValueError:
        return ""

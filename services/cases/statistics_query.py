"""The statistics query: counts for a commune or the province over a whole period, small counts suppressed
in the year's release (`statistics_release.release`), so that no two answers can be differenced to a small count."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.cases.models import Case, Measure
from services.cases.statistics import CaseRecord, compute
from services.cases.statistics_periods import whole_period
from services.cases.statistics_release import PROVINCE, release


def records(session: Session, commune_code: str | None, start: dt.date, end: dt.date) -> list[CaseRecord]:
    # a day's margin on each side: `compute` applies the period in Vietnam's local dates
    statement = sa.select(Case).where(
        Case.reported_at >= dt.datetime.combine(start - dt.timedelta(days=1), dt.time(), dt.UTC),
        Case.reported_at < dt.datetime.combine(end + dt.timedelta(days=2), dt.time(), dt.UTC))
    if commune_code:
        statement = statement.where(Case.commune_code == commune_code)
    cases = list(session.scalars(statement))
    services: dict[str, set[str]] = {}
    if cases:
        for case_id, kind in session.execute(sa.select(Measure.case_id, Measure.kind).where(
                Measure.case_id.in_([c.id for c in cases]), sa.or_(Measure.decision.is_(None),
                                                                   Measure.decision == "granted"))):
            services.setdefault(case_id, set()).add(kind)
    return [CaseRecord(case_type=c.case_type, status=c.status, intake_channel=c.intake_channel,
                       age=_band_floor(c.victim_age_band), support_services=tuple(sorted(services.get(c.id, ()))),
                       statistics_consent=c.consent_statistics, reported_at=c.reported_at, commune_code=c.commune_code)
            for c in cases]


def _band_floor(band: str | None) -> int | None:
    """Cases keep an age band, not an age (fewer identifying details): count each at its band's floor."""
    if not band or band == "unknown":
        return None
    return int(band.split("-")[0].rstrip("+"))


def year_records(session: Session, year: int) -> list[CaseRecord]:
    """What the year's release counts: every commune's cases of the year."""
    return records(session, None, dt.date(year, 1, 1), dt.date(year, 12, 31))


def statistics(year_cases: list[CaseRecord], commune_code: str | None, start: dt.date, end: dt.date) -> dict:
    """The table of a commune (None: the province) for a whole period, as the year's release shows it.
    Pure CPU work on `year_records`' answer (about a second for 99 communes): the service runs it off
    the event loop."""
    period = whole_period(start, end)
    if period is None:  # the query model refuses it first, naming the field
        raise ValueError("statistics are released for whole months, quarters, half-years and years only")
    tables = release(year_cases, period.start.year)
    scope = commune_code or PROVINCE
    # a commune without any case that year is in no table: its counts are all 0, nothing to hide
    result = tables.get((scope, period)) or compute([], start=period.start, end=period.end)
    return {**result, "scope": scope}

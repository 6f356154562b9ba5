"""The statistics query: counts for a commune or the province over a period, small counts suppressed."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.cases.models import Case, Measure
from services.cases.statistics import CaseRecord, compute


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


def statistics(session: Session, commune_code: str | None, start: dt.date, end: dt.date) -> dict:
    result = compute(records(session, commune_code, start, end), start=start, end=end)
    result["scope"] = commune_code or "province"
    return result

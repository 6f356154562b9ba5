"""Erasure of personal data: closed cases past the retention period, unless under legal hold.

What statistics need (type, channel, status, sex, age band, services given) stays; everything that
could identify a person is removed, in the case and in every record attached to it.
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.cases.models import AuditEntry, Case, Incident, Measure, Referral, RiskAssessmentRecord, Transition


def anonymise_expired(session: Session, now: dt.datetime, retention_days: int, limit: int = 200) -> list[str]:
    cutoff = now - dt.timedelta(days=retention_days)
    cases = list(session.scalars(
        sa.select(Case).where(Case.status == "closed", Case.closed_at < cutoff, Case.legal_hold.is_(False),
                              Case.anonymised_at.is_(None)).limit(limit).with_for_update(skip_locked=True)))
    for case in cases:
        case.victim_sealed = case.intake_sealed = None
        case.village, case.anonymised_at, case.updated_at = None, now, now
        session.execute(sa.update(Incident).where(Incident.case_id == case.id).values(details_sealed=None))
        session.execute(sa.update(RiskAssessmentRecord).where(RiskAssessmentRecord.case_id == case.id)
                        .values(answers_sealed=None))
        session.execute(sa.update(Transition).where(Transition.case_id == case.id).values(reason_sealed=None))
        session.execute(sa.update(Measure).where(Measure.case_id == case.id).values(notes_sealed=None))
        session.execute(sa.update(Referral).where(Referral.case_id == case.id).values(
            reason_sealed=None, consent_override_sealed=None, response_reason_sealed=None))
        session.add(AuditEntry(case_id=case.id, case_code=case.case_code, commune_code=case.commune_code,
                               actor="system", actor_role="system", action="case.anonymise",
                               reason=f"retention {retention_days} days after closing", at=now))
    return [c.case_code for c in cases]

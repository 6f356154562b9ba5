"""Erasure of personal data: closed cases past the retention period, unless under legal hold.

What statistics need (type, channel, status, sex, age band, services given) stays; everything that
could identify a person is removed, in the case and in every record attached to it.
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.cases.models import AuditEntry, Case, Incident, Measure, Referral, RiskAssessmentRecord, Transition
from services.cases.sealing import Sealer


def anonymise_expired(session: Session, now: dt.datetime, retention_days: int, sealer: Sealer,
                      limit: int = 200) -> list[str]:
    cutoff = now - dt.timedelta(days=retention_days)
    ended = sa.or_(sa.and_(Case.status == "closed", Case.closed_at < cutoff),
                   # a report found unfounded and left so: its data goes as a closed case's does
                   sa.and_(Case.status == "unfounded", Case.updated_at < cutoff))
    cases = list(session.scalars(
        sa.select(Case).where(ended, Case.legal_hold.is_(False), Case.anonymised_at.is_(None))
        .limit(limit).with_for_update(skip_locked=True)))
    for case in cases:
        case.victim_sealed = case.intake_sealed = case.legal_hold_reason_sealed = None
        case.village_sealed, case.anonymised_at, case.updated_at = None, now, now
        session.execute(sa.update(Incident).where(Incident.case_id == case.id).values(details_sealed=None,
                                                                                     occurred_on=None))
        session.execute(sa.update(AuditEntry).where(AuditEntry.case_id == case.id).values(reason_sealed=None))
        session.execute(sa.update(RiskAssessmentRecord).where(RiskAssessmentRecord.case_id == case.id)
                        .values(answers_sealed=None))
        session.execute(sa.update(Transition).where(Transition.case_id == case.id).values(reason_sealed=None))
        session.execute(sa.update(Measure).where(Measure.case_id == case.id).values(
            notes_sealed=None, provider=None, trusted_address_id=None))
        session.execute(sa.update(Referral).where(Referral.case_id == case.id).values(
            reason_sealed=None, consent_override_sealed=None, response_reason_sealed=None))
        session.add(AuditEntry(case_id=case.id, case_code=case.case_code, commune_code=case.commune_code,
                               actor="system", actor_role="system", action="case.anonymise",
                               reason_sealed=sealer.seal_text(f"retention {retention_days} days after closing"),
                               at=now))
    return [c.case_code for c in cases]

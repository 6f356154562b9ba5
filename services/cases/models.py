"""Tables of the cases service.

Personal data of victims (name, contact, address, date of birth, narratives, places, the village) and
of the trusted addresses that shelter them (name, village, address), and every free text that may name
someone (reasons, also in the audit log), lives only in `*_sealed` columns, encrypted. What statistics
need survives erasure in plain, non-identifying columns: type, channel, age band, sex, services given.
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.common.types import UtcDateTime

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


class Base(DeclarativeBase):
    metadata = sa.MetaData()


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (
        # a retried intake (the same Idempotency-Key from the same worker of the commune) is the first case
        sa.UniqueConstraint("commune_code", "reported_by", "idempotency_key", name="uq_cases_idempotency_key"),
    )
    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    case_code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    commune_code: Mapped[str] = mapped_column(sa.String(16), index=True)
    case_type: Mapped[str] = mapped_column(sa.String(64))
    risk_level: Mapped[str] = mapped_column(sa.String(16))
    status: Mapped[str] = mapped_column(sa.String(32))
    intake_channel: Mapped[str] = mapped_column(sa.String(32))
    village_sealed: Mapped[bytes | None] = mapped_column(sa.LargeBinary, comment="thôn of the case (encrypted)")
    reported_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    reported_by: Mapped[str] = mapped_column(sa.String(200))
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(200))
    intake_sealed: Mapped[bytes | None] = mapped_column(sa.LargeBinary, comment="who reported it, how (encrypted)")
    victim_sealed: Mapped[bytes | None] = mapped_column(sa.LargeBinary, comment="name, contact, address, DOB")
    victim_sex: Mapped[str | None] = mapped_column(sa.String(16))
    victim_age_band: Mapped[str | None] = mapped_column(sa.String(16))
    vulnerabilities: Mapped[list] = mapped_column(sa.JSON, default=list)
    consent_services: Mapped[bool] = mapped_column(default=False)
    consent_sharing: Mapped[bool] = mapped_column(default=False)
    consent_statistics: Mapped[bool] = mapped_column(default=False)
    verification_due_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    chairman_notified_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    legal_hold: Mapped[bool] = mapped_column(default=False)
    legal_hold_reason_sealed: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    anonymised_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class Incident(Base):
    """One incident of violence in a case; a victim can suffer several."""
    __tablename__ = "case_incidents"
    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    occurred_on: Mapped[dt.date | None]
    incident_type: Mapped[str] = mapped_column(sa.String(64))
    perpetrator_relationship: Mapped[str] = mapped_column(sa.String(32))
    details_sealed: Mapped[bytes | None] = mapped_column(sa.LargeBinary, comment="place and narrative (encrypted)")
    recorded_by: Mapped[str] = mapped_column(sa.String(200))
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class RiskAssessmentRecord(Base):
    __tablename__ = "case_risk_assessments"
    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    answers_sealed: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    level: Mapped[str] = mapped_column(sa.String(16))
    assessed_by: Mapped[str] = mapped_column(sa.String(200))
    assessed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class Transition(Base):
    """Every status change of a case: who, when, from what to what, why."""
    __tablename__ = "case_transitions"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(sa.String(32))
    to_status: Mapped[str] = mapped_column(sa.String(32))
    actor: Mapped[str] = mapped_column(sa.String(200))
    actor_role: Mapped[str] = mapped_column(sa.String(32))
    reason_sealed: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class Measure(Base):
    """A protection measure or support service: no-contact order, shelter, medical care, legal aid, ..."""
    __tablename__ = "case_measures"
    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(32))
    provider: Mapped[str | None] = mapped_column(sa.String(300))
    trusted_address_id: Mapped[str | None] = mapped_column(sa.String(36))
    requested_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    decision_due_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    decided_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    decision: Mapped[str | None] = mapped_column(sa.String(16))
    starts_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    ends_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    outcome: Mapped[str | None] = mapped_column(sa.String(32))
    notes_sealed: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    recorded_by: Mapped[str] = mapped_column(sa.String(200))


class Referral(Base):
    """An escalation or referral to a competent authority, which accepts or rejects it, then marks it done."""
    __tablename__ = "case_referrals"
    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(16), comment="escalation or referral")
    authority: Mapped[str] = mapped_column(sa.String(64))
    status: Mapped[str] = mapped_column(sa.String(16))
    reason_sealed: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    consent_override_sealed: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    created_by: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    responded_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    response_reason_sealed: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    done_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())


class Deadline(Base):
    """A legal timer of a case; `case.overdue` is published once when it is missed."""
    __tablename__ = "case_deadlines"
    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(32))
    subject_id: Mapped[str | None] = mapped_column(sa.String(36), comment="the measure a decision is due for")
    due_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)
    met_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    overdue_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())


class TrustedAddress(Base):
    """Địa chỉ tin cậy: a household or place in the commune that temporarily shelters victims."""
    __tablename__ = "trusted_addresses"
    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    commune_code: Mapped[str] = mapped_column(sa.String(16), index=True)
    details_sealed: Mapped[bytes] = mapped_column(sa.LargeBinary,
                                                  comment="name, village, address and contact (encrypted)")
    capacity: Mapped[int]
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class AuditEntry(Base):
    """Who read or wrote which case, when and why. Written by the service; the API only reads it.

    In plain only what an auditor filters and reads at a glance: who, when, the action, the case code
    (the one asked for, when the read was refused) and the outcome. The free-text reason may name the
    victim: sealed."""
    __tablename__ = "case_audit_log"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[str | None] = mapped_column(sa.String(36), index=True)
    case_code: Mapped[str | None] = mapped_column(sa.String(32), index=True)
    commune_code: Mapped[str] = mapped_column(sa.String(16), index=True)
    actor: Mapped[str] = mapped_column(sa.String(200))
    actor_role: Mapped[str] = mapped_column(sa.String(32))
    action: Mapped[str] = mapped_column(sa.String(64))
    outcome: Mapped[str] = mapped_column(sa.String(16), default="allowed", server_default="allowed",
                                         comment="allowed, denied (another commune's case) or not_found")
    reason_sealed: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
